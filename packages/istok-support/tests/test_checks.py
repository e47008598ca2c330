"""The system checks: a flow or an adapter that cannot work is reported at start-up."""

import pytest
from django.core import checks

from istok_support.conf import DEFAULT_FLOW


def errors():
    return [
        message.id
        for message in checks.run_checks()
        if message.id and message.id.startswith("istok_support.")
    ]


def test_the_default_configuration_passes():
    assert errors() == []


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        ("not a dict", "istok_support.E002"),
        ({**DEFAULT_FLOW, "greeting": ""}, "istok_support.E002"),
        ({**DEFAULT_FLOW, "branches": []}, "istok_support.E003"),
        ({**DEFAULT_FLOW, "branches": ["x"]}, "istok_support.E003"),
        (
            {**DEFAULT_FLOW, "branches": [{"code": "a b", "label": "A", "answer": "B"}]},
            "istok_support.E003",
        ),
        (
            {**DEFAULT_FLOW, "branches": [{"code": "handoff", "label": "A", "answer": "B"}]},
            "istok_support.E003",
        ),
        (
            {
                **DEFAULT_FLOW,
                "branches": [
                    {"code": "a", "label": "A", "answer": "B"},
                    {"code": "a", "label": "C", "answer": "D"},
                ],
            },
            "istok_support.E003",
        ),
        (
            {**DEFAULT_FLOW, "branches": [{"code": "a", "label": "", "answer": "B"}]},
            "istok_support.E003",
        ),
        (
            {
                **DEFAULT_FLOW,
                "branches": [{"code": "a", "label": "A", "answer": "B", "action": "pay"}],
            },
            "istok_support.E004",
        ),
    ],
)
def test_a_malformed_flow_is_an_error(settings, flow, expected):
    settings.ISTOK_SUPPORT_FLOW = flow
    assert expected in errors()


@pytest.mark.parametrize(
    "adapter", ["no.such.Adapter", "tests.adapters.NotAnAdapter", "tests.adapters"]
)
def test_an_adapter_that_cannot_be_used_is_an_error(settings, adapter):
    settings.ISTOK_SUPPORT_ADAPTER = adapter
    assert errors() == ["istok_support.E001"]


def test_an_adapters_flow_is_checked_too(settings):
    settings.ISTOK_SUPPORT_ADAPTER = "tests.adapters.CodeFlowAdapter"
    assert errors() == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ISTOK_SUPPORT_MAX_MESSAGE_LENGTH", 0),
        ("ISTOK_SUPPORT_MAX_MESSAGE_LENGTH", None),
        ("ISTOK_SUPPORT_RATE_LIMIT", "20"),
        ("ISTOK_SUPPORT_ATTACHMENT_MAX_SIZE", -5),
        ("ISTOK_SUPPORT_BOT_ORDERS_LIMIT", True),
    ],
)
def test_a_bad_number_setting_is_an_error(settings, name, value):
    setattr(settings, name, value)
    assert errors() == ["istok_support.E005"]


def test_no_rate_limit_is_allowed(settings):
    settings.ISTOK_SUPPORT_RATE_LIMIT = None
    assert errors() == []


def test_a_storage_that_cannot_be_imported_is_an_error(settings):
    settings.ISTOK_SUPPORT_ATTACHMENT_STORAGE = "no.such.Storage"
    assert errors() == ["istok_support.E006"]


def test_attachments_under_media_root_are_a_warning(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    assert errors() == ["istok_support.W001"]
