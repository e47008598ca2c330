"""Rate limits: the cache counter, the page mixin and the DRF throttles that share it."""

import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from django import forms
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation
from django.views.generic import FormView
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from istok_core import throttling

SCOPE = "tests_scope"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test counts from zero, and leaves no count behind for the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """``clock.now``: the time the counter and the cache see; move it forward at will."""
    state = SimpleNamespace(now=time.time())
    monkeypatch.setattr(time, "time", lambda: state.now)
    return state


# parse_rate --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("10/hour", (10, 3600)),
        ("10/h", (10, 3600)),
        ("3/minute", (3, 60)),
        ("5/15m", (5, 900)),
        ("100/day", (100, 86400)),
        ("1/second", (1, 1)),
        (" 7 / Hour ", (7, 3600)),
        (None, None),
        ("", None),
    ],
)
def test_rates_are_read_as_drf_writes_them(rate, parsed):
    assert throttling.parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["ten/hour", "10", "10/fortnight", "/h", "10/-1h", 10])
def test_a_malformed_rate_is_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured, match="Invalid rate"):
        throttling.parse_rate(rate)


# hit, wait, reset --------------------------------------------------------------------------


def test_events_within_the_rate_pass_and_the_next_one_waits_for_the_window(clock):
    assert [throttling.hit(SCOPE, "anna", "3/hour") for _ in range(3)] == [0, 0, 0]
    clock.now += 600
    assert throttling.hit(SCOPE, "anna", "3/hour") == 3000
    assert throttling.hit(SCOPE, "anna", "3/hour") == 3000


def test_the_window_ends_one_period_after_its_first_event(clock):
    for _ in range(4):
        throttling.hit(SCOPE, "anna", "3/hour")
    clock.now += 3601
    assert throttling.hit(SCOPE, "anna", "3/hour") == 0


def test_idents_and_scopes_are_counted_apart():
    for _ in range(3):
        throttling.hit(SCOPE, "anna", "3/hour")
    assert throttling.hit(SCOPE, "anna", "3/hour") > 0
    assert throttling.hit(SCOPE, "boris", "3/hour") == 0
    assert throttling.hit("another_scope", "anna", "3/hour") == 0


def test_no_rate_never_limits():
    assert all(throttling.hit(SCOPE, "anna", None) == 0 for _ in range(100))
    assert throttling.wait(SCOPE, "anna", "") == 0


def test_wait_asks_without_counting():
    for _ in range(10):
        assert throttling.wait(SCOPE, "anna", "2/hour") == 0
    throttling.hit(SCOPE, "anna", "2/hour")
    assert throttling.wait(SCOPE, "anna", "2/hour") == 0
    throttling.hit(SCOPE, "anna", "2/hour")
    assert 3590 <= throttling.wait(SCOPE, "anna", "2/hour") <= 3600


def test_reset_forgets_the_events():
    for _ in range(3):
        throttling.hit(SCOPE, "anna", "2/hour")
    throttling.reset(SCOPE, "anna")
    assert throttling.hit(SCOPE, "anna", "2/hour") == 0


def test_idents_that_are_no_valid_cache_keys_are_counted():
    ident = "ANNA smirnova@example.com\n" + "x" * 300
    throttling.hit(SCOPE, ident, "1/hour")
    assert throttling.hit(SCOPE, ident, "1/hour") > 0


# client_ip, request_ident ------------------------------------------------------------------


