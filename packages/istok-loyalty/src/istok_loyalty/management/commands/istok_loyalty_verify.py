"""Check the points on both sides: every account against its ledger, and (with
istok_orders) every order's points adjustments against the ledger's payments.

For each account: the cached balance must equal the sum of the ledger, the
``balance_after`` of its newest row, and what is left of its awards. For each points
payment not given back: exactly one adjustment on its order, of its amount; no adjustment
without such a payment. Reactions to order events that failed and are still waiting for
``istok_loyalty_retry`` are reported too. Prints every problem and exits with status 1
when there is one; 0 and a short line otherwise.
"""

import sys

from django.apps import apps
from django.core.management.base import BaseCommand

from ... import services
from ...models import FailedReaction, LoyaltyAccount
from ...selectors import balance_mismatches


class Command(BaseCommand):
    help = (
        "Check every points balance against its ledger and every order's points "
        "adjustments against the ledger's payments; exit 1 on any mismatch."
    )

    def handle(self, *args, **options):
        problems = 0
        mismatches = balance_mismatches()
        for mismatch in mismatches:
            self.stderr.write(mismatch.describe())
        if mismatches:
            self.stderr.write(f"{len(mismatches)} account(s) do not match their ledger.")
            problems += len(mismatches)
        if apps.is_installed("istok_orders"):
            payments = services.payment_mismatches()
            for mismatch in payments:
                self.stderr.write(
                    f"Order {mismatch.order_pk}: {mismatch.problem} ({mismatch.source_key})"
                )
            if payments:
                self.stderr.write(
                    f"{len(payments)} points payment(s) do not match the orders' adjustments."
                )
                problems += len(payments)
        failed = FailedReaction.objects.filter(resolved_at__isnull=True)
        for reaction in failed:
            self.stderr.write(f"Not applied yet: {reaction} ({reaction.attempts} attempts)")
        if failed:
            self.stderr.write("Run istok_loyalty_retry to apply them.")
            problems += len(failed)
        if problems:
            sys.exit(1)
        count = LoyaltyAccount.objects.count()
        self.stdout.write(f"All {count} account(s) match their ledger.")
        if apps.is_installed("istok_orders"):
            self.stdout.write("Every order's points adjustments match the ledger's payments.")
