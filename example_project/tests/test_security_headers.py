"""Every page of the portal, the admin and the API passes its Content-Security-Policy and
says its Permissions-Policy: read from the HTML a browser would get, for a visitor, the demo
customer and the admin, on every page a link leads to (each URL pattern once)."""

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse

pytestmark = pytest.mark.skipif(
    not all(apps.is_installed(app) for app in ("istok_orders", "istok_loyalty")),
    reason="the demo data needs istok_orders and istok_loyalty",
)

# Links not to follow: they act (log out) or are files, not pages.
SKIP = re.compile(r"^/(static|media)/|/logout/|/download/|/documents/\d+/|/r/")
# Script types a browser does not run: data, which no policy restricts.
DATA_SCRIPTS = {"application/json", "application/ld+json", "importmap"}
PERMISSIONS = ["camera=()", "geolocation=()", "microphone=()", "payment=()"]


class Page(HTMLParser):
    """What a page asks the browser to run or style, as its tags say."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.scripts, self.handlers, self.styles, self.js_urls = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            if name == "style":
                self.styles.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.js_urls.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "style":
            self.styles.append(f"<style> without a nonce: {attrs}" if "nonce" not in attrs else "")
        self.styles = [s for s in self.styles if s]


def policy(response):
    header = response.get("Content-Security-Policy", "")
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def violations(url, response):
    """What a browser would refuse on this page under its own policy."""
    directives = policy(response)
    if not directives:
        return [f"{url}: no Content-Security-Policy"]
    found = []
    script_src = directives.get("script-src", directives.get("default-src", []))
    style_src = directives.get("style-src", directives.get("default-src", []))
    if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
        found.append(f"{url}: script-src allows {script_src}")
    nonces = {v[len("'nonce-") : -1] for v in script_src if v.startswith("'nonce-")}
    page = Page()
    page.feed(response.content.decode())
    for attrs in page.scripts:
        src = attrs.get("src")
        if src:
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(urljoin("http://testserver/", src)))
            if origin != "http://testserver" and origin not in script_src:
                found.append(f"{url}: script from {origin} not in script-src")
        elif (attrs.get("type") or "").lower() not in DATA_SCRIPTS and (
            attrs.get("nonce") not in nonces
        ):
            found.append(f"{url}: inline script without the nonce: {attrs}")
    found += [f"{url}: inline handler {h}" for h in page.handlers]
    found += [f"{url}: {u}" for u in page.js_urls]
    if "'unsafe-inline'" not in style_src:
        found += [f"{url}: inline style {s}" for s in page.styles]
    if "'none'" not in directives.get("object-src", []):
        found.append(f"{url}: object-src is not 'none'")
    if "'none'" not in directives.get("frame-ancestors", []):
        found.append(f"{url}: frame-ancestors is not 'none'")
    return found


def pattern_of(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None


def crawl(client, start):
    """Each page a link leads to from ``start`` (one URL per URL pattern), with its response."""
    queue, seen, pages = deque(start), set(), []
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        route = pattern_of(path)
        if route is None or route in seen or SKIP.search(path):
            continue
        seen.add(route)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append((url, response))
        page = Page()
        page.feed(response.content.decode())
        for href in page.links:
            parts = urlsplit(urljoin(url, href))
            if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
                queue.append(parts.path)
    return pages


@pytest.fixture
def demo(db):
    cache.clear()
    call_command("load_demo", stdout=StringIO())
    users = get_user_model()._default_manager
    return {"customer": users.get(username="demo"), "staff": users.get(username="admin")}


START = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/admin/"]


@pytest.mark.parametrize("who", ["visitor", "customer", "staff"])
def test_every_page_passes_its_content_security_policy(demo, who):
    client = Client()
    if who != "visitor":
        client.force_login(demo[who])
    pages = crawl(client, START)
    found = [v for url, response in pages for v in violations(url, response)]
    assert found == []
    routes = {pattern_of(urlsplit(url).path) for url, _response in pages}
    # The crawl did reach the portal's pages, not just the home page.
    assert len(pages) >= {"visitor": 10, "customer": 20, "staff": 80}[who], sorted(routes)
    for url, response in pages:
        for permission in PERMISSIONS:
            assert permission in response["Permissions-Policy"], url


def test_a_page_with_an_inline_script_is_caught():
    class Response(dict):
        content = b'<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:x()">'

    response = Response({"Content-Security-Policy": "script-src 'self' 'nonce-abc'"})
    found = violations("/x/", response)
    assert len(found) == 5, found  # handler, script, javascript: URL, object-src, frames


def test_the_browsable_api_and_the_api_docs_pass_their_policies(demo):
    client = Client()
    client.force_login(demo["customer"])
    for url in ["/api/accounts/me/", "/api/loyalty/me/", "/api/orders/", "/api/catalog/products/"]:
        response = client.get(url, headers={"accept": "text/html"})
        assert response.status_code == 200, url
        assert "<html" in response.content.decode()
        assert violations(url, response) == []
        assert "'unsafe-inline'" not in policy(response)["script-src"]
    docs = client.get(reverse("api_docs"))
    assert violations("/api/docs/", docs) == []
    # Swagger UI is served from this site (drf-spectacular-sidecar): no other site named,
    # only keywords ('self', 'none', ...) and data: images.
    others = [
        source
        for sources in policy(docs).values()
        for source in sources
        if not source.startswith("'") and source not in ("data:", "blob:")
    ]
    assert others == [], policy(docs)
    assert policy(docs)["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy(docs)["script-src"]
    # The widened policy (inline styles) is the docs page's alone.
    assert "'unsafe-inline'" in policy(docs)["style-src"]
    assert "'unsafe-inline'" not in client.get("/")["Content-Security-Policy"]


def test_a_json_answer_carries_the_headers_too(demo):
    client = Client()
    response = client.get("/api/loyalty/news/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_language_cookie_is_same_site_and_out_of_scripts_reach(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
