"""The order pages on istok-core's base template, includes and design system."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from istok_orders.pipeline import get_pipeline
from istok_orders.testing.factories import move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer)
    return client


def steps_of(html):
    """(label, state, marked current) of each step of the page's step progress."""
    progress = re.search(r'<ol class="istok-steps" aria-label="[^"]+">(.*?)</ol>', html, re.S)
    return [
        (label, state, 'aria-current="step"' in attributes)
        for state, attributes, label in re.findall(
            r'<li class="istok-steps__item istok-steps__item--(\w+)"([^>]*)>.*?'
            r'<span class="istok-steps__label">([^<]*)</span>',
            progress.group(1),
            re.S,
        )
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_stage_of_the_order_is_labelled_and_the_current_one_marked(
    logged_in, order, staff, language
):
    move_to(order, "engineering", actor=staff)
    html = logged_in.get(
        reverse("istok_orders:order_detail", kwargs={"number": order.number}),
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    stages = get_pipeline().progress_steps
    with translation.override(language):
        labels = [str(stage.label) for stage in stages]
    current = [stage.code for stage in stages].index("engineering")
    assert steps_of(html) == [
        (
            label,
            "done" if i < current else "current" if i == current else "upcoming",
            i == current,
        )
        for i, label in enumerate(labels)
    ]


def test_the_order_page_adds_its_own_stylesheet_after_the_core_one(logged_in, order):
    html = logged_in.get(
        reverse("istok_orders:order_detail", kwargs={"number": order.number})
    ).content.decode()
    assert '<body class="istok-page">' in html
    assert html.index("/static/istok_core/css/istok.css") < html.index(
        "/static/istok_orders/orders.css"
    )
    # The lines stack into cards on a phone, each cell naming its column.
    assert '<table class="istok-table istok-table--stack">' in html
