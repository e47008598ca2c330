"""The whole API against its own OpenAPI schema, with schemathesis.

Every operation of ``/api/schema/`` is called in-process (the project's WSGI application)
with requests schemathesis generates from the schema, valid and invalid ones, once as an
anonymous visitor and once as the signed-in demo customer, on the demo data. No response
may be a server error, and each must be documented (its status code, with the error
answers istok-core's ``document_errors`` hook adds) and match the schema: its content
type and its body.

Bounded for CI: a fixed number of examples per operation and identity
(``ISTOK_SCHEMATHESIS_EXAMPLES``, default below), the same examples on every run (a fixed
seed; ``ISTOK_SCHEMATHESIS_SEED`` picks another), and a time limit per request
(:data:`REQUEST_SECONDS`). With 25 examples, the 52 tests send about 1,300 requests in 30
seconds on two idle cores (a minute on busy ones), on SQLite and PostgreSQL alike.
"""

import os
import tempfile
import time
from io import StringIO
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import get_token
from django.test import RequestFactory, override_settings
from hypothesis import HealthCheck, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from demo.wsgi import application

EXAMPLES = int(os.environ.get("ISTOK_SCHEMATHESIS_EXAMPLES", "25"))
SEED = int(os.environ.get("ISTOK_SCHEMATHESIS_SEED", "2026"))
#: Longer than this, an answer is a defect (a few milliseconds are usual), not load.
REQUEST_SECONDS = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Hypothesis' caches outside the tree (its example database is off: ``database=None``).
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "istok-hypothesis")
HYPOTHESIS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,  # the time limit is per request (see ``call``), not per example
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


@pytest.fixture(scope="module", autouse=True)
def connections_kept_open():
    """Requests go through the project's own WSGI handler, which closes the database
    connection when a request ends (``close_old_connections``): that would end the
    transaction the test runs in, on PostgreSQL. Django's test client keeps it open the
    same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data (``load_demo`` and a little more) for the whole module, rolled back
    after it, its files in a temporary directory.

    Each test then runs in its own savepoint inside this transaction (pytest-django's
    ``db``), so what one operation's examples change does not leak into the next test.
    """
    files = tmp_path_factory.mktemp("schemathesis")
    roots = override_settings(MEDIA_ROOT=files / "media", PRIVATE_MEDIA_ROOT=files / "private")
    with roots, django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
            yield _more_data()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def file_roots(settings, demo):
    """The demo's file roots, not a new pair per test (conftest's): the documents the demo
    order holds must stay there."""
    return settings


def _more_data():
    """What the demo data lacks for the schema's optional parts (a second order with no
    delivery zone, a referral without a gift), and the path parameter values that name
    real objects, so examples reach past the 404s."""
    from django.contrib.auth import get_user_model

    from istok_accounts import services as accounts

    apps = django_settings.INSTALLED_ISTOK_APPS
    customer = get_user_model()._default_manager.get(username="demo")
    friend = accounts.sign_up(
        username="friend",
        email="friend@example.com",
        password="a-long-secret-42",
        personal_data_consent=True,
    )
    values = {"customer": customer}
    if "istok_catalog" in apps:
        from istok_catalog.selectors import published_products

        values["slug"] = [p.slug for p in published_products().order_by("pk")[:3]]
    if "istok_orders" in apps:
        from istok_orders import services as orders
        from istok_orders.selectors import customer_orders, visible_documents

        orders.create_order(customer, actor=friend)
        numbers = list(customer_orders(customer).order_by("pk"))
        values["number"] = [order.number for order in numbers]
        values["document"] = [
            document.pk for order in numbers for document in visible_documents(customer, order)
        ]
    if "istok_loyalty" in apps:
        from istok_loyalty import services as loyalty
        from istok_loyalty.selectors import current_promotions, published_news

        loyalty.apply_referral(customer, loyalty.get_or_create_account(friend).referral_code)
        values["news"] = [n.slug for n in published_news()[:2]]
        values["promotion"] = [p.pk for p in current_promotions()[:2]]
    return values


# Loaded once, when the module is collected (Django is set up by then; nothing is read
# from the database). The responses come from the same application.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def schemathesis_host(settings):
    # schemathesis' WSGI client sends "Host: localhost"; the tests run with DEBUG off.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]


def _use_known_values(case, demo, pick):
    """Replace generated path parameters by real ones when ``pick`` says so."""
    if not pick or not case.path_parameters:
        return
    parameters = dict(case.path_parameters)
    names = {
        "slug": "news" if "/news/" in case.path else "slug",
        "number": "number",
        "id": "document" if "/documents/" in case.path else "promotion",
    }
    for name in parameters:
        known = demo.get(names.get(name, ""))
        if known:
            parameters[name] = known[pick % len(known)]
    case.path_parameters = parameters


def call(case, session=None):
    """Send ``case`` as a browser of the portal would, with the CSRF cookie and its token
    in the header (SessionAuthentication checks them on unsafe methods, and signup always
    does), and the session cookie of a signed-in user when ``session`` is given."""
    request = RequestFactory().get("/")
    token = get_token(request)
    cookies = {django_settings.CSRF_COOKIE_NAME: request.META["CSRF_COOKIE"]}
    if session is not None:
        cookies[django_settings.SESSION_COOKIE_NAME] = session
    # The rate limits count in the cache: thousands of generated requests from one client
    # would soon get nothing but 429 (the limits have tests of their own).
    cache.clear()
    started = time.monotonic()
    response = case.call_and_validate(
        checks=CHECKS, cookies=cookies, headers={"X-CSRFToken": token}
    )
    elapsed = time.monotonic() - started
    assert elapsed < REQUEST_SECONDS, f"{case.method} {case.formatted_path}: {elapsed:.1f} s"
    return response


@schema.parametrize()
@schema.given(pick=st.integers(min_value=0, max_value=3))
@seed(SEED)
@HYPOTHESIS
def test_api_as_an_anonymous_visitor(case, pick, demo, db):
    _use_known_values(case, demo, pick)
    call(case)


@schema.parametrize()
@schema.given(pick=st.integers(min_value=0, max_value=3))
@seed(SEED)
@HYPOTHESIS
def test_api_as_the_signed_in_customer(case, pick, demo, db, client):
    _use_known_values(case, demo, pick)
    client.force_login(demo["customer"])
    call(case, session=client.cookies[django_settings.SESSION_COOKIE_NAME].value)
