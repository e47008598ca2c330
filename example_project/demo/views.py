"""The portal's own pages: the home page.

Signed in, the home page is the customer's dashboard: what each installed istok app has
for them (their orders and the stage each is at, their points, their next appointment,
their open conversation with support). Signed out, it says what the business offers.

Each app is asked only through its public selectors (DESIGN.md), and only when it is
installed: the page works with any composition of the apps (``ISTOK_DEMO_APPS``).
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

#: How many of the customer's orders the dashboard lists (the newest); "My orders" has all.
DASHBOARD_ORDERS = 3

#: What the business makes, on the signed-out home page: (catalog category slug, title,
#: text). Each links to the catalog filtered by its category when istok_catalog is there.
OFFERS = [
    (
        "kitchen",
        _("Kitchens"),
        _("Straight, L-shaped, U-shaped or with an island: to the centimetre of your room."),
    ),
    (
        "wardrobe",
        _("Wardrobes"),
        _("Built-in and free-standing, with sliding or hinged doors, filled as you need."),
    ),
    (
        "hallway",
        _("Hallways"),
        _("A place for coats, shoes and keys, even in a narrow corridor."),
    ),
    (
        "kids-furniture",
        _("Kids' rooms"),
        _("Beds, desks and storage that grow with the child, in safe materials."),
    ),
]


def url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _order_summaries(user):
    from istok_orders import selectors

    orders = list(selectors.customer_orders(user)[: DASHBOARD_ORDERS + 1])
    summaries = []
    for order in orders[:DASHBOARD_ORDERS]:
        steps = selectors.order_progress(order)
        position = next((i for i, step in enumerate(steps) if step.state == "current"), None)
        summaries.append(
            {
                "order": order,
                "url": url_or_none("istok_orders:order_detail", order.number),
                "stage": None if position is None else position + 1,
                "stages": len(steps),
                "next": steps[position + 1]
                if position is not None and position + 1 < len(steps)
                else None,
            }
        )
    return {
        "orders": summaries,
        "more": len(orders) > DASHBOARD_ORDERS,
        "url": url_or_none("istok_orders:order_list"),
    }


def _points(user):
    from istok_loyalty import selectors

    return {"balance": selectors.balance(user), "url": url_or_none("istok_loyalty:points")}


def _appointment(user):
    from istok_booking.selectors import next_appointment_for

    appointment = next_appointment_for(user)
    url = None
    if appointment is not None:
        own_url = getattr(appointment, "get_absolute_url", None)
        url = own_url() if callable(own_url) else None
        url = url or url_or_none("istok_booking:appointment_detail", appointment.pk)
    return {
        "appointment": appointment,
        "url": url,
        "book_url": url_or_none("istok_booking:appointment_create"),
    }


def _conversation(user):
    from istok_support.selectors import open_conversation_for

    return {
        "conversation": open_conversation_for(user),
        "url": url_or_none("istok_support:conversation"),
    }


#: The dashboard's panels, in order: (installed app, context name, what it gets).
DASHBOARD = [
    ("istok_orders", "orders_panel", _order_summaries),
    ("istok_loyalty", "points_panel", _points),
    ("istok_booking", "appointment_panel", _appointment),
    ("istok_support", "support_panel", _conversation),
]


def dashboard(user):
    """{context name: panel} of each installed app's panel for ``user``.

    An app that is installed but has no such selector (an older version) has no panel.
    """
    panels = {}
    for app, name, panel in DASHBOARD:
        if apps.is_installed(app):
            try:
                panels[name] = panel(user)
            except ImportError:
                continue
    return panels


class HomeView(TemplateView):
    template_name = "demo/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            context.update(dashboard(user))
        else:
            catalog_url = url_or_none("istok_catalog:product_list")
            context["offers"] = [
                {
                    "title": title,
                    "text": text,
                    "url": f"{catalog_url}?category={slug}" if catalog_url else None,
                }
                for slug, title, text in OFFERS
            ]
            context["catalog_url"] = catalog_url
            context["book_url"] = url_or_none("istok_booking:appointment_create")
        return context
