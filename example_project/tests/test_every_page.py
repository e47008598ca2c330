"""Every page of the portal, as a visitor, a customer and a manager, at 1366 px and 390 px.

A crawler starts from each role's entry pages (the home page, the account pages, the admin)
and follows every link the pages show on this site, one page per URL shape (a second order or
product of the same shape adds nothing, see :func:`shape`). On each page, at both widths:

- nothing scrolls sideways (``scrollWidth <= innerWidth``);
- the browser logs no error (console or uncaught exception);
- no request leaves 127.0.0.1 (fonts, scripts, pictures: all served by the site itself);
- a Russian page speaks Russian: no English word outside :data:`ALLOWED_LATIN`;
- axe-core (pinned in ``tests/js/package.json``, installed by ``make test``) finds no
  serious or critical accessibility violation.

Each page's screenshots are saved under ``example_project/screenshots/pages/`` (ignored by
git; ``ISTOK_SCREENSHOTS`` moves them), so anyone can look at what the suite saw. All the
problems of a role are collected and reported together.
"""

import os
import re
from collections import defaultdict, deque
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from .test_browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HERE = Path(__file__).resolve().parent
AXE = HERE / "js" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("ISTOK_SCREENSHOTS") or HERE.parent / "screenshots") / "pages"
WIDTHS = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}

#: Latin-script words a Russian page may show: names of brands, formats and networks, and
#: the demo's own logins and e-mail addresses (removed before the check, see :func:`english`).
ALLOWED_LATIN = {
    # The language switcher's codes.
    "ru",
    "en",
    "istok",
    "api",
    "openapi",
    "pdf",
    "glb",
    "gltf",
    "ics",
    "json",
    "csv",
    "telegram",
    "whatsapp",
    "vk",
    "max",
    "viber",
    "email",
    "e-mail",
    "id",
    "mdf",
    "hpl",
    "led",
    "demo",
    "admin",
    # A currency's code and a language's own name (the language switcher, the admin's
    # translation fields).
    "rub",
    "english",
    # Django's own Russian catalogue keeps these in its help texts (the multiple choice's
    # "Control"/"Command" on a "Mac"; an unusable password for "Single Sign-On" or "LDAP").
    "control",
    "command",
    "mac",
    "single",
    "sign-on",
    "sing-on",
    "sso",
    "ldap",
    "ip",
    # The calendar event's identifier (an .ics file's UID), as calendars call it.
    "uid",
}

#: Pages whose English words are their app's and cannot be translated: django-axes writes
#: its log entries' names in English in code ("Access Log for admin @ ..."), and the
#: user name "unknown" for a sign-in attempt without one.
ENGLISH_EXEMPT = re.compile(r"^/admin/axes/")

#: What is not prose, so not read for English: code, what must not be translated, the
#: admin's columns and fields of identifiers (slugs, codes, logins, e-mail addresses,
#: numbers, keys, a password hash's masked salt).
NOT_PROSE = ", ".join(
    [
        "script",
        "style",
        "template",
        "noscript",
        "code",
        "kbd",
        "samp",
        "[translate=no]",
        ".field-slug",
        ".field-code",
        ".field-username",
        ".field-email",
        ".field-number",
        ".field-user",
        ".field-password",
        ".field-uid",
        ".field-idempotency_key",
        # What a manager typed (the texts of other languages in the translation fields)
        # and stored data structures (a bot message's buttons) are data, not the page's.
        "textarea",
        ".field-buttons",
        ".field-data",
        # The admin's list of what a deletion takes with it: the objects' own names
        # (Django names a many-to-many link "Designer_kinds object (1)").
        ".delete-confirmation #content ul",
    ]
)
LATIN_WORD = re.compile(r"(?<![\w@./-])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![\w@./-])")
EMAIL_OR_URL = re.compile(r"\S+@\S+|\bhttps?://\S+|\b[\w.-]+\.(?:ru|com|org|net)\b/?\S*")

#: Paths the crawler does not open: files and API answers (not pages), the language
#: switch and sign-out (POST only), the admin's JavaScript catalogue and "view on site"
#: redirects.
SKIP = re.compile(
    r"^/(?:media|static)/|^/api/(?!docs/$)|^/i18n/|/logout/|^/admin/jsi18n/|^/admin/r/"
    r"|\.(?:ics|pdf|glb|gltf|png|jpe?g|svg|webp|ico|json|csv|txt)$|/download/|/export/"
)

#: How many pages named by a slug are opened under one parent (two products of the
#: catalogue are enough to see the product page).
PER_PARENT = 2
#: A crawl that finds more pages than this is following something it should not.
MAX_PAGES = 400

#: Pages axe-core does not judge, and why. The rest of the checks apply to them.
AXE_EXEMPT = {
    # Swagger UI, served as its authors ship it (drf-spectacular-sidecar): a page for
    # developers, not customers; its contrast and nested controls are upstream's to fix.
    "/api/docs/",
}

PROSE = """selector => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll(selector).forEach(element => element.remove());
    return body.innerText;
}"""

#: The live test server speaks WSGI: the support chat's WebSocket cannot connect to it, and
#: the chat falls back to polling, as it is meant to (tests/test_support_browser.py runs the
#: chat on daphne, WebSocket included). The browser logs the refused handshake; only that
#: error is expected here.
WSGI_WEBSOCKET = re.compile(r"WebSocket connection to 'ws://[^']+/ws/[^']*' failed")

AXE_RUN = """async () => {
    // No preload: it copies the stylesheets into new <style> elements, which the
    // Content-Security-Policy (style-src 'self') refuses, logging errors of its own.
    const result = await axe.run(document, {resultTypes: ["violations"], preload: false});
    return result.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x: ` +
                  v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ") + ")");
}"""


