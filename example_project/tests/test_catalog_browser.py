"""The catalog in a real browser (Debian's Chromium via Playwright), at a phone's width and a
desktop's: the products come first on a phone, the filters apply on a change, a product
page turns its 3D model with the viewer the catalog ships (nothing loaded from elsewhere,
no Content-Security-Policy violation), and the admin's product and order pages fit 1366 px
in Russian. ISTOK_SCREENSHOTS=<dir> keeps a screenshot of each (see test_browser.py)."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from . import test_browser
from .test_browser import shot

# The browser of test_browser.py (its fixture, shared by name).
new_page = test_browser.new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
#: Reports each Content-Security-Policy violation to the console, where the test reads it.
REPORT_CSP = (
    "document.addEventListener('securitypolicyviolation', event => console.error("
    "'CSP violation: ' + event.violatedDirective + ' ' + event.sourceFile));"
    # And notes when a <model-viewer> has loaded its model (its "load" event).
    "document.addEventListener('load', event => {"
    " if (event.target.localName === 'model-viewer') window.istokModelLoaded = true;"
    "}, true);"
)


@pytest.fixture
def demo_catalog(db):
    if not apps.is_installed("istok_catalog"):
        pytest.skip("istok_catalog is not composed (ISTOK_DEMO_APPS or not installed)")
    call_command("istok_catalog_demo", products=24, services=0.25, seed=2026, stdout=StringIO())


def open_page(new_page, live_server, path, viewport, *, javascript=True):
    """A page of a fresh browser at ``viewport``; it records console errors and requests
    to any host but the live server's."""
    page = new_page("ru-RU")
    page.context.close()
    context = page.context.browser.new_context(
        locale="ru-RU", viewport=viewport, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.errors, page.elsewhere = [], []
    host = urlsplit(live_server.url).netloc
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "request",
        lambda r: (
            urlsplit(r.url).scheme in ("http", "https")
            and urlsplit(r.url).netloc != host
            and page.elsewhere.append(r.url)
        ),
    )
    page.add_init_script(REPORT_CSP)
    page.goto(f"{live_server.url}{path}")
    return page


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_the_first_product_is_on_the_first_screen(new_page, live_server, demo_catalog):
    page = open_page(new_page, live_server, "/catalog/", PHONE)
    first = page.locator(".istok-catalog-results__item").first
    assert first.bounding_box()["y"] < PHONE["height"] - 200  # its picture and name show
    assert no_sideways_scroll(page)
    panel = page.locator("details.istok-catalog-filters")
    assert not panel.evaluate("details => details.open")  # folded on a phone
    shot(page, "catalog-phone-1-results-first")

    # Open the filters, tick a category: it applies at once, the panel stays open.
    page.click(".istok-catalog-filters__summary")
    with page.expect_navigation():
        page.check(".istok-catalog-filters input[name=category][value=kitchen]")
    assert "category=kitchen" in page.url and "q=" not in page.url
    assert page.locator("details.istok-catalog-filters").evaluate("details => details.open")
    assert page.locator(".istok-catalog-chosen__chip").inner_text().startswith("Кухня")
    assert no_sideways_scroll(page)
    shot(page, "catalog-phone-2-kitchens")
    assert page.errors == [] and page.elsewhere == []


def test_without_javascript_a_phone_still_gets_the_products_first(
    new_page, live_server, demo_catalog
):
    page = open_page(new_page, live_server, "/catalog/", PHONE, javascript=False)
    first = page.locator(".istok-catalog-results__item").first
    assert first.bounding_box()["y"] < PHONE["height"] - 200
    # The filters, below the results, are one tap away and submit with their button.
    assert page.locator(".istok-catalog-results__to-filters").is_visible()
    page.check(".istok-catalog-filters input[name=category][value=wardrobe]")
    page.click(".istok-catalog-filters__submit")
    page.wait_for_load_state()
    assert "category=wardrobe" in page.url
    shot(page, "catalog-phone-3-no-javascript")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_a_kitchen_turns_in_3d_with_the_shipped_viewer_and_nothing_from_elsewhere(
    new_page, live_server, demo_catalog, viewport
):
    from django.http import QueryDict

    from istok_catalog.selectors import filter_products

    kitchen = filter_products(QueryDict("category=kitchen")).qs.order_by("pk").first()
    page = open_page(new_page, live_server, kitchen.get_absolute_url(), viewport)
    # WebGL is drawn by the CPU here (no GPU): give the model time on a busy machine.
    page.set_default_timeout(90_000)
    viewer = page.locator("model-viewer")
    viewer.scroll_into_view_if_needed()
    # Polled from here: wait_for_function evaluates a string, which the CSP refuses.
    for _attempt in range(300):
        if page.evaluate("window.istokModelLoaded === true"):
            break
        page.wait_for_timeout(300)
    assert page.evaluate("window.istokModelLoaded === true"), "the 3D model did not load"
    assert viewer.evaluate("viewer => viewer.src").endswith(".glb")
    script = page.locator("script[type=module]").get_attribute("src")
    assert script == "/static/istok_catalog/vendor/model-viewer/model-viewer.min.js"
    # The price and the action come before the 3D model on a phone, beside it on a desktop.
    price = page.locator(".istok-catalog-product__amount").bounding_box()
    assert price["y"] < viewer.bounding_box()["y"] or price["x"] > viewer.bounding_box()["x"]
    assert no_sideways_scroll(page)
    page.wait_for_timeout(500)
    shot(page, f"catalog-3d-{viewport['width']}")
    assert page.errors == [], page.errors  # no CSP violation, no script error
    assert page.elsewhere == []


def test_the_admin_product_and_order_pages_fit_1366_px_in_russian(new_page, live_server, db):
    if not apps.is_installed("istok_orders"):
        pytest.skip("istok_orders is not composed")
    get_user_model()._default_manager.create_superuser("admin", "a@example.com", "istok-admin")
    call_command("load_demo", stdout=StringIO())
    from istok_orders.models import Order

    order = Order.objects.order_by("pk").first()
    page = open_page(new_page, live_server, "/admin/login/", DESKTOP)
    page.fill("#id_username", "admin")
    page.fill("#id_password", "istok-admin")
    page.click("[type=submit]")
    page.wait_for_load_state()
    for name, path in [
        ("products", "/admin/istok_catalog/product/"),
        ("add-product", "/admin/istok_catalog/product/add/"),
        ("order", f"/admin/istok_orders/order/{order.pk}/change/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        text = page.locator("#content").inner_text()
        for english in ("Modified", "Type:", "furniture", "service"):
            assert english not in text, (name, english)
        assert no_sideways_scroll(page), name
        shot(page, f"admin-{name}")
