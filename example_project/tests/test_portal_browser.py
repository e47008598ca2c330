"""The portal's own pages in a real browser (Debian's Chromium via Playwright), at a
desktop's width and a phone's: the home page (a visitor's, a customer's dashboard), "My
orders" and an order, the error pages, the API docs. On each: nothing wider than the
screen, and no request leaving the site. ISTOK_SCREENSHOTS=<dir> keeps a screenshot of
each (see test_browser.py)."""

import pytest

from . import test_browser
from .test_browser import WIDTHS, fits_the_screen, shot, sign_in, sized_page

# test_browser.py's fixtures: a fresh Chromium page, the demo data's order.
new_page = test_browser.new_page
demo_order = test_browser.demo_order

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def expected_stage(order):
    """ "Этап 3 из 9": where ``order`` stands, as the pages say it in Russian."""
    from istok_orders import selectors

    steps = selectors.order_progress(order)
    number = next(i for i, step in enumerate(steps) if step.state == "current") + 1
    return f"Этап {number} из {len(steps)}"


def assert_in_sight(cells, width):
    """The first of ``cells`` is shown, with the column's name, within the screen."""
    cell = cells.first
    assert cell.is_visible()
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"]
    if width == "phone":  # a stacked row: the cell says which column it is
        label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label.strip('"') == cell.get_attribute("data-label")


def watch_requests(page, live_server):
    """The URLs the page asks for that are not on the live server (fonts, scripts, ...)."""
    outside = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else outside.append(request.url)
        ),
    )
    return outside


@pytest.mark.parametrize("width", WIDTHS)
def test_home_dashboard_orders_and_error_pages_fit_the_screen(
    new_page, live_server, demo_order, width
):
    page = sized_page(new_page, width)
    outside = watch_requests(page, live_server)
    page.goto(f"{live_server.url}/")
    assert page.locator(".istok-home-offer").count() == 4
    assert fits_the_screen(page)
    shot(page, f"portal-home-visitor-{width}")

    page.goto(f"{live_server.url}/no-such-page/")
    assert page.locator("h1").inner_text() == "Страница не найдена"
    assert fits_the_screen(page)
    shot(page, f"portal-404-visitor-{width}")

    sign_in(page, live_server, "demo", "istok-demo")
    page.goto(f"{live_server.url}/")
    number = page.locator(".istok-home-orders__number")
    assert demo_order.number in number.inner_text()
    stage = expected_stage(demo_order)
    assert stage in page.locator(".istok-home-orders__stage").inner_text()
    assert fits_the_screen(page)
    shot(page, f"portal-home-customer-{width}")

    for path, name in [("/orders/", "orders"), (f"/orders/{demo_order.number}/", "order")]:
        assert page.goto(f"{live_server.url}{path}").ok
        assert fits_the_screen(page), path
        shot(page, f"portal-{name}-{width}")
        if name == "orders":
            # The deadline and the total in sight, labelled, on a phone too.
            for label in ("Срок исполнения", "Итого"):
                assert_in_sight(
                    page.locator(f".istok-orders__table td[data-label='{label}']"), width
                )
    # The stage in words, the next one and the deadline, above the stages.
    summary = page.locator(".istok-steps__summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert stage in text and "Далее:" in text and "Срок исполнения" in text
    # The lines' sum in sight on a phone (the table stacks into cards).
    assert_in_sight(page.locator(".istok-orders__lines td[data-label='Сумма']"), width)

    # Someone else's order, or none: the portal's page, still signed in, in Russian.
    response = page.goto(f"{live_server.url}/orders/2000-99999/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Страница не найдена"
    assert page.locator('.istok-nav a[href="/orders/"][aria-current="true"]').count() == 1
    assert fits_the_screen(page)
    shot(page, f"portal-404-customer-{width}")
    assert outside == []


def test_the_api_docs_load_from_this_site_alone(new_page, live_server):
    page = new_page("ru-RU")
    outside = watch_requests(page, live_server)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI draws the schema: its scripts and styles came from this site.
    page.locator(".swagger-ui .info .title").wait_for()
    assert "ISTOK API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() > 0
    assert outside == [] and errors == []
    shot(page, "portal-api-docs")
