"""What the account erasure asks of the loyalty program."""

from django.db import transaction
from django.utils import timezone

from ..adapter import get_adapter
from ..models import LoyaltyAccount, LoyaltyTransaction, Referral


@transaction.atomic
def anonymise_user(user):
    """Remove what is personal in ``user``'s loyalty data: the referral code is replaced
    by a random one and switched off, also in the referrals of the friends who joined
    with it (their ``code``), and the notes of the ledger are cleared. The ledger's
    points, types, reasons and times stay (accounting needs them), and so do the
    referrals (they point at the anonymised accounts). Calling it again keeps the
    replacement code. Returns the account or ``None``."""
    account = LoyaltyAccount.objects.select_for_update().filter(user_id=user.pk).first()
    if account is None:
        return None
    if account.anonymised_at is None:
        account.referral_code = _new_code(user)
        account.referral_enabled = False
        account.anonymised_at = timezone.now()
        account.save(
            update_fields=["referral_code", "referral_enabled", "anonymised_at", "modified"]
        )
    Referral.objects.filter(referrer_id=user.pk).exclude(code=account.referral_code).update(
        code=account.referral_code
    )
    LoyaltyTransaction.objects.filter(account=account).exclude(note="").update(note="")
    return account


def _new_code(user):
    adapter = get_adapter()
    for _attempt in range(20):
        code = adapter.normalize_referral_code(adapter.generate_referral_code(user))
        if not LoyaltyAccount.objects.filter(referral_code=code).exists():
            break
    return code