def request_from(address, forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_the_client_is_remote_addr_and_a_forwarded_header_is_not_believed():
    assert throttling.client_ip(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_proxies_the_address_the_outermost_proxy_saw_counts(settings):
    settings.REST_FRAMEWORK = {"NUM_PROXIES": 1}
    request = request_from("10.0.0.2", "198.51.100.1, 203.0.113.5")
    assert throttling.client_ip(request) == "203.0.113.5"
    settings.REST_FRAMEWORK = {"NUM_PROXIES": 2}
    assert throttling.client_ip(request) == "198.51.100.1"
    # Fewer addresses than proxies: the first one.
    settings.REST_FRAMEWORK = {"NUM_PROXIES": 5}
    assert throttling.client_ip(request) == "198.51.100.1"
    assert throttling.client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_the_client_address_is_the_one_without_the_network(settings):
    # For django-axes (AXES_CLIENT_IP_CALLABLE), which stores a plain address.
    assert (
        throttling.client_address(request_from("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2:aaaa::1"
    )
    settings.REST_FRAMEWORK = {"NUM_PROXIES": 1}
    request = request_from("10.0.0.2", "198.51.100.1, 203.0.113.5")
    assert throttling.client_address(request) == "203.0.113.5"


def test_an_ipv6_client_counts_as_its_network():
    one = throttling.client_ip(request_from("2001:db8:1:2:aaaa::1"))
    other = throttling.client_ip(request_from("2001:db8:1:2:bbbb::2"))
    assert one == other == "2001:db8:1:2::/64"
    assert throttling.client_ip(request_from("::ffff:203.0.113.5")) == "203.0.113.5"


def test_a_signed_in_user_counts_as_themselves_a_visitor_as_their_address():
    request = request_from("203.0.113.5")
    assert throttling.request_ident(request) == "ip:203.0.113.5"
    request.user = SimpleNamespace(pk=7, is_authenticated=True)
    assert throttling.request_ident(request) == "user:7"


# Messages ----------------------------------------------------------------------------------


def test_the_message_says_when_to_come_back_in_the_visitors_language():
    assert throttling.retry_message(1) == "Too many attempts. Please try again in 1 second."
    assert throttling.retry_message(59) == "Too many attempts. Please try again in 59 seconds."
    assert throttling.retry_message(61) == "Too many attempts. Please try again in 2 minutes."
    with translation.override("ru"):
        assert throttling.retry_message(61) == (
            "Слишком много попыток. Попробуйте снова через 2 минуты."
        )
        assert throttling.retry_message(300) == (
            "Слишком много попыток. Попробуйте снова через 5 минут."
        )


# RateLimitedFormMixin ----------------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField()
    cleaned = []

    def clean_name(self):
        NameForm.cleaned.append(self.cleaned_data["name"])
        return self.cleaned_data["name"]


class NameView(throttling.RateLimitedFormMixin, FormView):
    form_class = NameForm
    rate_limit_scope = SCOPE
    rate_limit_setting = "TESTS_NAME_RATE"

    def form_valid(self, form):
        return HttpResponse("saved")

    def form_invalid(self, form):
        return HttpResponse(" ".join(form.non_field_errors()), status=200)


def post_name(address="203.0.113.5"):
    request = RequestFactory().post("/", {"name": "Anna"}, REMOTE_ADDR=address)
    return NameView.as_view()(request)


def test_a_form_page_over_its_rate_is_refused_without_validating(settings):
    settings.TESTS_NAME_RATE = "2/hour"
    NameForm.cleaned.clear()
    assert [post_name().content for _ in range(2)] == [b"saved", b"saved"]
    response = post_name()
    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert response.content.decode() == "Too many attempts. Please try again in 60 minutes."
    assert NameForm.cleaned == ["Anna", "Anna"]
    assert post_name(address="198.51.100.1").content == b"saved"


def test_a_form_page_without_a_rate_is_never_limited(settings):
    settings.TESTS_NAME_RATE = None
    assert all(post_name().content == b"saved" for _ in range(20))


# DRF throttles -----------------------------------------------------------------------------

ScopeThrottle = throttling.setting_throttle(SCOPE, "TESTS_NAME_RATE")


class ScopedView(APIView):
    throttle_classes = [ScopeThrottle]

    def post(self, request):
        return Response({"ok": True})


class DefaultThrottlesView(APIView):
    throttle_classes = [throttling.AnonRateThrottle, throttling.UserRateThrottle]

    def get(self, request):
        return Response({"ok": True})


def api_post(address="203.0.113.5", user=None):
    request = APIRequestFactory().post("/", {}, format="json", REMOTE_ADDR=address)
    if user is not None:
        force_authenticate(request, user=user)
    return ScopedView.as_view()(request)


def test_a_setting_throttle_answers_429_with_retry_after_and_a_translated_detail(settings):
    settings.TESTS_NAME_RATE = "3/minute"
    assert [api_post().status_code for _ in range(3)] == [200, 200, 200]
    response = api_post()
    assert response.status_code == 429
    assert 55 <= int(response["Retry-After"]) <= 60
    assert response.data["detail"].startswith("Too many attempts. Please try again in ")
    with translation.override("ru"):
        response = api_post()
    assert response.status_code == 429
    assert response.data["detail"].startswith("Слишком много попыток.")
    assert api_post(address="198.51.100.1").status_code == 200


def test_a_setting_throttle_counts_a_signed_in_user_whatever_their_address(settings):
    settings.TESTS_NAME_RATE = "2/minute"
    anna = SimpleNamespace(pk=1, is_authenticated=True)
    assert api_post(address="203.0.113.5", user=anna).status_code == 200
    assert api_post(address="198.51.100.1", user=anna).status_code == 200
    assert api_post(address="192.0.2.9", user=anna).status_code == 429
    boris = SimpleNamespace(pk=2, is_authenticated=True)
    assert api_post(address="192.0.2.9", user=boris).status_code == 200


def test_a_setting_throttle_works_without_the_setting():
    # Unlike DRF's ScopedRateThrottle, which raises ImproperlyConfigured for a scope
    # missing from DEFAULT_THROTTLE_RATES: an app must work in a project that sets nothing.
    assert all(api_post().status_code == 200 for _ in range(20))


def test_a_page_and_an_api_endpoint_with_one_scope_share_the_limit(settings):
    settings.TESTS_NAME_RATE = "3/hour"
    assert post_name().status_code == 200
    assert api_post().status_code == 200
    assert post_name().status_code == 200
    assert api_post().status_code == 429
    assert post_name().status_code == 429


def get_default(address="203.0.113.5", user=None):
    request = APIRequestFactory().get("/", REMOTE_ADDR=address)
    if user is not None:
        force_authenticate(request, user=user)
    return DefaultThrottlesView.as_view()(request)


def test_anon_and_user_throttles_read_drfs_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    assert [get_default().status_code for _ in range(3)] == [200, 200, 429]
    anna = SimpleNamespace(pk=1, is_authenticated=True)
    # The visitors' limit is not a signed-in user's, even from the same address.
    assert [get_default(user=anna).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert get_default(user=anna)["Retry-After"]


def test_anon_and_user_throttles_without_rates_never_limit(settings):
    assert all(get_default().status_code == 200 for _ in range(20))


def test_the_module_imports_without_drf():
    code = (
        "import sys; sys.modules['rest_framework'] = None\n"
        "import istok_core.throttling as t\n"
        "assert t.parse_rate('1/h') == (1, 3600)\n"
        "assert issubclass(t.setting_throttle('a_b', 'X'), t.RateThrottle)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
