"""``manage.py load_demo``: an admin, a demo customer, and each installed app's demo data.

Safe to run again: existing users are kept (their passwords are set back to the printed
ones), the catalog is filled only while it is empty, the demo customer gets one order
(istok_orders with istok_catalog) only while they have none, their demo points
(istok_loyalty) once (an idempotency key on the ledger), and each other app's own demo
command is expected to be idempotent.
"""

from datetime import timedelta
from decimal import Decimal

import django
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from django.http import QueryDict
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from istok_accounts import services

ADMIN = {"username": "admin", "email": "admin@example.com", "password": "istok-admin"}
CUSTOMER = {"username": "demo", "email": "demo@example.com", "password": "istok-demo"}

#: Where the demo data's emails go while load_demo runs: Django's in-memory backend
#: (``mail.outbox``), whichever setting this Django reads (MAILERS from 6.1).
_LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
IN_MEMORY_EMAIL = (
    {"MAILERS": {"default": {"BACKEND": _LOCMEM}}}
    if django.VERSION >= (6, 1)
    else {"EMAIL_BACKEND": _LOCMEM}
)

#: Points the demo customer is given once (istok_loyalty), on top of the signup bonus: with
#: one point worth one rouble, enough to pay part of the demo order (points pay up to 30% of
#: an order's subtotal by default).
DEMO_POINTS = 5000


def catalog_is_empty():
    from istok_catalog import get_product_model

    return not get_product_model()._default_manager.exists()


#: The demo command of each istok app (after accounts), in dependency order, with its options
#: and, when the command itself adds data on every run, a test of whether to run it.
#: (istok_orders has no demo command: the demo order is made by ``ensure_demo_order``.)
APP_DEMO_COMMANDS = [
    # A fixed seed: the same catalog each time, kitchens included; 36 pieces of furniture
    # and the eight services, each once.
    (
        "istok_catalog",
        "istok_catalog_demo",
        {"products": 44, "services": 8 / 44, "seed": 2026},
        catalog_is_empty,
    ),
    ("istok_loyalty", "istok_loyalty_demo", {}, None),
    # istok_booking's demo data (designers, the demo order's measurement) is made below,
    # with the demo order: demo/booking_demo.py.
    ("istok_support", "istok_support_demo", {}, None),
]


def contract_pdf(number):
    """A small, valid one-page PDF standing for the signed contract of order ``number``."""
    text = f"ISTOK demo: contract {number}".encode("ascii")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number_, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number_, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


