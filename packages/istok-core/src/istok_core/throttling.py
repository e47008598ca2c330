"""Rate limits shared by the istok apps: one counter in Django's cache for pages and API.

A *scope* names what is limited (``"istok_accounts_signup"``), an *ident* whom
(:func:`request_ident`: the signed-in user, else the client's address), a *rate* how much
(``"10/hour"``, as DRF writes it; ``None`` or ``""``: no limit). The packages read each
rate from a setting of their own (``ISTOK_ACCOUNTS_SIGNUP_RATE``...), so they work without
any setting of the project's, unlike DRF's ``ScopedRateThrottle`` which needs every scope in
``DEFAULT_THROTTLE_RATES``.

- :func:`hit` counts one event and says how long to wait when it is one too many;
  :func:`wait` only asks. Pages use them directly, or through :class:`RateLimitedFormMixin`.
- :class:`RateThrottle` is a DRF throttle on the same counter: a page and an API endpoint
  with the same scope share one limit. :class:`AnonRateThrottle` and
  :class:`UserRateThrottle` are DRF's two default throttles with the same translated 429.

DRF is imported only when a throttle refuses a request: this module, like the rest of
``istok_core``, imports without ``rest_framework`` installed.

The counter is a fixed window that opens at the first event and lasts the rate's period;
``cache.add`` and ``cache.incr`` make it safe under parallel requests with Redis or
Memcached. With several server processes, use such a shared cache: each process has its
own ``LocMemCache``.
"""

import hashlib
import ipaddress
import math
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.forms.utils import ErrorDict
from django.utils.translation import ngettext

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$", re.IGNORECASE)


def parse_rate(rate):
    """``"10/hour"`` -> ``(10, 3600)``: how many events per how many seconds.

    The period is read as DRF reads it, by its first letter (``s``, ``m``, ``h``, ``d``),
    and may have a multiplier: ``"5/15m"`` is five per quarter of an hour. ``None`` or an
    empty string means no limit and gives ``None``. Anything else raises
    ``ImproperlyConfigured``.
    """
    if rate is None or rate == "":
        return None
    match = _RATE.match(str(rate))
    if not match:
        raise ImproperlyConfigured(
            f"Invalid rate {rate!r}: write it like '10/hour', '5/15m' or '100/day'."
        )
    number, multiplier, unit = match.groups()
    return int(number), int(multiplier or 1) * PERIODS[unit.lower()]


def _keys(scope, ident):
    # Hashed: an email address or an IPv6 address is no valid Memcached key, and the
    # cache need not hold the addresses in clear.
    digest = hashlib.sha256(f"{scope}\0{ident}".encode()).hexdigest()[:40]
    return f"istok:throttle:{digest}:count", f"istok:throttle:{digest}:start"


def _remaining(start_key, period, now):
    start = cache.get(start_key)
    if start is None:
        return 1
    return max(1, math.ceil(start + period - now))


def hit(scope, ident, rate):
    """Count one event of ``ident`` in ``scope``: ``0`` if it is within ``rate``, else the
    seconds until the window ends and events are allowed again."""
    limit = parse_rate(rate)
    if limit is None:
        return 0
    number, period = limit
    count_key, start_key = _keys(scope, ident)
    now = time.time()
    if cache.add(count_key, 1, period):
        cache.set(start_key, now, period)
        count = 1
    else:
        try:
            count = cache.incr(count_key)
        except ValueError:  # the window ended between add() and incr()
            cache.set(count_key, 1, period)
            cache.set(start_key, now, period)
            count = 1
    if count <= number:
        return 0
    return _remaining(start_key, period, now)


def wait(scope, ident, rate):
    """The seconds ``ident`` must wait before its next event in ``scope`` is allowed
    (``0``: it may go on), without counting one."""
    limit = parse_rate(rate)
    if limit is None:
        return 0
    number, period = limit
    count_key, start_key = _keys(scope, ident)
    if cache.get(count_key, 0) < number:
        return 0
    return _remaining(start_key, period, time.time())


def reset(scope, ident):
    """Forget the events of ``ident`` in ``scope``."""
    cache.delete_many(_keys(scope, ident))


def client_address(request):
    """The client's address: ``REMOTE_ADDR``, unless ``REST_FRAMEWORK["NUM_PROXIES"]`` says
    how many proxies of yours stand in front of Django; then the address the outermost of
    them saw, from ``X-Forwarded-For``.

    Unlike DRF, which believes the whole header when ``NUM_PROXIES`` is unset, a header the
    client can write is never believed by default. Also usable as django-axes'
    ``AXES_CLIENT_IP_CALLABLE``, so the lockout and the rate limits see the same client.
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    num_proxies = getattr(settings, "REST_FRAMEWORK", {}).get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",")]
        address = addresses[-min(num_proxies, len(addresses))]
    return address


def client_ip(request):
    """The client as the rate limits count it: :func:`client_address`, an IPv6 address
    counting as its /64 network (one subscriber usually has all of it)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def _signed_in(request):
    return bool(getattr(getattr(request, "user", None), "is_authenticated", False))


