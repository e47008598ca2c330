"""Send the due reminders of visits, for cron (every 5 to 15 minutes)::

    */10 * * * *  python manage.py istok_booking_send_reminders

Each reminder is sent once, even when two copies run at the same moment.
"""

from django.core.management.base import BaseCommand

from ...services import send_due_reminders


class Command(BaseCommand):
    help = "Email the reminders of the visits that are due (each exactly once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many reminders in one run."
        )

    def handle(self, *args, limit, **options):
        sent = send_due_reminders(limit=max(limit, 1))
        if options["verbosity"]:
            self.stdout.write(f"{sent} reminder(s) sent.")
