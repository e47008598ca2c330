"""URLs: the home page (demo.views), the language switcher, the admin, the API schema and
every installed istok app's pages at ``<short>/`` and its API, when it has one, at
``api/<short>/``; with istok_loyalty, its short referral links ``/r/<code>/`` at the root;
in development (``DEBUG``) the uploaded files too. Errors: the project's 400.html,
403.html, 404.html and 500.html (Django's default handlers render them; with DEBUG on too
for a 404, see demo.middleware.PortalNotFoundMiddleware)."""

import importlib.util

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace, csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView, View
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import HomeView


def module_exists(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


admin.site.site_header = admin.site.site_title = "ISTOK"


class SwaggerView(SpectacularSwaggerSplitView):
    """drf-spectacular's Swagger UI page, answering OPTIONS as a plain Django view does.

    The "split" view serves the page's own script at ``?script``: no inline script, which
    the Content-Security-Policy would refuse.

    DRF answers OPTIONS with the view's metadata, which this page's only renderer (an HTML
    template) cannot render: an empty 200 with the ``Allow`` header instead of a 500.
    """

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)


# Swagger UI comes from this site's static files (drf-spectacular-sidecar:
# SPECTACULAR_SETTINGS["SWAGGER_UI_DIST"] = "SIDECAR"), so the page works offline and no
# other site is named. Its page has an inline <style> and its stylesheet data: images: the
# Content-Security-Policy allows them on this page alone. style-src is replaced, not
# extended: beside a hash (the catalog's 3D viewer adds one) a browser ignores
# 'unsafe-inline'.
api_docs = csp_update({"img-src": ["data:"]})(
    csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(SwaggerView.as_view(url_name="schema"))
)


class FaviconView(RedirectView):
    """/favicon.ico: istok-core's icon, at its static URL (asked when the request comes, as
    a manifest storage knows the hashed name only once collectstatic has run). Not a
    permanent redirect: that name changes with the file."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static_url("istok_core/img/favicon.ico")


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Browsers and feed readers that ask for /favicon.ico get istok-core's icon (pages
    # link it themselves, see istok/base.html).
    path("favicon.ico", FaviconView.as_view()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api_docs"),
]

for app in settings.INSTALLED_ISTOK_APPS:
    short = app.removeprefix("istok_")
    # Each app's urls.py sets app_name = "<app>" and its api/urls.py "<app>_api".
    if module_exists(f"{app}.urls"):
        urlpatterns.append(path(f"{short}/", include(f"{app}.urls")))
    if module_exists(f"{app}.api.urls"):
        urlpatterns.append(path(f"api/{short}/", include(f"{app}.api.urls")))

# The referral links customers share: /r/<code>/ at the root, short enough to dictate
# (URL name "istok_loyalty_referral_link", no namespace). The links the app builds use it
# once it is routed; loyalty/r/<code>/ keeps working too.
if "istok_loyalty" in settings.INSTALLED_ISTOK_APPS and module_exists(
    "istok_loyalty.urls_referral"
):
    urlpatterns.append(path("", include("istok_loyalty.urls_referral")))

# Uploaded files (catalog pictures, 3D models) under MEDIA_URL, for runserver only: static()
# gives nothing unless DEBUG. In production the web server or the storage serves them.
# Order documents are not among them: they live in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT,
# and only istok_orders' download view serves them, to those allowed to see them.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
