"""The 404 of the istok apps' APIs: translated, and naming no model.

DRF turns Django's ``Http404`` into its ``NotFound`` with the same message, and the
``Http404`` that ``get_object()`` raises (Django's ``get_object_or_404``) says "No Order
matches the given query.": in English whatever the language, and naming the model behind
the URL. Every API view of the istok apps uses :class:`NotFoundMixin`, so a client gets
``{"detail": "Not found."}`` in its language instead.
"""

from django.http import Http404
from django.utils.translation import pgettext_lazy
from rest_framework import exceptions


class NotFound(exceptions.NotFound):
    """DRF's ``NotFound`` (404, code ``not_found``) with the istok apps' translated detail.

    (DRF's own detail reads "Страница не найдена." in Russian, "page not found", which a
    client asking for an order would not expect.)"""

    default_detail = pgettext_lazy("api", "Not found.")


class NotFoundMixin:
    """For an API view: any ``Http404`` answers :class:`NotFound`'s detail. A ``NotFound``
    raised with a message of its own (DRF's "Invalid page.") keeps it."""

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            exc = NotFound()
        return super().handle_exception(exc)
