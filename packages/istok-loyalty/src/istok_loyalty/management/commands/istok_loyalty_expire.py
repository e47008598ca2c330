"""Expire what is left of the awards whose expiry date has passed.

Run it daily from cron when ``ISTOK_LOYALTY_POINTS_EXPIRE_DAYS`` is set. Running it twice
expires nothing more: each award expires once.
"""

from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    help = "Expire the points whose expiry date has passed (safe to run again)."

    def handle(self, *args, **options):
        rows = services.expire_due()
        total = sum(row.points for row in rows)
        self.stdout.write(f"Expired {total} points in {len(rows)} award(s).")
