"""The portal as people use it, in a real browser (Debian's Chromium via Playwright).

The demo's promises, end to end and in Russian: a customer signs up (consent required),
sees a low profile completion, fills the profile in to 100%, downloads the data, deletes
the account; a visitor (with an English browser: the portal still speaks Russian) filters
the catalog's kitchens, opens one, switches between its sketch and colour pictures and
downloads its 3D model; a customer's friend joins with the referral link and picks a gift,
the friend's order going into production credits the customer once, and the customer pays
part of an order with points. And the design at a desktop width (1366 px) and a phone's
(390 px): the order's stages all labelled, an invalid field in the error colour, no page
wider than the screen. Set ISTOK_SCREENSHOTS=<dir> (example_project/screenshots/ is
ignored by git) to keep a screenshot of every step.
"""

import json
import os
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

# serialized_rollback: each test starts with the data the migrations seed (the catalog's
# taxonomy, the delivery zones), which the flush after a transactional test removes.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def new_page(live_server, monkeypatch):
    """``new_page(locale)``: a page of a fresh headless Chromium whose browser asks for
    ``locale`` (its Accept-Language)."""
    if CHROMIUM is None:
        pytest.skip("needs Chromium: apt-get install chromium (CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (dev)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    postgres = connection.vendor == "postgresql"
    # Inside Playwright's event loop this thread has another database connection than
    # outside it (Django's connections are context-local there): both are the test's own.
    own_sessions = [backend_pid()] if postgres else []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def make(locale):
            context = browser.new_context(locale=locale, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(15_000)
            return page

        yield make
        browser.close()
        if postgres:
            # A request the browser abandoned (the download) never finishes, so its server
            # thread keeps its database session open and the test database could not be
            # dropped: end those sessions, not the test's own.
            own_sessions.append(backend_pid())
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND NOT (pid = ANY(%s))",
                    [own_sessions],
                )
        # And the loop's own connection: nothing else would close it.
        connection.close()


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def page(new_page):
    return new_page("ru-RU")


def shot(page, name):
    directory = os.environ.get("ISTOK_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)


def submit(page, form_selector):
    page.locator(f"main {form_selector} button[type=submit]").first.click()
    page.wait_for_load_state()


def test_customer_signs_up_completes_profile_downloads_data_and_leaves(page, live_server):
    User = get_user_model()
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.fill("#id_username", "marina")
    page.fill("#id_email", "marina@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page, "form.istok-form")
    # Without the personal data consent the browser does not even send the form (the
    # server refuses it too: tests of istok_accounts), and nobody is created.
    consent = page.locator("#id_personal_data_consent")
    assert consent.evaluate("checkbox => checkbox.validity.valueMissing")
    assert "согласие на обработку" in page.locator("main").inner_text()
    assert not User._default_manager.filter(username="marina").exists()
    shot(page, "1-signup-consent-required")

    consent.check()
    submit(page, "form.istok-form")
    assert page.url.endswith("/accounts/profile/")
    assert page.locator(".istok-accounts-completion__progress").get_attribute("value") == "0"
    shot(page, "2-profile-empty")

    page.goto(f"{live_server.url}/accounts/profile/edit/")
    page.fill("#id_first_name", "Марина")
    page.fill("#id_last_name", "Иванова")
    page.fill("#id_phone", "+7 912 345-67-89")
    page.check("input[name=has_children][value=yes]")
    page.check("input[name=renovation_planned][value=true]")
    page.check("input[name=renovation_stage][value=soon]")
    page.check("input[name=rooms][value=kitchen]")
    page.check("input[name=rooms][value=hallway]")
    submit(page, "form.istok-form--profile")
    assert page.url.endswith("/accounts/profile/")
    assert page.locator(".istok-accounts-completion__progress").get_attribute("value") == "100"
    assert "Кухня" in page.locator("main").inner_text()
    shot(page, "3-profile-complete")

    page.goto(f"{live_server.url}/accounts/data/")
    with page.expect_download() as download_info:
        page.locator("main a[download]").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["istok_accounts"]["email"] == "marina@example.com"
    assert sorted(data["istok_accounts"]["rooms"]) == ["hallway", "kitchen"]

    page.goto(f"{live_server.url}/accounts/delete/")
    page.fill("#id_password", PASSWORD)
    submit(page, "form.istok-form")
    shot(page, "4-deleted")
    user = User._default_manager.get(email="", username__startswith="erased-")
    assert not user.is_active
    page.goto(f"{live_server.url}/accounts/profile/")
    assert "/accounts/login/" in page.url


# The catalog -------------------------------------------------------------------------------


def facet_counts(page, dimension):
    """{option value: count} of one filter of the sidebar, as the visitor sees it."""
    counts = {}
    for option in page.locator(
        f".istok-catalog-filters .istok-catalog-facet--{dimension} label"
    ).all():
        value = option.locator("input").get_attribute("value")
        counts[value] = int(option.locator(".istok-catalog-facet__count").inner_text())
    return counts


def results_count(page):
    return int(re.search(r"\d+", page.locator("#istok-results-count").inner_text()).group())


def filter_by(page, **choices):
    """Tick the checkboxes (dimension=value): each applies at once (the catalog's script
    submits the filter form on a change), a new page with a shareable URL."""
    for dimension, value in choices.items():
        with page.expect_navigation():
            page.check(f".istok-catalog-filters input[name={dimension}][value='{value}']")
        page.wait_for_load_state()


@pytest.fixture
def catalog(db):
    """The catalog's demo data, with a 3D model for every kitchen (the demo has none)."""
    if not apps.is_installed("istok_catalog"):
        pytest.skip("istok_catalog is not composed (ISTOK_DEMO_APPS or not installed)")
    from istok_catalog import services
    from istok_catalog.selectors import filter_products, get_published_product
    from istok_catalog.testing.factories import model_upload

    call_command("istok_catalog_demo", products=36, seed=2026, stdout=StringIO())
    kitchens = list(filter_products(QueryDict("category=kitchen")).qs.order_by("pk"))
    assert kitchens, "the demo catalog has no kitchen"
    for row in kitchens:
        kitchen = get_published_product(row.slug)
        kitchen.model_3d = model_upload(f"{kitchen.slug}.glb")
        services.save_product(kitchen)
    # Filter by the facade and shape of a kitchen, so the filtered list is never empty.
    first = get_published_product(kitchens[0].slug)
    facade, shape = first.facade_material.slug, first.shape.slug
    expected = filter_products(
        QueryDict(f"category=kitchen&facade_material={facade}&shape={shape}")
    ).qs.count()
    published = filter_products(QueryDict()).qs.count()
    return {
        "published": published,
        "kitchens": len(kitchens),
        "facade": facade,
        "shape": shape,
        "expected": expected,
    }


def test_visitor_filters_kitchens_opens_one_and_downloads_its_3d_model(
    new_page, live_server, catalog
):
    # An English browser: the portal still answers in Russian (the switcher's cookie
    # alone changes that).
    page = new_page("en-US")
    page.goto(f"{live_server.url}/catalog/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Каталог" in page.locator("h1").inner_text()
    everything = results_count(page)
    assert everything == catalog["published"]
    facades_everywhere = facet_counts(page, "facade_material")
    assert facet_counts(page, "category")["kitchen"] == catalog["kitchens"]
    shot(page, "catalog-1-all")

    filter_by(page, category="kitchen")
    assert "category=kitchen" in page.url
    assert results_count(page) == catalog["kitchens"] < everything
    facades_of_kitchens = facet_counts(page, "facade_material")
    # The counts follow the other active filters: now they count kitchens only.
    assert facades_of_kitchens != facades_everywhere
    assert sum(facades_of_kitchens.values()) == catalog["kitchens"]
    assert page.is_checked("input[name=category][value=kitchen]")
    shot(page, "catalog-2-kitchens")

    shapes_of_kitchens = facet_counts(page, "shape")
    filter_by(page, facade_material=catalog["facade"], shape=catalog["shape"])
    assert f"facade_material={catalog['facade']}" in page.url
    assert f"shape={catalog['shape']}" in page.url
    assert results_count(page) == catalog["expected"] >= 1
    # Each dimension counts under the others: the shapes now count kitchens of that facade.
    assert facet_counts(page, "shape") != shapes_of_kitchens
    assert facet_counts(page, "shape")[catalog["shape"]] == catalog["expected"]
    assert facet_counts(page, "facade_material")[catalog["facade"]] == catalog["expected"]
    assert page.is_checked(f"input[name=facade_material][value='{catalog['facade']}']")
    shot(page, "catalog-3-filtered")

    page.locator(".istok-catalog-results .istok-catalog-card__link").first.click()
    page.wait_for_load_state()
    assert "/catalog/" in page.url and "category=" not in page.url
    # The category beside the kind, over the name ("Мебель · Кухня").
    assert "Кухня" in page.locator(".istok-catalog-product__kind").inner_text()
    colour = page.locator("img.istok-catalog-views__colour")
    sketch = page.locator("img.istok-catalog-views__sketch")
    assert colour.is_visible() and not sketch.is_visible()
    page.click("label[for=istok-view-sketch]")
    assert sketch.is_visible() and not colour.is_visible()
    shot(page, "catalog-4-sketch")
    page.click("label[for=istok-view-colour]")
    assert colour.is_visible() and not sketch.is_visible()
    # The pictures really load (runserver serves MEDIA_URL in DEBUG; here the live server).
    assert colour.evaluate("image => image.complete && image.naturalWidth > 0")
    shot(page, "catalog-5-colour")

    with page.expect_download() as download_info:
        page.click("a.istok-catalog-model__download")
    download = download_info.value
    assert download.suggested_filename.endswith(".glb")
    assert Path(download.path()).read_bytes().startswith(b"glTF")


# Loyalty ---------------------------------------------------------------------------------------


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page, "form.istok-form")


def test_friend_joins_with_the_referral_link_and_the_customer_pays_with_points(
    new_page, live_server
):
    """The demo's loyalty story (tests/test_loyalty.py tells it with the test client)."""
    if not (apps.is_installed("istok_loyalty") and apps.is_installed("istok_orders")):
        pytest.skip("istok_loyalty and istok_orders are not both composed")
    from django.conf import settings

    from istok_accounts import services as accounts
    from istok_loyalty import selectors
    from istok_loyalty.models import Promotion, Referral
    from istok_orders import services as orders
    from istok_orders.pipeline import get_pipeline

    call_command("istok_loyalty_demo", stdout=StringIO())
    User = get_user_model()
    manager = User._default_manager.create_superuser("manager", "manager@example.com", PASSWORD)
    olga = accounts.sign_up(
        username="olga",
        email="olga@example.com",
        password=PASSWORD,
        personal_data_consent=True,
        first_name="Ольга",
    )

    def move_to(order, status):
        for step in get_pipeline().path(order.status, status):
            orders.set_status(order, step, manager, "")

    # Olga copies her link from the referral page.
    customer = new_page("ru-RU")
    sign_in(customer, live_server, "olga", PASSWORD)
    customer.goto(f"{live_server.url}/loyalty/referral/")
    link = customer.locator("#istok-loyalty-link").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/r/[A-Z2-9]{{8}}/", link)
    shot(customer, "loyalty-1-referral")

    # A friend opens it, signs up from the invitation and picks a gift.
    friend = new_page("ru-RU")
    friend.goto(link)
    assert "Ольга" in friend.locator("h1").inner_text()
    friend.locator("main a.istok-button--primary").click()
    friend.wait_for_load_state()
    assert friend.url.endswith("/accounts/signup/")
    friend.fill("#id_username", "ivan")
    friend.fill("#id_email", "ivan@example.com")
    friend.fill("#id_password1", PASSWORD)
    friend.fill("#id_password2", PASSWORD)
    friend.check("#id_personal_data_consent")
    submit(friend, "form.istok-form")
    assert friend.url.endswith("/accounts/profile/")
    ivan = User._default_manager.get(username="ivan")
    assert Referral.objects.get(new_user=ivan).referrer == olga
    gift = Promotion.objects.pool(Promotion.Program.REFERRAL).order_by("position").first()
    friend.goto(f"{live_server.url}/loyalty/referral/gift/")
    friend.check(f"input[name=gift][value='{gift.pk}']")
    submit(friend, "form.istok-form")
    assert gift.title in friend.locator("main").inner_text()
    shot(friend, "loyalty-2-gift")

    # The friend's first order goes into production: Olga is credited, once.
    before = selectors.balance(olga)
    first = orders.create_order(
        ivan, actor=manager, lines=[{"name": "Шкаф", "unit_price": "84000"}]
    )
    move_to(first, settings.ISTOK_LOYALTY_REFERRAL_CONFIRM_STATUS)
    second = orders.create_order(
        ivan, actor=manager, lines=[{"name": "Полка", "unit_price": "9000"}]
    )
    move_to(second, settings.ISTOK_LOYALTY_REFERRAL_CONFIRM_STATUS)
    assert selectors.balance(olga) == before + settings.ISTOK_LOYALTY_REFERRAL_BONUS
    customer.goto(f"{live_server.url}/loyalty/referral/")
    assert customer.locator(".istok-loyalty-status--confirmed").count() == 1

    # Olga pays part of her order with points, within the limit.
    order = orders.create_order(
        olga, actor=manager, lines=[{"name": "Кухня", "unit_price": "4000"}]
    )
    limit = 4000 * settings.ISTOK_LOYALTY_MAX_ORDER_SHARE_PERCENT // 100
    customer.goto(f"{live_server.url}/loyalty/")
    customer.locator(f"main a[href='/loyalty/orders/{order.number}/pay/']").click()
    customer.wait_for_load_state()
    assert customer.locator("#id_points").get_attribute("max") == str(limit)
    customer.fill("#id_points", str(limit - 200))
    submit(customer, "form.istok-form")
    assert customer.locator(".istok-errorlist, .istok-alert--error").count() == 0
    shot(customer, "loyalty-3-paid")

    customer.goto(f"{live_server.url}/orders/{order.number}/")
    adjustment = customer.locator(".istok-orders__adjustment--points").inner_text()
    assert f"Оплачено бонусными баллами: {limit - 200}" in adjustment
    customer.goto(f"{live_server.url}/loyalty/")
    redemption = customer.locator(".istok-loyalty__row--redeem").first.inner_text()
    assert "Оплата заказа" in redemption and order.number in redemption
    shot(customer, "loyalty-4-history")


# Design: a desktop and a phone ------------------------------------------------------------

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

# The colour a custom property of istok-core's stylesheet resolves to, as getComputedStyle
# writes colours ("rgb(173, 59, 43)").
TOKEN_COLOUR = """token => {
    const probe = document.createElement("span");
    probe.style.color = `var(${token})`;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
}"""


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sized_page(new_page, width):
    page = new_page("ru-RU")
    page.set_viewport_size(WIDTHS[width])
    return page


@pytest.fixture
def demo_order(db):
    """The demo data (load_demo): the catalog, the demo customer's order and points."""
    if not all(apps.is_installed(app) for app in ("istok_orders", "istok_catalog")):
        pytest.skip("istok_orders and istok_catalog are not both composed")
    from istok_orders import selectors

    call_command("load_demo", stdout=StringIO())
    demo = get_user_model()._default_manager.get(username="demo")
    return selectors.customer_orders(demo).get()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_order_page_labels_every_stage_and_fits_the_screen(
    new_page, live_server, demo_order, width
):
    from django.utils import translation

    from istok_orders.pipeline import get_pipeline

    stages = get_pipeline().progress_steps
    with translation.override("ru"):
        labels = [str(stage.label) for stage in stages]
        current = str(get_pipeline()[demo_order.status].label)
    page = sized_page(new_page, width)
    sign_in(page, live_server, "demo", "istok-demo")
    page.goto(f"{live_server.url}/orders/{demo_order.number}/")

    steps = page.locator("ol.istok-steps > li.istok-steps__item")
    assert steps.count() == len(labels)
    boxes = []
    for index, label in enumerate(labels):
        text = steps.nth(index).locator(".istok-steps__label")
        assert text.is_visible()
        assert text.inner_text() == label
        box = text.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"]
        boxes.append(box)
    # No label covers another: a row on a wide screen, a column on a phone.
    for one, other in zip(boxes, boxes[1:], strict=False):
        apart = (
            one["x"] + one["width"] <= other["x"]
            if width == "desktop"
            else one["y"] + one["height"] <= other["y"]
        )
        assert apart, (one, other)
    marked = page.locator('.istok-steps__item[aria-current="step"]')
    assert marked.count() == 1
    assert marked.locator(".istok-steps__label").inner_text() == current
    position = labels.index(current)
    assert steps.nth(position + 1).locator(".istok-steps__next").is_visible()
    assert not steps.nth(position + 2).locator(".istok-steps__next").is_visible()
    assert page.locator(".istok-steps__item--done").count() == position
    assert fits_the_screen(page)
    shot(page, f"design-order-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_invalid_field_is_drawn_in_the_error_colour(new_page, live_server, width):
    page = sized_page(new_page, width)
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_username", "marina")
    page.fill("#id_email", "marina@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD + "-but-another")
    page.check("#id_personal_data_consent")
    submit(page, "form.istok-form")

    field = page.locator("#id_password2")
    assert field.get_attribute("aria-invalid") == "true"
    assert "id_password2_error" in field.get_attribute("aria-describedby").split()
    assert page.locator("#id_password2_error").is_visible()
    box = field.locator("xpath=ancestor::div[contains(@class, 'istok-field ')][1]")
    assert "istok-field--invalid" in box.get_attribute("class").split()
    danger = page.evaluate(TOKEN_COLOUR, "--istok-color-danger")
    assert danger == "rgb(173, 59, 43)"  # the token's default, #ad3b2b
    border = "element => getComputedStyle(element).borderTopColor"
    assert field.evaluate(border) == danger
    # And while the customer types the password again.
    field.focus()
    assert field.evaluate(border) == danger
    assert page.locator("#id_email").evaluate(border) != danger
    assert fits_the_screen(page)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top of the picture
    shot(page, f"design-signup-error-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(new_page, live_server, demo_order, width):
    page = sized_page(new_page, width)
    page.goto(f"{live_server.url}/catalog/")
    assert page.locator(".istok-catalog-card").count() > 0
    assert fits_the_screen(page)
    shot(page, f"design-catalog-{width}")
    sign_in(page, live_server, "demo", "istok-demo")
    for app, path, name in [
        ("istok_orders", "/orders/", "orders"),
        ("istok_accounts", "/accounts/profile/", "profile"),
        ("istok_accounts", "/accounts/consents/", "consents"),
        ("istok_loyalty", "/loyalty/", "points"),
        ("istok_loyalty", "/loyalty/referral/", "referral"),
        ("istok_loyalty", "/loyalty/promotions/", "promotions"),
    ]:
        if apps.is_installed(app):
            assert page.goto(f"{live_server.url}{path}").ok, path
            assert fits_the_screen(page), path
            shot(page, f"design-{name}-{width}")
    if apps.is_installed("istok_loyalty"):
        page.goto(f"{live_server.url}/loyalty/")
        history = page.locator(".istok-loyalty__history tbody tr").first
        assert history.is_visible()
        box = history.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"]
