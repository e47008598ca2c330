"""Running a use case again after a deadlock; the API's answers to what services raise;
loading an adapter."""

from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import OperationalError, ProgrammingError, transaction
from rest_framework import exceptions

from istok_core.adapters import load_adapter
from istok_core.api.errors import service_errors
from istok_core.transactions import TryAgain, is_retryable, retrying


def deadlock(code="40P01"):
    cause = Exception("deadlock detected")
    cause.sqlstate = code
    error = OperationalError("deadlock detected")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize("code", ["40P01", "40001", "55P03"])
def test_deadlocks_and_serialization_failures_are_worth_another_try(code):
    assert is_retryable(deadlock(code))


def test_other_database_errors_are_not():
    assert not is_retryable(deadlock("23505"))  # unique_violation
    assert not is_retryable(ProgrammingError("syntax"))


@pytest.mark.django_db(transaction=True)
def test_a_victim_runs_again_and_succeeds():
    calls = mock.Mock(side_effect=[deadlock(), deadlock(), "done"])
    assert retrying(calls)() == "done"
    assert calls.call_count == 3


@pytest.mark.django_db(transaction=True)
def test_after_the_last_attempt_it_is_try_again():
    calls = mock.Mock(side_effect=deadlock())
    with pytest.raises(TryAgain) as caught:
        retrying(attempts=2)(calls)()
    assert calls.call_count == 2
    assert "try again" in str(caught.value)


@pytest.mark.django_db(transaction=True)
def test_other_errors_pass_at_once():
    calls = mock.Mock(side_effect=deadlock("23505"))
    with pytest.raises(OperationalError):
        retrying(calls)()
    assert calls.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_the_caller_decides():
    calls = mock.Mock(side_effect=deadlock())
    with pytest.raises(OperationalError), transaction.atomic():
        retrying(calls)()
    assert calls.call_count == 1


class Conflict(ValidationError):
    http_status = 422


def raised(exc):
    with pytest.raises(exceptions.APIException) as caught, service_errors():
        raise exc
    return caught.value


def test_a_validation_error_is_a_400_with_its_field_errors():
    error = raised(ValidationError({"points": ["Too many."], "__all__": ["No."]}))
    assert error.status_code == 400
    assert error.detail == {"points": ["Too many."], "non_field_errors": ["No."]}


def test_a_validation_error_with_its_own_status():
    error = raised(Conflict({"idempotency_key": ["Used."]}))
    assert (error.status_code, error.detail) == (422, {"idempotency_key": ["Used."]})


def test_try_again_is_a_503_with_retry_after():
    error = raised(TryAgain())
    assert (error.status_code, error.wait) == (503, 1)


class Base:
    pass


class Good(Base):
    pass


@pytest.mark.parametrize(
    "value, message",
    [
        (None, "TEST_ADAPTER is not set."),
        ("no.such.Thing", "cannot import"),
        ("istok_core.adapters.load_adapter", "is not a class"),
        ("builtins.object", "must be a subclass"),
    ],
)
def test_a_bad_adapter_setting_names_the_setting(settings, value, message):
    settings.TEST_ADAPTER = value
    with pytest.raises(ImproperlyConfigured) as caught:
        load_adapter("TEST_ADAPTER", base=Base)
    assert message in str(caught.value)


def test_an_adapter_is_loaded(settings):
    settings.TEST_ADAPTER = "tests.test_transactions.Good"
    assert isinstance(load_adapter("TEST_ADAPTER", base=Base), Good)
