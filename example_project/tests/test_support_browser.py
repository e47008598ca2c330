"""The support chat as the demo shows it, in a real browser (Debian's Chromium via
Playwright), served as ``make demo`` serves it: ``runserver`` through daphne (ASGI, the
WebSocket included) on a demo database of its own (``migrate`` and ``load_demo``), in a
process of its own, so the chat's WebSocket and the pages meet one real server.

Two browser contexts: the demo customer and the manager (the demo's admin). The customer
opens the chat, the bot greets them, they press "About my current order" and see their
order's stage, choose the order and ask for a specialist; the manager takes the
conversation in the inbox and answers; the customer sees the answer without reloading
over the WebSocket, and again, with the WebSocket blocked, by polling. And the chat and
the inbox at a desktop width (1366 px) and a phone's (390 px): nothing wider than the
screen, and nothing axe-core finds wrong. ISTOK_SCREENSHOTS=<dir> keeps a screenshot of
every step.
"""

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CUSTOMER = ("demo", "istok-demo")
MANAGER = ("admin", "istok-admin")
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LOG = ".istok-support-chat__log"
AXE = PROJECT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
# Serious and critical violations, as tests/test_every_page.py judges every page (the
# flash message shown on the staff page after "Take" included).
AXE_RUN = """async () => (await axe.run(
        document, {resultTypes: ["violations"], preload: false})).violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(" | ")}`)"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """``make demo`` on a database of its own: its address, and what the server said."""
    for module in ("istok_support", "istok_orders", "channels", "daphne"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {module} (istok-support[realtime] and istok-orders)")
    if CHROMIUM is None:
        pytest.skip("needs Chromium: apt-get install chromium (CI installs it)")
    pytest.importorskip("playwright.sync_api", reason="needs playwright (dev)")
    directory = tmp_path_factory.mktemp("support-demo")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("ISTOK_DEMO_APPS", None)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    port = free_port()
    output = directory / "server.log"
    with output.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                assert server.poll() is None, output.read_text()
                time.sleep(0.2)
        else:
            pytest.fail("the demo server did not start:\n" + output.read_text())
        yield {"url": f"http://127.0.0.1:{port}", "log": output}
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def new_page(browser, width="desktop"):
    context = browser.new_context(locale="ru-RU", viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def shot(page, name):
    directory = os.environ.get("ISTOK_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)


def accessibility_problems(page):
    """What axe-core (installed by ``make test``: npm in tests/js) finds wrong on the page."""
    if not AXE.exists():
        pytest.fail(f"needs axe-core: npm install in {AXE.parents[2]} (make test does it)")
    page.evaluate(AXE.read_text() + "\n;0")
    return page.evaluate(AXE_RUN)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_in(page, site, path, credentials):
    page.goto(f"{site['url']}{path}")
    page.fill("#id_username", credentials[0])
    page.fill("#id_password", credentials[1])
    page.locator("main form button[type=submit], #content form [type=submit]").first.click()
    page.wait_for_load_state()


def press(page, action):
    page.locator(f".istok-support-chat__replies button[name=action][value='{action}']").click()


def last_message(page, kind):
    return page.locator(f"{LOG} .istok-support-message--{kind}").last


def wait_for_text(page, kind, text):
    page.locator(f"{LOG} .istok-support-message--{kind}", has_text=text).wait_for()


def manager_answers(manager, site, text):
    form = manager.locator("form.istok-support-chat__form")
    form.locator("textarea[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    wait_for_text(manager, "specialist", text)


def test_customer_asks_about_the_order_and_a_manager_answers_live(demo_site, browser):
    assert "Support chat over WebSocket" in demo_site["log"].read_text()
    customer = new_page(browser)
    sign_in(customer, demo_site, "/accounts/login/", CUSTOMER)
    customer.goto(f"{demo_site['url']}/support/")
    greeting = last_message(customer, "bot")
    assert "?" in greeting.locator(".istok-support-message__text").inner_text()
    # The script has connected the chat's WebSocket.
    customer.locator(".istok-support-chat[data-transport=websocket]").wait_for()
    replies = customer.locator(".istok-support-chat__replies button[name=action]")
    assert replies.count() == 5
    assert accessibility_problems(customer) == []
    shot(customer, "support-1-greeting")

    # "About my current order": the bot lists the demo order with its live stage.
    press(customer, "my_order")
    order = customer.locator(f"{LOG} .istok-support-message__order").last
    order.wait_for()
    stage = order.locator(".istok-support-message__order-status").inner_text()
    order_url = order.locator("a").get_attribute("href")
    number = re.search(r"/orders/(.+)/$", order_url).group(1)
    # The same stage as the order's own page says.
    page = customer.context.new_page()
    page.goto(f"{demo_site['url']}{order_url}")
    assert page.locator(".istok-orders-status").inner_text() == stage
    page.close()
    shot(customer, "support-2-orders")

    customer.locator(
        ".istok-support-chat__replies button[name=action][value^='order:']"
    ).first.click()
    wait_for_text(customer, "bot", number)
    press(customer, "handoff")
    customer.locator(".istok-support-chat__replies").wait_for(state="hidden")
    customer.evaluate("window.istokNotReloaded = true")

    # The manager: the inbox, take the conversation, the customer's order beside it.
    manager = new_page(browser)
    sign_in(manager, demo_site, "/admin/login/?next=/support/staff/", MANAGER)
    manager.goto(f"{demo_site['url']}/support/staff/")
    row = manager.locator(".istok-support-inbox__row").first
    assert row.locator(".istok-support-unread").count() == 1
    shot(manager, "support-3-inbox")
    row.locator("a").first.click()
    manager.wait_for_load_state()
    assert number in manager.locator(".istok-support-desk__orders").inner_text()
    manager.locator("button[name=op][value=take]").click()
    manager.wait_for_load_state()
    manager.locator(".istok-support-chat[data-transport=websocket]").wait_for()
    manager_answers(manager, demo_site, "Здравствуйте! Замерщик приедет в понедельник.")
    assert accessibility_problems(manager) == []
    shot(manager, "support-4-staff")

    # Over the WebSocket, without a reload.
    wait_for_text(customer, "specialist", "Замерщик приедет в понедельник.")
    assert customer.evaluate("window.istokNotReloaded") is True
    assert accessibility_problems(customer) == []  # with the messages the script added
    assert customer.locator(".istok-support-chat").get_attribute("data-transport") == "websocket"
    shot(customer, "support-5-answer-over-websocket")

    # The WebSocket blocked: the chat asks the API every few seconds instead.
    blocked = customer.context.new_page()
    blocked.set_default_timeout(15_000)
    blocked.route_web_socket(re.compile(r".*/ws/.*"), lambda socket: socket.close())
    polls = []
    blocked.on(
        "request",
        lambda request: polls.append(request.url) if "/messages/?after=" in request.url else None,
    )
    blocked.goto(f"{demo_site['url']}/support/")
    blocked.evaluate("window.istokNotReloaded = true")
    manager_answers(manager, demo_site, "И ещё: фасады уже готовы.")
    wait_for_text(blocked, "specialist", "фасады уже готовы")
    assert blocked.evaluate("window.istokNotReloaded") is True
    assert polls, "the chat never asked the API"
    shot(blocked, "support-6-answer-by-polling")

    # The manager's inbox notices a new message of the customer, without a reload.
    conversation_url = manager.url
    manager.goto(f"{demo_site['url']}/support/staff/?filter=all")
    manager.locator("[data-istok-support-inbox][data-transport=websocket]").wait_for()
    changed = manager.locator(".istok-support-inbox__changed")
    assert changed.is_hidden()
    blocked.locator("form.istok-support-chat__form textarea[name=text]").fill("Спасибо!")
    blocked.locator("form.istok-support-chat__form button[type=submit]").click()
    changed.wait_for()
    shot(manager, "support-7-inbox-changed")

    # The manager closes it: the customer's chat says so and takes no more text.
    manager.goto(conversation_url)
    manager.locator("button[name=op][value=close]").click()
    manager.wait_for_load_state()
    blocked.locator(".istok-support-chat__form").wait_for(state="hidden")
    wait_for_text(customer, "system", "Обращение закрыто")
    assert customer.locator("[data-istok-support-status]").inner_text() == "Закрыто"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chat_and_the_inbox_fit_a_phone(demo_site, browser, width):
    customer = new_page(browser, width)
    sign_in(customer, demo_site, "/accounts/login/", CUSTOMER)
    customer.goto(f"{demo_site['url']}/support/")
    customer.locator(f"{LOG} .istok-support-message").first.wait_for()
    assert fits_the_screen(customer)
    # Keyboard and screen reader: the messages are a labelled log that takes the focus (to
    # scroll it), the message field has its label, Enter sends.
    log = customer.locator(LOG)
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-label")
    log.focus()
    for _ in range(12):  # the links in the messages, the quick replies, then the field
        customer.keyboard.press("Tab")
        if customer.evaluate("document.activeElement.name") == "text":
            break
    else:
        pytest.fail("the message field is not reached with the keyboard")
    field = customer.locator(".istok-support-chat__form textarea[name=text]")
    label = customer.locator(f"label[for='{field.get_attribute('id')}']")
    assert label.is_visible()
    shot(customer, f"support-chat-{width}")

    manager = new_page(browser, width)
    sign_in(manager, demo_site, "/admin/login/?next=/support/staff/", MANAGER)
    manager.goto(f"{demo_site['url']}/support/staff/?filter=all")
    assert fits_the_screen(manager)
    assert accessibility_problems(manager) == []
    shot(manager, f"support-inbox-{width}")
    manager.locator(".istok-support-inbox__row a").first.click()
    manager.wait_for_load_state()
    assert fits_the_screen(manager)
    shot(manager, f"support-staff-{width}")
