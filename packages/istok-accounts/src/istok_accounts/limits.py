"""Rate limits of the account pages and API, and the login lockout with django-axes.

The limits (``ISTOK_ACCOUNTS_*_RATE``) count in Django's cache through
:mod:`istok_core.throttling`: signups per client address (page and API together), account
erasure attempts per user (page and API together), password reset emails per address and
per client address. They need no other package.

Login lockout is django-axes' (optional, recommended: see the README). Every password this
app checks goes through ``authenticate(request, ...)``, so axes counts the failures of the
login page, the admin's and the account erasure's alike; a locked-out visitor sees the page
again with a translated message, as HTTP 429 with ``Retry-After``, when the project sets::

    AXES_LOCKOUT_CALLABLE = "istok_accounts.limits.axes_lockout_response"
    AXES_USERNAME_CALLABLE = "istok_accounts.limits.axes_username"
"""

import math

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from istok_core import throttling

SIGNUP = "istok_accounts_signup"
ERASURE = "istok_accounts_erasure"
PASSWORD_RESET_EMAIL = "istok_accounts_password_reset_email"
PASSWORD_RESET_IP = "istok_accounts_password_reset_ip"


def password_reset_allowed(request, email):
    """Whether one more password reset email may go to ``email`` for this client.

    Each request counts, for the address (in any case) and for the client's address,
    whether or not an account has that email: the page must answer the same either way.
    """
    ip = throttling.client_ip(request)
    by_ip = throttling.hit(PASSWORD_RESET_IP, ip, settings.ISTOK_ACCOUNTS_PASSWORD_RESET_IP_RATE)
    by_email = throttling.hit(
        PASSWORD_RESET_EMAIL, email.strip().lower(), settings.ISTOK_ACCOUNTS_PASSWORD_RESET_RATE
    )
    return not (by_ip or by_email)


# Login lockout (django-axes) --------------------------------------------------------------


def locked_out(request):
    """Whether django-axes refused the last ``authenticate()`` of this request."""
    return bool(getattr(request, "axes_locked_out", False))


def _cool_off_seconds(request):
    try:
        from axes.helpers import get_cool_off
    except ImportError:
        return None
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds()) if cool_off else None


def lockout_message(request):
    """The translated message for a visitor django-axes has locked out."""
    seconds = _cool_off_seconds(request)
    if seconds is None:
        return _(
            "Too many failed attempts to sign in: this account is locked. "
            "Please contact us to unlock it."
        )
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts to sign in. Please try again in %(count)d minute "
        "or reset your password.",
        "Too many failed attempts to sign in. Please try again in %(count)d minutes "
        "or reset your password.",
        minutes,
    ) % {"count": minutes}


def lockout_error(request):
    """A ``ValidationError`` for a form to show when django-axes has locked the visitor out.

    It also marks the request, so :func:`axes_lockout_response` keeps the page that shows it.
    """
    request.istok_lockout_shown = True
    return ValidationError(lockout_message(request), code="locked_out")


def axes_lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the response for a locked-out visitor, HTTP 429.

    A page of this app that showed the lockout in its form is kept as it is; anything else
    (the admin's login, say) gets ``istok_accounts/locked_out.html``. Both say when to come
    back in ``Retry-After`` when ``AXES_COOLOFF_TIME`` is set.
    """
    if original_response is not None and getattr(request, "istok_lockout_shown", False):
        response = original_response
    else:
        response = render(
            request,
            "istok_accounts/locked_out.html",
            {"message": lockout_message(request)},
            status=429,
        )
    response.status_code = 429
    seconds = _cool_off_seconds(request)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def axes_username(request, credentials=None):
    """``AXES_USERNAME_CALLABLE``: the account's username for the login typed.

    One can sign in with the username or the email address in any case: counted as typed,
    ``anna``, ``Anna@Example.com`` and ``ANNA@example.com`` would each get their own
    attempts. A login that names no account counts as typed, in lower case, cut to the
    255 characters axes stores (the admin's login form lets longer ones through).
    """
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username", "")
    typed = str(typed).strip()[:255]
    manager = get_user_model()._default_manager
    if hasattr(manager, "get_by_login"):
        try:
            return manager.get_by_login(typed).get_username()
        except (manager.model.DoesNotExist, manager.model.MultipleObjectsReturned):
            pass
    return typed.lower()


# Checking a signed-in user's password ---------------------------------------------------------


def check_password(request, user, password):
    """Raise a ``ValidationError`` unless ``password`` is ``user``'s.

    Through ``authenticate()``, so django-axes, when installed, counts a wrong password as a
    failed sign-in and refuses a locked-out visitor even the right one.
    """
    authenticated = authenticate(request, username=user.get_username(), password=password)
    if authenticated is not None and authenticated.pk == user.pk:
        return
    if locked_out(request):
        raise lockout_error(request)
    raise ValidationError(_("The password is not correct."), code="password_incorrect")
