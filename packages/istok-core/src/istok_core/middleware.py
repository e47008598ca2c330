"""Middleware every project that installs an istok app should use.

``RejectControlCharactersMiddleware`` answers 400 to a request whose path or query string
carries a control character. A URL converter such as ``<str:number>`` lets ``%00``
through to the view, and PostgreSQL refuses a NUL in a text value with an error (a 500)
wherever the view looks it up; no view should have to defend against that on its own.
The session cookie gets the same care: its value is looked up in the database too.
"""

import re
from importlib import import_module

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext

#: The characters refused: the C0 controls (U+0000 to U+001F, NUL included) and DEL
#: (U+007F). Tab, line feed and carriage return too, in query values as elsewhere: a
#: search box or a link never sends them, and a line break that reaches a header (a
#: ``?next=`` redirect) or a log line is an attack, not a search.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")


def has_control_character(text):
    """Whether ``text`` contains a character of :data:`CONTROL_CHARACTERS`."""
    return CONTROL_CHARACTERS.search(text) is not None


def request_has_control_character(request):
    """Whether the decoded path, or a key or value of the query string, of ``request``
    contains a control character."""
    if has_control_character(request.path):
        return True
    return any(
        has_control_character(key) or any(has_control_character(value) for value in values)
        for key, values in request.GET.lists()
    )


class RejectControlCharactersMiddleware(MiddlewareMixin):
    """Answer 400 (a short translated text) to a request whose path, or a key or value of
    whose query string, contains a NUL or another control character, before any view runs.

    Put it in :setting:`MIDDLEWARE` after ``LocaleMiddleware`` (so the answer is in the
    visitor's language) and before any middleware of yours that reads the path or the
    query. The system check ``istok_core.W001`` warns when it is missing. Request bodies are
    left to the forms and serializers, whose text fields refuse a NUL as a field error.

    A session cookie with a control character names no session (Django would look it up,
    and PostgreSQL answer a NUL with an error): the request gets a new, empty session, as
    for any unknown key, and ``SessionMiddleware`` deletes the cookie. Refusing the request
    instead would lock out a browser given such a cookie by another site of the domain.
    Other cookies are left to their readers (Django's CSRF and language cookies, signed
    cookies, check their values).
    """

    def process_request(self, request):
        if request_has_control_character(request):
            return HttpResponseBadRequest(
                gettext("Bad request: the address contains a control character."),
                content_type="text/plain; charset=utf-8",
            )
        forget_bad_session_cookie(request)
        return None


def forget_bad_session_cookie(request):
    """Give ``request`` a new, empty session when its session cookie has a control
    character. Before ``SessionMiddleware``, the cookie is dropped from the request; after
    it, the session it made (not loaded yet: sessions load on first use) is replaced."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key is None or not has_control_character(key):
        return
    if hasattr(request, "session"):
        engine = import_module(settings.SESSION_ENGINE)
        request.session = engine.SessionStore()
    else:
        del request.COOKIES[settings.SESSION_COOKIE_NAME]
