"""Settings of istok_accounts, each with its default.

Every setting is read as ``settings.ISTOK_ACCOUNTS_<NAME>`` (django-appconf fills in the
default when the project does not set it).
"""

from appconf import AppConf
from django.conf import settings  # noqa: F401  (AppConf needs settings imported here)


class IstokAccountsConf(AppConf):
    #: Region used to read phone numbers typed without a country code.
    PHONE_REGION = "RU"

    #: Version of the personal data processing policy a new consent refers to. Raise it
    #: when the policy text changes: users whose consent names an older version are asked
    #: to accept the new one on their consents page.
    POLICY_VERSION = "1.0"

    #: The personal data processing policy, linked next to the consent checkbox and on the
    #: consents page: a URL name or a path. By default this app's own plain policy page
    #: (``istok_accounts/policy.html``, to override with the business's text); empty: no
    #: link is shown.
    POLICY_URL = "istok_accounts:policy"

    #: Optional profile fields that count towards the profile completion percentage,
    #: in the order the missing ones are suggested to the user.
    COMPLETION_FIELDS = [
        "first_name",
        "last_name",
        "phone",
        "has_children",
        "renovation_planned",
        "renovation_stage",
        "rooms",
    ]

    #: Show the optional referral code field on the signup form (and take it in the API).
    #: The code is only passed on in the ``user_signed_up`` signal; istok_loyalty (or your
    #: own code) acts on it. ``None``: shown when something receives ``user_signed_up``
    #: (istok_loyalty does), so a site where nothing would read it does not ask for it.
    SIGNUP_REFERRAL_CODE = None

    #: Where the signup page sends the new user (a URL name or a path).
    SIGNUP_REDIRECT_URL = "istok_accounts:profile"

    #: Where the user goes after deleting their account (a URL name or a path).
    ERASURE_REDIRECT_URL = "/"

    #: Signups per client address, page and API counted together (``"10/hour"``, as DRF
    #: writes rates; ``None``: no limit). Each attempt counts, refused ones too: it also
    #: limits probing which email addresses have an account. Over it: HTTP 429.
    SIGNUP_RATE = "10/hour"

    #: Attempts to delete one's account (each checks the password), per user, page and API
    #: counted together. Over it: HTTP 429, nothing is erased. With django-axes installed,
    #: a wrong password also counts as a failed sign-in.
    ERASURE_RATE = "5/hour"

    #: Password reset emails per email address (in any case). Beyond it no email goes, and
    #: the page says what it always says, so it tells nobody whether the address has an
    #: account.
    PASSWORD_RESET_RATE = "3/hour"

    #: Password reset requests per client address, whatever the addresses typed; beyond
    #: it no email goes, as above.
    PASSWORD_RESET_IP_RATE = "10/hour"

    class Meta:
        prefix = "ISTOK_ACCOUNTS"
