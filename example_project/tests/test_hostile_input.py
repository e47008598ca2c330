"""No request is a server error, whatever it carries: every URL pattern of the project
with a NUL in each path argument and in the query string, asked by an anonymous visitor, a
customer and a staff member with GET, POST and OPTIONS; every page with a NUL in the
session cookie; and every JSON API endpoint given a body nested 5,000 deep. On PostgreSQL
a NUL that reaches a query is a ``DataError`` (a 500): run these there too
(``DATABASE_URL``).
"""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver

needs_demo = pytest.mark.skipif(
    not all(apps.is_installed(app) for app in ("istok_accounts", "istok_orders")),
    reason="the demo data needs istok_accounts and istok_orders",
)

NUL = "%00"
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")  # path("<int:pk>/") and path("<pk>/")
GROUP_START = re.compile(r"\(\?P<(\w+)>")  # re_path(r"(?P<pk>\d+)/")


def _regex_route(regex, value_of):
    """The URL a ``re_path`` pattern matches with each named group replaced by its value."""
    out, i = [], 0
    while i < len(regex):
        match = GROUP_START.match(regex, i)
        if match:
            depth, j = 1, match.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
                j += 1
            out.append(value_of(match.group(1)))
            i = j
            continue
        if regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
            continue
        if regex[i] not in "^$":
            out.append(regex[i])
        i += 1
    return "".join(out)


def _route(pattern, value_of):
    if hasattr(pattern, "regex") and not hasattr(pattern, "_route"):
        return _regex_route(pattern.regex.pattern, value_of)
    return ARGUMENT.sub(lambda m: value_of(m.group(1)), str(pattern))


def url_patterns(resolver=None, parents=()):
    """Every URL pattern of the project, as (the chain of its patterns, the pattern),
    through every ``include()``."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, (*parents, pattern.pattern))
        else:
            yield (*parents, pattern.pattern), pattern


def build_url(chain, value_of):
    return "/" + "".join(_route(pattern, value_of) for pattern in chain)


def has_arguments(chain):
    seen = []
    build_url(chain, lambda name: seen.append(name) or "x")
    return bool(seen)


@pytest.fixture
def demo(db):
    """The demo data: the admin, the demo customer and their order, products, news; and no
    rate limit counted yet by earlier tests (the counters live in the cache)."""
    cache.clear()
    call_command("load_demo", stdout=StringIO())
    from istok_orders import selectors

    users = get_user_model()._default_manager
    customer = users.get(username="demo")
    return {
        "staff": users.get(username="admin"),
        "customer": customer,
        "order": selectors.customer_orders(customer).first(),
    }


def clients(demo):
    """An anonymous visitor, the signed-in customer and the signed-in staff member, each
    given the 500 page rather than the exception, as a real visitor would be."""
    anonymous = Client(raise_request_exception=False)
    customer = Client(raise_request_exception=False)
    customer.force_login(demo["customer"])
    staff = Client(raise_request_exception=False)
    staff.force_login(demo["staff"])
    return {"anonymous": anonymous, "customer": customer, "staff": staff}


def real_values(demo):
    """A value for a path argument that points at demo data where the name says what it is."""
    number = demo["order"].number

    def value_of(name):
        return {"number": number}.get(name, "1")

    return value_of


@pytest.mark.skipif(
    not all(apps.is_installed(app) for app in ("istok_orders", "istok_loyalty")),
    reason="the patterns named are istok_orders' and istok_loyalty's",
)
def test_the_walk_sees_every_kind_of_pattern():
    routes = {build_url(chain, lambda name: f"<{name}>") for chain, _ in url_patterns()}

    # path() arguments, re_path() groups (the admin's, static()'s), includes three deep.
    assert "/orders/<number>/documents/<pk>/" in routes
    assert "/api/loyalty/orders/<number>/pay/" in routes
    assert "/r/<code>/" in routes
    assert "/admin/<app_label>/" in routes
    assert "/admin/istok_orders/order/<object_id>/change/" in routes
    assert len(routes) > 150


@needs_demo
def test_a_nul_anywhere_in_any_address_is_never_a_server_error(demo):
    value_of = real_values(demo)
    requests = []
    for chain, _pattern in url_patterns():
        if has_arguments(chain):
            requests.append(build_url(chain, lambda name: NUL))
        requests.append(build_url(chain, value_of) + f"?q={NUL}")
    assert len(requests) > 250

    failures, statuses = [], set()
    for who, client in clients(demo).items():
        for url in requests:
            for method in ("get", "post", "options"):
                response = getattr(client, method)(url)
                statuses.add(response.status_code)
                if response.status_code not in (400, 404):
                    failures.append((who, method.upper(), url, response.status_code))

    assert failures == []
    assert 400 in statuses


@needs_demo
def test_a_session_cookie_with_a_nul_is_a_new_session_on_every_page(demo, settings):
    # Django looks the session key up in the database: PostgreSQL answered the NUL with a
    # DataError, a 500 on every page, for a cookie another site of the domain may set.
    value_of = real_values(demo)
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "\x00" + "a" * 31

    failures = []
    for chain, _pattern in url_patterns():
        url = build_url(chain, value_of)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))

    assert failures == []


def json_api_endpoints(demo):
    """(url, method) of every API endpoint that takes a JSON body by that method."""
    value_of = real_values(demo)
    for chain, pattern in url_patterns():
        view = getattr(pattern.callback, "cls", None)
        if view is None or not str(chain[0]).startswith("api/"):
            continue
        media_types = {parser.media_type for parser in view().get_parsers()}
        if "application/json" not in media_types:
            continue  # e.g. a document upload: multipart only (a 415 for JSON)
        for method in ("post", "put", "patch"):
            if hasattr(view, method):
                yield build_url(chain, value_of), method


@needs_demo
def test_every_json_api_refuses_a_body_nested_5000_deep_with_a_400(demo):
    endpoints = list(json_api_endpoints(demo))
    # signup; me (PUT, PATCH); consents; gift; erase; pay; promotion; status
    assert len(endpoints) >= 9, endpoints

    body = "[" * 5_000
    refused, failures = set(), []
    for who, client in clients(demo).items():
        for url, method in endpoints:
            response = getattr(client, method)(
                url, body, content_type="application/json", headers={"idempotency-key": "k"}
            )
            if response.status_code >= 500:
                failures.append((who, method.upper(), url, response.status_code))
            elif response.status_code == 400:
                # The demo runs in Russian: the refusal is translated.
                assert response.json() == {
                    "detail": "Слишком глубокая вложенность в теле запроса."
                }, (who, url, response.json())
                refused.add((url, method))

    assert failures == []
    # Each endpoint read the body for someone allowed to call it, and refused it.
    assert refused == set(endpoints)