class Command(BaseCommand):
    help = "Create the demo admin and customer, and the installed istok apps' demo data."

    def handle(self, *args, **options):
        # The emails the demo data sends (the demo order's creation, its document, its
        # status) stay in memory and are listed by recipient and subject, rather than
        # printed as raw MIME (base64 subjects) by the console backend before the logins.
        start = len(getattr(mail, "outbox", []))
        with override_settings(**IN_MEMORY_EMAIL):
            admin, customer = self.load()
        self.print_emails(getattr(mail, "outbox", [])[start:])
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with:"))
        self.stdout.write(f"  admin:    {admin.get_username()} / {ADMIN['password']}  (/admin/)")
        self.stdout.write(
            f"  customer: {customer.get_username()} or {customer.email} / "
            f"{CUSTOMER['password']}  (/accounts/login/)"
        )
        if apps.is_installed("istok_support"):
            self.stdout.write(
                "  support:  the customer's chat /support/, the admin's inbox /support/staff/"
            )

    def print_emails(self, messages):
        if not messages:
            return
        self.stdout.write(f"Emails the demo data sent ({len(messages)}, not delivered):")
        for message in messages:
            self.stdout.write(f"  to {', '.join(message.to)}: {message.subject}")

    def load(self):
        """Create the users and each installed app's demo data; return (admin, customer)."""
        admin = self.ensure_admin()
        customer = self.ensure_customer()

        commands = get_commands()
        for app, command, kwargs, needed in APP_DEMO_COMMANDS:
            if not apps.is_installed(app):
                continue
            if command not in commands:
                self.stdout.write(f"{app}: no {command} command, no demo data.")
                continue
            if needed is not None and not needed():
                self.stdout.write(f"{app}: demo data already there, {command} not run.")
                continue
            self.stdout.write(f"{app}: {command}")
            call_command(command, stdout=self.stdout, stderr=self.stderr, **kwargs)

        order = None
        if apps.is_installed("istok_orders") and apps.is_installed("istok_catalog"):
            order = self.ensure_demo_order(customer, admin)
            self.stdout.write(
                f"istok_orders: the demo customer's order {order.number} (/orders/{order.number}/)"
            )

        if apps.is_installed("istok_booking"):
            from demo import booking_demo

            booking_demo.load(self.stdout, manager=admin, customer=customer, order=order)

        if apps.is_installed("istok_loyalty"):
            self.ensure_demo_points(customer, admin, order)
        return admin, customer

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

    def ensure_demo_order(self, customer, manager):
        """The demo customer's order, made once through istok_orders' services: a kitchen
        from the catalog, assembly, delivery beyond the ring road, the signed contract and
        a few steps of the pipeline, so the order page has a progress bar and a history."""
        from istok_catalog.selectors import filter_products
        from istok_orders import selectors as order_selectors
        from istok_orders import services as orders

        existing = order_selectors.customer_orders(customer).order_by("pk").first()
        if existing is not None:
            return existing

        # The catalog's own filters, as on its page: a kitchen, else any furniture.
        kitchen = (
            filter_products(QueryDict("kind=furniture&category=kitchen")).qs.order_by("pk").first()
            or filter_products(QueryDict("kind=furniture")).qs.order_by("pk").first()
        )
        today = timezone.localdate()
        with transaction.atomic():
            order = orders.create_order(
                customer,
                actor=manager,
                order_date=today - timedelta(days=12),
                deadline=today + timedelta(days=60),
                delivery_address="Санкт-Петербург, Пулковское шоссе, 14, кв. 52",
                phone="+7 912 345-67-89",
            )
            configuration = "Угловая, 3,2 × 1,8 м; фасады — эмаль, белый матовый; ручки-профиль"
            if kitchen is not None:
                orders.add_line(order, kitchen, configuration=configuration, actor=manager)
            else:  # a catalog without furniture: the line stands alone
                orders.add_line(
                    order,
                    name="Кухня «Верона»",
                    unit_price=Decimal("185000"),
                    configuration=configuration,
                    actor=manager,
                )
            orders.add_line(
                order,
                name="Сборка и установка кухни",
                unit_price=Decimal("14500"),
                actor=manager,
            )
            orders.set_delivery_zone(order, "kad-30", actor=manager)
            orders.set_status(
                order, "measurement", manager, "Замерщик приедет в среду с 10:00 до 12:00."
            )
            orders.attach_document(
                order,
                "contract",
                SimpleUploadedFile(
                    f"contract-{order.number}.pdf",
                    contract_pdf(order.number),
                    content_type="application/pdf",
                ),
                actor=manager,
            )
            if not apps.is_installed("istok_booking"):
                # With istok_booking the order waits for its measurement visit, whose
                # completion moves it on (demo/booking_demo.py).
                orders.set_status(
                    order,
                    "correction",
                    manager,
                    "После замера сдвигаем мойку на 10 см влево; эскиз обновим за два дня.",
                )
        return order

    def ensure_demo_points(self, customer, manager, order=None):
        """Give the demo customer :data:`DEMO_POINTS` once, through istok_loyalty's services
        (a manual adjustment by the admin: a ledger row with who and why), and print their
        points, their referral link and, with the demo order, how much of it points may
        pay."""
        from istok_loyalty import selectors as loyalty_selectors
        from istok_loyalty import services as loyalty

        loyalty.adjust(
            customer,
            DEMO_POINTS,
            note="Баллы для знакомства с демо-порталом",
            actor=manager,
            # The same key on every run: the points are given once, however often the
            # command runs (and not again after the customer spends them).
            idempotency_key=f"example_project:load_demo:points:{customer.pk}",
        )
        account = loyalty.get_or_create_account(customer)
        self.stdout.write(
            f"istok_loyalty: the demo customer has {loyalty_selectors.balance(customer)} points "
            f"(/loyalty/); referral link {loyalty_selectors.referral_link(account)} "
            f"(code {account.referral_code})"
        )
        if order is not None:
            most = loyalty.max_points_for_order(customer, order)
            pay_url = reverse("istok_loyalty:pay_order", kwargs={"number": order.number})
            self.stdout.write(
                f"istok_loyalty: points can pay up to {most} of order {order.number} ({pay_url})"
            )
