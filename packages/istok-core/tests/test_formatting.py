"""One format for money, points, phones and dates, in Russian and English."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from istok_core import formatting

NBSP = "\N{NO-BREAK SPACE}"


def ru(text):
    return text.replace(" ", NBSP)


@pytest.fixture
def russian():
    with translation.override("ru"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "amount, expected",
    [
        (Decimal("132300"), "132 300 ₽"),
        (Decimal("132300.00"), "132 300 ₽"),
        (Decimal("392800.50"), "392 800,50 ₽"),
        (Decimal("5500"), "5 500 ₽"),
        (Decimal("0"), "0 ₽"),
        (1000, "1 000 ₽"),
        ("1200.5", "1 200,50 ₽"),
        (Decimal("9999999999.99"), "9 999 999 999,99 ₽"),
    ],
)
def test_money_in_russian(russian, amount, expected):
    assert formatting.format_money(amount) == ru(expected)


@pytest.mark.parametrize(
    "amount, expected",
    [(Decimal("132300"), "132,300 ₽"), (Decimal("392800.50"), "392,800.50 ₽")],
)
def test_money_in_english_keeps_the_rouble_sign(english, amount, expected):
    assert formatting.format_money(amount) == expected.replace(" ₽", f"{NBSP}₽")


def test_kopecks_can_always_or_never_be_shown(russian, settings):
    settings.ISTOK_MONEY_DECIMALS = "always"
    assert formatting.format_money(Decimal("5500")) == ru("5 500,00 ₽")
    settings.ISTOK_MONEY_DECIMALS = "never"
    assert formatting.format_money(Decimal("5500.50")) == ru("5 500 ₽")


def test_another_currency(russian, settings):
    settings.ISTOK_CURRENCY = "EUR"
    assert formatting.format_money(Decimal("10")) == ru("10 €")
    assert formatting.format_money(Decimal("10"), "KZT") == ru("10 ₸")
    assert formatting.format_money(Decimal("10"), "CHF") == ru("10 CHF")


@pytest.mark.parametrize("value", [None, ""])
def test_no_amount_is_empty(value):
    assert formatting.format_money(value) == ""


def test_not_a_number_is_shown_as_given():
    assert formatting.format_money("n/a") == "n/a"
    assert formatting.format_money(Decimal("NaN")) == "NaN"


@pytest.mark.parametrize(
    "count, expected",
    [
        (1, "1 балл"),
        (2, "2 балла"),
        (4, "4 балла"),
        (5, "5 баллов"),
        (11, "11 баллов"),
        (21, "21 балл"),
        (22, "22 балла"),
        (1200, "1 200 баллов"),
        (0, "0 баллов"),
    ],
)
def test_points_with_russian_plural_forms(russian, count, expected):
    assert formatting.format_points(count) == ru(expected)


def test_points_in_english(english):
    assert formatting.format_points(1) == f"1{NBSP}point"
    assert formatting.format_points(1200) == f"1,200{NBSP}points"


@pytest.mark.parametrize(
    "phone",
    ["+79123456789", "89123456789", "8 (912) 345-67-89", "+7 912 345 67 89"],
)
def test_one_phone_format_everywhere(phone):
    assert formatting.format_phone(phone) == "+7 912 345-67-89"


def test_a_phone_that_cannot_be_parsed_is_shown_as_given():
    assert formatting.format_phone("call me") == "call me"
    assert formatting.format_phone("") == ""


def test_dates_in_the_active_language(russian):
    assert formatting.format_date(date(2026, 11, 29)) == "29 ноября 2026 г."


def test_the_template_filters(russian):
    rendered = Template(
        "{% load istok %}{{ total|money }}|{{ balance|points }}|{{ tel|phone }}|"
        "{% money total 'EUR' %}|{{ day|istok_date }}"
    ).render(
        Context(
            {
                "total": Decimal("392800.50"),
                "balance": 5,
                "tel": "+79123456789",
                "day": date(2026, 11, 29),
            }
        )
    )
    assert rendered.split("|") == [
        ru("392 800,50 ₽"),
        ru("5 баллов"),
        "+7 912 345-67-89",
        ru("392 800,50 €"),
        "29 ноября 2026 г.",
    ]


def test_the_phone_example_is_in_the_display_format(settings):
    assert formatting.phone_example("RU") == "+7 912 345-67-89"
    assert formatting.format_phone(formatting.phone_example("RU")) == "+7 912 345-67-89"
    settings.PHONENUMBER_DEFAULT_REGION = "KZ"
    assert formatting.phone_example().startswith("+7 7")


def test_the_grouped_filter(russian):
    rendered = Template("{% load istok %}{{ n|grouped }}|{{ text|grouped }}").render(
        Context({"n": 12500, "text": "n/a"})
    )
    assert rendered == ru("12 500|n/a")
