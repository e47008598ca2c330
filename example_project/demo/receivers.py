"""The portal's reactions to Django's signals."""

from django.contrib import messages
from django.utils.translation import gettext as _

#: The views whose signing out is the customer's own "Sign out" (deleting the account
#: signs out too, and says so in its own words).
SIGN_OUT_VIEWS = {"istok_accounts:logout"}


def say_goodbye(sender, request, user, **kwargs):
    """After "Sign out", the next page (the home page) says so: a customer on a shared
    computer sees that the portal no longer knows them.

    ``logout()`` sends ``user_logged_out`` before it empties the session; the message
    survives because messages are kept in a cookie first (Django's default
    ``FallbackStorage``), not in the session.
    """
    match = getattr(request, "resolver_match", None)
    if user is not None and match is not None and match.view_name in SIGN_OUT_VIEWS:
        messages.info(request, _("You have signed out. See you soon!"))
