import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

import istok_orders
from istok_orders.checks import (
    check_adapter,
    check_document_storage,
    check_pipeline,
    check_product_model,
)
from istok_orders.conf import DEFAULT_PIPELINE


def ids(messages):
    return [m.id for m in messages]


def test_the_default_configuration_passes():
    assert check_pipeline(None) == []
    assert check_adapter(None) == []
    assert check_product_model(None) == []
    assert check_document_storage(None) == []


@pytest.mark.django_db
def test_project_checks_pass():
    problems = [m for m in checks.run_checks() if m.level >= checks.WARNING]
    assert problems == []


def test_a_next_status_the_pipeline_lacks_is_an_error(settings):
    settings.ISTOK_ORDERS_PIPELINE = [
        {"status": "new", "label": "New", "next": ["done", "lost"]},
        {"status": "done", "label": "Done", "next": []},
    ]
    (error,) = check_pipeline(None)
    assert error.id == "istok_orders.E001"
    assert "'lost'" in error.msg


@pytest.mark.parametrize(
    "pipeline",
    [
        [{"label": "No code"}],
        ["new"],
        [{"status": "new"}, {"status": "new"}],
        [{"status": "x" * 33}],
    ],
)
def test_malformed_entries_are_errors(settings, pipeline):
    settings.ISTOK_ORDERS_PIPELINE = pipeline
    assert "istok_orders.E002" in ids(check_pipeline(None))


@pytest.mark.parametrize("field", ["colour", "status_changed_at", "number"])
def test_a_date_field_must_be_a_date_of_the_order(settings, field):
    settings.ISTOK_ORDERS_PIPELINE = [{"status": "new", "next": [], "date_field": field}]
    assert ids(check_pipeline(None)) == ["istok_orders.E003"]


@pytest.mark.parametrize("max_days", [0, -1, "7", 2.5, True])
def test_max_days_must_be_a_positive_whole_number(settings, max_days):
    settings.ISTOK_ORDERS_PIPELINE = [{"status": "new", "next": [], "max_days": max_days}]
    assert ids(check_pipeline(None)) == ["istok_orders.E004"]


def test_an_empty_pipeline_is_an_error(settings):
    settings.ISTOK_ORDERS_PIPELINE = []
    assert ids(check_pipeline(None)) == ["istok_orders.E005"]


def test_the_default_pipeline_loops_back_only_from_correction():
    backwards = []
    codes = [entry["status"] for entry in DEFAULT_PIPELINE]
    for entry in DEFAULT_PIPELINE:
        for following in entry["next"]:
            if codes.index(following) < codes.index(entry["status"]):
                backwards.append((entry["status"], following))
    assert backwards == [("correction", "measurement")]


def test_an_adapter_that_cannot_be_imported_is_an_error(settings):
    settings.ISTOK_ORDERS_ADAPTER = "nowhere.Adapter"
    assert ids(check_adapter(None)) == ["istok_orders.E006"]


@pytest.mark.parametrize("value", ["nothing", "istok_catalog.Product", "testapp.Nope"])
def test_a_bad_product_model_is_an_error_and_a_clear_exception(settings, value):
    settings.ISTOK_ORDERS_PRODUCT_MODEL = value
    assert ids(check_product_model(None)) == ["istok_orders.E007"]
    with pytest.raises(ImproperlyConfigured, match="ISTOK_ORDERS_PRODUCT_MODEL"):
        istok_orders.get_product_model()


def test_the_product_model_string_has_a_default(settings):
    del settings.ISTOK_ORDERS_PRODUCT_MODEL
    assert istok_orders.get_product_model_string() == "istok_catalog.Product"


def test_a_storage_that_is_not_there_is_an_error(settings):
    settings.ISTOK_ORDERS_DOCUMENT_STORAGE = "no.such.Storage"
    assert ids(check_document_storage(None)) == ["istok_orders.E008"]


def test_no_private_directory_is_an_error(settings):
    del settings.PRIVATE_MEDIA_ROOT
    assert not hasattr(settings, "BASE_DIR")
    assert ids(check_document_storage(None)) == ["istok_orders.E008"]


def test_base_dir_gives_the_default_private_directory(settings, tmp_path):
    del settings.PRIVATE_MEDIA_ROOT
    settings.BASE_DIR = tmp_path
    from istok_orders.storage import build_backend

    assert build_backend().location == str(tmp_path / "private")


def test_documents_under_media_root_are_a_warning(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    assert ids(check_document_storage(None)) == ["istok_orders.W001"]


@pytest.mark.parametrize("value", ["istok_catalog.Product", "testapp.Prodcut"])
def test_check_reports_a_product_model_that_is_not_installed_instead_of_crashing(value):
    # A new process: the admin and its forms are imported by django.setup(), which is where
    # a product field built at import time crashed before any check could run.
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.missing_product_settings",
            "ISTOK_TEST_PRODUCT_MODEL": value,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "istok_orders.E007" in result.stderr
    assert value in result.stderr
    assert result.returncode == 1
