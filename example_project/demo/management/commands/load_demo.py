"""``manage.py load_demo``: an admin, a demo customer, and each installed app's demo data.

Safe to run again: existing users are kept (their passwords are set back to the printed
ones) and each app's own demo command is expected to be idempotent too.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

from istok_accounts import services

ADMIN = {"username": "admin", "email": "admin@example.com", "password": "istok-admin"}
CUSTOMER = {"username": "demo", "email": "demo@example.com", "password": "istok-demo"}

#: The demo command of each istok app (after accounts), in dependency order, with its options.
APP_DEMO_COMMANDS = [
    ("istok_catalog", "istok_catalog_demo", {"products": 36}),
    ("istok_orders", "istok_orders_demo", {}),
    ("istok_loyalty", "istok_loyalty_demo", {}),
    ("istok_booking", "istok_booking_demo", {}),
    ("istok_support", "istok_support_demo", {}),
]


class Command(BaseCommand):
    help = "Create the demo admin and customer, and the installed istok apps' demo data."

    def handle(self, *args, **options):
        admin = self.ensure_admin()
        customer = self.ensure_customer()

        commands = get_commands()
        for app, command, kwargs in APP_DEMO_COMMANDS:
            if not apps.is_installed(app):
                continue
            if command not in commands:
                self.stdout.write(f"{app}: no {command} command, no demo data.")
                continue
            self.stdout.write(f"{app}: {command}")
            call_command(command, stdout=self.stdout, stderr=self.stderr, **kwargs)

        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with:"))
        self.stdout.write(f"  admin:    {admin.get_username()} / {ADMIN['password']}  (/admin/)")
        self.stdout.write(
            f"  customer: {customer.get_username()} or {customer.email} / "
            f"{CUSTOMER['password']}  (/accounts/login/)"
        )

    @transaction.atomic
    def ensure_admin(self):
        User = get_user_model()
        user = User._default_manager.filter(username=ADMIN["username"]).first()
        if user is None:
            return User._default_manager.create_superuser(**ADMIN)
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_password(ADMIN["password"])
        user.save()
        return user

    def ensure_customer(self):
        User = get_user_model()
        user = User._default_manager.filter(username=CUSTOMER["username"]).first()
        if user is not None:
            user.is_active = True
            user.set_password(CUSTOMER["password"])
            user.save(update_fields=["is_active", "password"])
            return user

        # Through the signup service, as on the signup page: the personal data consent is
        # recorded and user_signed_up is sent (istok_loyalty opens the points account).
        user = services.sign_up(
            username=CUSTOMER["username"],
            email=CUSTOMER["email"],
            password=CUSTOMER["password"],
            personal_data_consent=True,
            first_name="Анна",
        )
        # A profile mostly left to fill in, so the completion meter has work to show.
        return services.update_profile(user, renovation_planned=True)
