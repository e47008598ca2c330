"""List the orders that need a manager's eye: deadline passed, or too long in a status.

Run it daily from cron; ``--email`` also mails the list to ``settings.MANAGERS``.
"""

from django.conf import settings
from django.core.mail import mail_managers
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ...selectors import flagged_orders


class Command(BaseCommand):
    help = "List overdue orders and orders stuck in a status (--email: mail them to MANAGERS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--email",
            action="store_true",
            help="Also send the list to settings.MANAGERS (nothing is sent when it is empty).",
        )

    def handle(self, *args, email=False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            flagged = flagged_orders()
            if not flagged:
                self.stdout.write(_("No overdue or stuck orders."))
                return
            for item in flagged:
                order = item.order
                self.stdout.write(
                    "\t".join(
                        [
                            order.number,
                            str(order.customer),
                            str(order.get_status_display()),
                            order.deadline.isoformat() if order.deadline else "-",
                            "; ".join(item.reasons),
                        ]
                    )
                )
            if email:
                self._send(flagged)

    def _send(self, flagged):
        if not settings.MANAGERS:
            self.stderr.write(_("MANAGERS is empty: no email sent."))
            return
        context = {"flagged": flagged, "count": len(flagged)}
        subject = " ".join(
            render_to_string("istok_orders/email/overdue_digest_subject.txt", context).split()
        )
        body = render_to_string("istok_orders/email/overdue_digest.txt", context)
        mail_managers(subject, body)
        self.stdout.write(_("Sent to %(count)s manager(s).") % {"count": len(settings.MANAGERS)})