def shape(path, query):
    """The kind of page ``path`` is: its numbers replaced by ``*`` and the query string
    counted only by its keys, so ``/orders/ISTK-1/`` and ``/orders/ISTK-2/`` are one shape,
    and a list's second page one more."""
    path = re.sub(r"[^/]*\d[^/]*", "*", path)
    keys = sorted({pair.split("=")[0] for pair in query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


def slug_like(part):
    return bool(re.search(r"\d|-", part))


def english(text):
    """The Latin-script words of ``text`` not in :data:`ALLOWED_LATIN`."""
    text = EMAIL_OR_URL.sub(" ", text)
    return sorted({word for word in LATIN_WORD.findall(text) if word.lower() not in ALLOWED_LATIN})


@pytest.fixture
def demo_data():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def browser(live_server, monkeypatch):
    if CHROMIUM is None:
        pytest.fail("needs Chromium: apt-get install chromium (CI installs it)")
    if not AXE.exists():
        pytest.fail(f"needs axe-core: npm install in {AXE.parents[2]} (make test does it)")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def session_cookie(username, live_server):
    """A signed-in session for ``username`` (no sign-in form: the lockout counts those)."""
    client = Client()
    client.force_login(get_user_model()._default_manager.get(username=username))
    cookie = client.cookies["sessionid"]
    return {"name": "sessionid", "value": cookie.value, "url": live_server.url}


class Crawl:
    def __init__(self, browser, live_server, role, cookies):
        self.base = live_server.url
        self.host = urlsplit(self.base).netloc
        self.role = role
        self.context = browser.new_context(locale="ru-RU", viewport=WIDTHS["desktop"])
        if cookies:
            self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.errors = []
        self.outside = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.context.route("**/*", self._route)
        self.axe = AXE.read_text()
        self.problems = defaultdict(list)
        self.visited = []

    def _console(self, message):
        if message.type == "error" and not WSGI_WEBSOCKET.search(message.text):
            self.errors.append(f"console: {message.text}")

    def _route(self, route):
        host = urlsplit(route.request.url).netloc
        if route.request.url.startswith(("data:", "blob:")) or host == self.host:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def links(self):
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        found = []
        for href in hrefs:
            url = urlsplit(urljoin(self.page.url, href))
            if url.netloc != self.host or SKIP.search(url.path):
                continue
            found.append(url.path + (f"?{url.query}" if url.query else ""))
        return found

    def check(self, url):
        problems = self.problems[url]
        self.errors.clear()
        self.outside.clear()
        try:
            response = self.page.goto(self.base + url, wait_until="load")
        except Exception as error:  # a download, say: not a page
            if "Download is starting" in str(error):
                return []
            problems.append(f"did not load: {error}")
            return []
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            return []
        if response.status >= 400 and not url.startswith("/admin/"):
            problems.append(f"answered {response.status}")
        links = self.links()
        lang = self.page.locator("html").get_attribute("lang") or ""
        name = re.sub(r"[^\w.-]+", "_", url.strip("/")) or "home"
        for width_name, viewport in WIDTHS.items():
            self.page.set_viewport_size(viewport)
            self.page.wait_for_timeout(50)
            overflow = self.page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if overflow[0] > overflow[1]:
                problems.append(f"{width_name}: {overflow[0]} px wide in {overflow[1]} px")
            if url not in AXE_EXEMPT:
                self.page.evaluate(self.axe + "\n;0")
                for violation in self.page.evaluate(AXE_RUN):
                    problems.append(f"{width_name}: axe {violation}")
            path = SCREENSHOTS / self.role / f"{name}-{width_name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(WIDTHS["desktop"])
        if (
            lang.startswith("ru")
            and not url.startswith("/api/docs/")
            and not ENGLISH_EXEMPT.match(url)
        ):
            words = english(self.page.evaluate(PROSE, NOT_PROSE))
            if words:
                problems.append(f"English on a Russian page: {', '.join(words[:15])}")
        problems.extend(self.errors)
        problems.extend(f"request outside 127.0.0.1: {u}" for u in self.outside)
        return links

    def run(self, start):
        queue = deque(start)
        shapes = set()
        children = defaultdict(set)
        while queue:
            url = queue.popleft()
            path, _, query = url.partition("?")
            if path.startswith("/admin/") and query:
                continue  # the admin's sorting and filters: the same page again
            key = shape(path, query)
            if key in shapes:
                continue
            parent, _, last = path.rstrip("/").rpartition("/")
            if slug_like(last) and not query:
                if len(children[parent]) >= PER_PARENT:
                    continue
                children[parent].add(last)
            shapes.add(key)
            self.visited.append(url)
            assert len(self.visited) <= MAX_PAGES, self.visited
            queue.extend(self.check(url))
        self.context.close()
        return {url: found for url, found in self.problems.items() if found}


ROLES = {
    "visitor": (None, ["/", "/accounts/signup/", "/accounts/login/"]),
    "customer": ("demo", ["/", "/accounts/profile/"]),
    "manager": ("admin", ["/", "/admin/"]),
}


def test_every_page_as_a_visitor_a_customer_and_a_manager(demo_data, browser, live_server):
    # One test, so the demo data is loaded once for the three crawls.
    reports, visited = [], 0
    for role, (username, start) in ROLES.items():
        cookies = [session_cookie(username, live_server)] if username else []
        crawl = Crawl(browser, live_server, role, cookies)
        problems = crawl.run(start)
        assert len(crawl.visited) >= 5, (role, crawl.visited)
        visited += len(crawl.visited)
        reports += [
            f"{role} {url}\n" + "\n".join(f"    {p}" for p in found)
            for url, found in problems.items()
        ]
    assert not reports, f"{len(reports)} of {visited} pages:\n" + "\n".join(reports)
