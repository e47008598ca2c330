"""Check every account's balance against its ledger.

For each account: the cached balance must equal the sum of the ledger, the
``balance_after`` of its newest row, and what is left of its awards. Prints every
mismatch and exits with status 1 when there is one; 0 and a short line otherwise.
"""

import sys

from django.core.management.base import BaseCommand

from ...models import LoyaltyAccount
from ...selectors import balance_mismatches


class Command(BaseCommand):
    help = "Check every points balance against its ledger; exit 1 on any mismatch."

    def handle(self, *args, **options):
        mismatches = balance_mismatches()
        for mismatch in mismatches:
            self.stderr.write(mismatch.describe())
        if mismatches:
            self.stderr.write(f"{len(mismatches)} account(s) do not match their ledger.")
            sys.exit(1)
        count = LoyaltyAccount.objects.count()
        self.stdout.write(f"All {count} account(s) match their ledger.")
