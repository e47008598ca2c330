"""Apply again the reactions to order events that failed (see ``FailedReaction``): for
cron, after an outage. Each reaction is idempotent, so running it twice changes nothing.
Exits with status 1 while some still fail."""

import sys

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from ... import services


class Command(BaseCommand):
    help = "Apply again the loyalty reactions to order events that failed."

    def handle(self, *args, **options):
        if not apps.is_installed("istok_orders"):
            raise CommandError("istok_orders is not installed: nothing to retry.")
        resolved, failing = services.retry_failed_reactions()
        self.stdout.write(f"{resolved} reaction(s) applied, {failing} still failing.")
        if failing:
            sys.exit(1)
