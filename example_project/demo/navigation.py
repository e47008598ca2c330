"""Context processor ``istok_nav``: the portal's sections, one per installed istok app."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

#: (URL name, label) of each app's entry page. An app that is not installed, or has no such
#: page, has no URL of that name, so its section is simply left out.
SECTIONS = [
    ("istok_catalog:product_list", _("Catalog")),
    ("istok_orders:order_list", _("My orders")),
    ("istok_loyalty:points", _("My points")),
    ("istok_booking:appointment_create", _("Book a visit")),
    ("istok_support:conversation", _("Support")),
]

#: The sections that only mean something to a signed-in customer: a visitor's header
#: stays short (the page would only send them to sign in).
SIGNED_IN_ONLY = {"istok_loyalty:points"}

#: (URL name, label) of the public pages linked from the footer, where they do not crowd
#: the header: what is on offer and what is new.
FOOTER_LINKS = [
    ("istok_loyalty:promotion_list", _("Promotions")),
    ("istok_loyalty:news_list", _("News")),
]


#: (URL name, label) of the staff's own pages, in the footer of a staff member's pages:
#: the support inbox, the visits' calendar, the admin.
STAFF_LINKS = [
    ("istok_support:staff_inbox", _("Support inbox")),
    ("admin:istok_booking_appointment_calendar", _("Visits calendar")),
    ("admin:index", _("Administration")),
]


def _reverse(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _links(entries):
    links = []
    for name, label in entries:
        url = _reverse(name)
        if url is not None:
            links.append((label, url))
    return links


def current_url(path, links, footer_links):
    """The URL of the link (label, url) of ``links`` whose section ``path`` is in: the
    longest URL that ``path`` starts with ("/orders/" on "/orders/2026-00001/"), the
    profile's for every page of the account ("/accounts/..."), ``None`` on the home page
    and on the pages of the footer (a promotion is not "My points")."""
    if any(path.startswith(url) for _label, url in footer_links):
        return None
    best = None
    for _label, url in links:
        covers = url
        if url == _reverse("istok_accounts:profile"):
            covers = "/" + url.strip("/").split("/")[0] + "/"
        if covers != "/" and path.startswith(covers) and (best is None or len(covers) > best[0]):
            best = (len(covers), url)
    return best and best[1]


def navigation(request):
    """Return ``istok_nav``, a list of (label, url), ``istok_footer_nav`` and
        ``istok_logout_url``.

        After the sections come the account links: sign in and sign up for a visitor, the
        profile for a signed-in user. The sections of :data:`SIGNED_IN_ONLY` are left out for
        a visitor. Signing out needs a POST, so its URL is given apart (``istok_logout_url``,
        ``None`` for a visitor) for the base template's logout form. ``istok_sections`` holds
        the sections alone; ``istok_footer_nav`` the public pages of :data:`FOOTER_LINKS` (and,
    for staff, their pages of :data:`STAFF_LINKS`);
        ``istok_nav_current`` the URL of the link whose section the page is in
        (:func:`current_url`), which the header marks with ``aria-current``.
    """
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    sections = _links(
        (name, label) for name, label in SECTIONS if signed_in or name not in SIGNED_IN_ONLY
    )

    logout_url = None
    if signed_in:
        account = [("istok_accounts:profile", _("My profile"))]
        logout_url = _reverse("istok_accounts:logout")
    else:
        account = [("istok_accounts:login", _("Sign in")), ("istok_accounts:signup", _("Sign up"))]
    nav = [*sections, *_links(account)]
    footer = _links(FOOTER_LINKS)
    if signed_in and user.is_staff:
        footer += _links(STAFF_LINKS)
    path = getattr(request, "path", "")
    return {
        "istok_nav": nav,
        "istok_sections": sections,
        "istok_footer_nav": footer,
        "istok_logout_url": logout_url,
        "istok_nav_current": current_url(path, nav, footer),
    }
