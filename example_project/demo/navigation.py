"""Context processor ``istok_nav``: the portal's sections, one per installed istok app."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

#: (URL name, label) of each app's entry page. An app that is not installed, or has no such
#: page, has no URL of that name, so its section is simply left out.
SECTIONS = [
    ("istok_catalog:product_list", _("Catalogue")),
    ("istok_orders:order_list", _("My orders")),
    ("istok_loyalty:points", _("Bonus points")),
    ("istok_booking:appointment_create", _("Book a visit")),
    ("istok_support:conversation", _("Support")),
]


def _reverse(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    """Return ``istok_nav``, a list of (label, url), and ``istok_logout_url``.

    After the sections come the account links: sign in and sign up for a visitor, the
    profile for a signed-in user. Signing out needs a POST, so its URL is given apart
    (``istok_logout_url``, ``None`` for a visitor) for the base template's logout form.
    ``istok_sections`` holds the sections alone (the home page shows them as cards).
    """
    sections = []
    for name, label in SECTIONS:
        url = _reverse(name)
        if url is not None:
            sections.append((label, url))

    user = getattr(request, "user", None)
    logout_url = None
    if user is not None and user.is_authenticated:
        account = [("istok_accounts:profile", _("My profile"))]
        logout_url = _reverse("istok_accounts:logout")
    else:
        account = [("istok_accounts:login", _("Sign in")), ("istok_accounts:signup", _("Sign up"))]
    nav = list(sections)
    for name, label in account:
        url = _reverse(name)
        if url is not None:
            nav.append((label, url))
    return {"istok_nav": nav, "istok_sections": sections, "istok_logout_url": logout_url}