def request_ident(request):
    """Whom a request counts for: ``"user:<pk>"`` when signed in, else ``"ip:<address>"``."""
    if _signed_in(request):
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request)}"


def retry_message(seconds):
    """The translated "too many attempts, try again in ..." for a wait of ``seconds``."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return ngettext(
            "Too many attempts. Please try again in %(count)d second.",
            "Too many attempts. Please try again in %(count)d seconds.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many attempts. Please try again in %(count)d minute.",
        "Too many attempts. Please try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


def too_many_requests(response, seconds):
    """Make ``response`` an HTTP 429 that says when to come back (``Retry-After``)."""
    response.status_code = 429
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response


def refuse_form(form, message):
    """Make ``form`` invalid with ``message`` as its only error, without validating it.

    For a request over its limit: validating would still answer what the limit guards
    (is this password right, is this email address taken?).
    """
    form.cleaned_data = {}
    form._errors = ErrorDict(renderer=form.renderer)
    form.add_error(None, message)
    return form


class RateLimitedFormMixin:
    """For a ``FormView``: each POST counts in ``rate_limit_scope``; one too many shows the
    form again, unvalidated, with a translated error, as an HTTP 429 with ``Retry-After``.

    Set ``rate_limit_scope`` and ``rate_limit_setting`` (the name of the Django setting that
    holds the rate). Each request counts for :func:`request_ident`, as in
    :class:`RateThrottle`: a page and an API endpoint with the same scope share the limit.
    """

    rate_limit_scope = None
    rate_limit_setting = None

    def post(self, request, *args, **kwargs):
        rate = getattr(settings, self.rate_limit_setting)
        seconds = hit(self.rate_limit_scope, request_ident(request), rate)
        if not seconds:
            return super().post(request, *args, **kwargs)
        form = refuse_form(self.get_form(), retry_message(seconds))
        return too_many_requests(self.form_invalid(form), seconds)


def _throttled(seconds):
    from rest_framework.exceptions import Throttled

    # DRF appends "Expected available in N seconds." after formatting it, so that part is
    # never translated: give the whole detail, then the wait for the Retry-After header.
    exc = Throttled(detail=retry_message(seconds))
    exc.wait = max(1, math.ceil(seconds))
    return exc


class RateThrottle:
    """A DRF throttle counting each request of :func:`request_ident` in ``scope``, at the
    rate held by the Django setting named ``rate_setting``.

    Subclass it and set both, or use :func:`setting_throttle`. An unset or empty rate
    means no limit. Over the limit the request gets HTTP 429 with ``Retry-After`` and a
    translated detail. (DRF's throttle interface is duck-typed: ``allow_request()`` and
    ``wait()``; no DRF base class is needed to define one.)
    """

    scope = None
    rate_setting = None

    def get_rate(self):
        return getattr(settings, self.rate_setting, None)

    def applies_to(self, request):
        return True

    def allow_request(self, request, view):
        self.seconds = 0
        if not self.applies_to(request):
            return True
        self.seconds = hit(self.scope, request_ident(request), self.get_rate())
        if self.seconds:
            raise _throttled(self.seconds)
        return True

    def wait(self):
        return self.seconds or None


def setting_throttle(scope, rate_setting):
    """A :class:`RateThrottle` subclass for ``scope`` at the rate of setting ``rate_setting``,
    to list in a view's ``throttle_classes``."""
    name = "".join(part.title() for part in re.split(r"[^a-zA-Z0-9]+", scope)) + "Throttle"
    return type(name, (RateThrottle,), {"scope": scope, "rate_setting": rate_setting})


class _DRFRateThrottle(RateThrottle):
    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_DRFRateThrottle):
    """DRF's ``AnonRateThrottle`` (rate ``DEFAULT_THROTTLE_RATES["anon"]``, visitors only,
    per address), with a translated 429 and the address read by :func:`client_ip`."""

    scope = "anon"

    def applies_to(self, request):
        return not _signed_in(request)


class UserRateThrottle(_DRFRateThrottle):
    """DRF's ``UserRateThrottle`` (rate ``DEFAULT_THROTTLE_RATES["user"]``, per user, per
    address for visitors), with a translated 429."""

    scope = "user"
