"""Middleware of the example project."""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.views.defaults import page_not_found


class RussianByDefaultMiddleware:
    """Ignore the browser's ``Accept-Language``: the portal speaks ``LANGUAGE_CODE``
    (Russian) until the visitor picks another language with the switcher.

    Why: the portal is a Russian furniture business's, for Russian-speaking customers, but
    many of them browse with an English browser or system (a work laptop, a phone bought
    abroad). Django's ``LocaleMiddleware`` would follow that header and greet them in
    English. Here the only ways to English are the switcher in the header, which stores the
    choice in the language cookie (``LANGUAGE_COOKIE_NAME``, set by ``set_language``), or
    an English URL prefix if the project ever uses ``i18n_patterns``.

    Place it before ``django.middleware.locale.LocaleMiddleware``: it removes the header
    from the request, so ``get_language_from_request()`` goes from the cookie straight to
    ``LANGUAGE_CODE``. (The responses still say ``Vary: Accept-Language``, which is only
    over-cautious for caches.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Add the ``Permissions-Policy`` header that ``settings.PERMISSIONS_POLICY`` describes.

    ``PERMISSIONS_POLICY`` maps a feature to the origins allowed to use it: ``[]`` turns it
    off (``camera=()``), ``["self"]`` allows this site only (``camera=(self)``), an origin
    is written quoted (``camera=(self "https://video.example")``). A response that already
    has the header (set by a view) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(self._origin(o) for o in origins)})"
            for feature, origins in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    @staticmethod
    def _origin(origin):
        return origin if origin in ("self", "*") else f'"{origin}"'

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PortalNotFoundMiddleware:
    """Answer every "not found" with the portal's 404 page (``templates/404.html``), with
    ``DEBUG`` on as with it off.

    Why: with ``DEBUG = True`` (``make demo``) Django answers an ``Http404`` with its
    technical page: yellow, in English, listing the URL patterns. The demo is shown to
    customers and managers, and a customer who opens someone else's order (which the
    orders app answers with a 404, so as not to tell that it exists) must see the portal's
    page, in their language. With ``DEBUG = False`` Django's own ``handler404`` renders the
    same template, so both paths give one page.

    Two cases: a view raises ``Http404`` (``process_exception``), or no URL pattern
    matches the path (checked before the view runs). Place it after
    ``AuthenticationMiddleware`` (the page shows the customer's menu) and after
    ``CommonMiddleware``, whose ``APPEND_SLASH`` redirect still follows such a 404.
    The API's 404s are DRF's JSON answers and never reach it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exception:
            return page_not_found(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


class AdminInlineStylesMiddleware:
    """Allow inline ``style="..."`` attributes on the admin's pages, and only there.

    Django's admin scripts (jQuery, the inlines' "add another" rows, the calendar and
    clock pop-ups) write ``style`` attributes, which the demo's ``style-src 'self'`` refuses
    (and the browser reports as console errors). This adds ``style-src-attr
    'unsafe-inline'`` to the policy of the responses under the admin: ``<style>`` elements
    and scripts stay as strict as on the portal. Place it after ``csp.middleware.
    CSPMiddleware`` (it sets django-csp's ``_csp_update`` on the response, which
    CSPMiddleware reads on the way out).
    """

    UPDATE = {"style-src-attr": ["'unsafe-inline'"]}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            update = dict(getattr(response, "_csp_update", None) or {})
            for directive, sources in self.UPDATE.items():
                update[directive] = [*update.get(directive, ()), *sources]
            response._csp_update = update
        return response
