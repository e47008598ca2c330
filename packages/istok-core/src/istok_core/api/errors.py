"""What a service raises, as the istok apps' APIs answer it.

Services raise Django's ``ValidationError`` with field errors; :func:`service_errors`
turns it into DRF's 400 with the same field errors (``NON_FIELD_ERRORS`` under DRF's
``NON_FIELD_ERRORS_KEY``). A ``ValidationError`` subclass with an ``http_status`` (an
idempotency key reused for another operation: 422) answers with that status, and
:class:`~istok_core.transactions.TryAgain` with 503 and ``Retry-After``.
"""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings

from ..transactions import TryAgain


class ServiceError(exceptions.APIException):
    """A refusal of a service answered with its own status (see ``http_status``)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, detail, status_code, code=None):
        super().__init__(detail, code)
        self.status_code = status_code


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "try_again"


def error_detail(exc):
    """The field errors of a Django ``ValidationError`` as DRF writes them."""
    detail = serializers.as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


@contextmanager
def service_errors():
    """``with service_errors(): services.something(...)`` in an API view."""
    try:
        yield
    except DjangoValidationError as exc:
        http_status = getattr(exc, "http_status", None)
        if http_status and http_status != status.HTTP_400_BAD_REQUEST:
            raise ServiceError(error_detail(exc), http_status) from exc
        raise serializers.ValidationError(detail=error_detail(exc)) from exc
    except TryAgain as exc:
        error = ServiceUnavailable(detail=exc.message)
        error.wait = exc.retry_after
        raise error from exc
