"""The base template and the shared includes: what a page of every istok app is made of."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.utils import translation

import istok_core

STYLESHEET = Path(istok_core.__file__).parent / "static" / "istok_core" / "css" / "istok.css"


def render_string(source, context=None, request=None):
    return engines["django"].from_string(source).render(context or {}, request)


# The base template --------------------------------------------------------------------------


PAGE = """{% extends "istok/base.html" %}
{% block title %}Orders{% endblock %}
{% block extra_head %}<link rel="stylesheet" href="/static/orders.css">{% endblock %}
{% block content %}<h1>My orders</h1>{% endblock %}
{% block extra_js %}<script src="/static/orders.js"></script>{% endblock %}"""


def test_a_page_fills_the_blocks_of_the_base_template():
    html = render_string(PAGE)
    assert "<title>Orders</title>" in html
    assert '<main class="istok-main" id="content">' in html
    assert re.search(r"<main[^>]*>.*<h1>My orders</h1>.*</main>", html, re.S)
    # The page's stylesheet after the design system's, so it builds on its tokens.
    assert html.index("istok_core/css/istok.css") < html.index("/static/orders.css")
    assert html.index("</main>") < html.index("/static/orders.js") < html.index("</body>")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_base_template_speaks_the_active_language_and_fits_a_phone(language):
    with translation.override(language):
        html = render_string(PAGE)
    assert f'<html lang="{language}">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    skip = "Skip to content" if language == "en" else "Перейти к содержимому"
    assert f'<a class="istok-skip-link" href="#content">{skip}</a>' in html


def test_the_base_template_shows_the_messages_above_the_content():
    messages = [
        Message(constants.SUCCESS, "Your profile is saved."),
        Message(constants.ERROR, "The document could not be sent."),
    ]
    html = render_string(PAGE, {"messages": messages})
    # The live region wraps the list (a list with a role is no list to a screen reader).
    assert '<div role="status">\n    <ul class="istok-messages">' in html
    assert 'istok-message--success">Your profile is saved.</li>' in html
    assert 'istok-message--error">The document could not be sent.</li>' in html
    assert html.index("istok-messages") < html.index("<h1>My orders</h1>")


def test_without_messages_there_is_no_empty_list():
    assert "istok-messages" not in render_string(PAGE, {"messages": []})


def test_a_project_base_template_extends_the_core_one_with_its_layout(tmp_path, settings):
    # The project's istok/base.html (in TEMPLATES DIRS) extends istok/base.html: Django
    # finds the core's file from it, and the apps' pages get the project's layout.
    (tmp_path / "istok").mkdir()
    (tmp_path / "istok" / "base.html").write_text(
        '{% extends "istok/base.html" %}'
        "{% block head_title %}{% block title %}{% endblock %} · Kitchens{% endblock %}"
        '{% block site_head %}<link rel="stylesheet" href="/static/site.css">{% endblock %}'
        '{% block header %}<header class="site-header">Kitchens</header>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path]},
    ]
    html = render_string(PAGE)
    assert "<title>Orders · Kitchens</title>" in html
    assert '<header class="site-header">Kitchens</header>' in html
    assert "<h1>My orders</h1>" in html
    # The project's stylesheet comes last: its rules win over the apps' at equal weight.
    assert (
        html.index("istok_core/css/istok.css")
        < html.index("/static/orders.css")
        < html.index("/static/site.css")
    )


# A form field ---------------------------------------------------------------------------------


class ContactForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="We write only about your order.")
    contact = forms.ChoiceField(
        label="How to reach you",
        choices=[("phone", "Phone"), ("email", "Email")],
        widget=forms.RadioSelect,
    )
    newsletter = forms.BooleanField(label="Send me news", required=False)
    nickname = forms.CharField(label="Nickname", required=False, disabled=True)


def render_field(field):
    return render_to_string("istok_core/includes/field.html", {"field": field})


def test_a_valid_field_has_its_label_and_help_and_no_error_state():
    form = ContactForm()
    html = render_field(form["email"])
    assert '<label class="istok-field__label" for="id_email">Email address</label>' in html
    assert 'id="id_email_helptext"' in html
    assert "istok-field--required" in html
    assert "istok-field--invalid" not in html
    assert "aria-invalid" not in html


def test_an_invalid_field_shows_its_error_state_tied_to_the_widget():
    form = ContactForm(data={"email": "not an address", "contact": "phone"})
    assert not form.is_valid()
    html = render_field(form["email"])
    assert "istok-field istok-field--email istok-field--required istok-field--invalid" in html
    widget = re.search(r"<input[^>]*>", html).group()
    assert 'aria-invalid="true"' in widget
    described_by = re.search(r'aria-describedby="([^"]+)"', widget).group(1).split()
    assert described_by == ["id_email_helptext", "id_email_error"]
    errors = re.search(
        r'<ul class="[^"]*istok-errorlist[^"]*" id="id_email_error">(.*?)</ul>', html, re.S
    )
    assert errors.group(1).strip() == "<li>Enter a valid email address.</li>"


def test_an_invalid_list_of_radio_buttons_is_a_fieldset_described_by_its_error():
    form = ContactForm(data={"email": "a@example.com", "contact": "pigeon"})
    assert not form.is_valid()
    html = render_field(form["contact"])
    assert "istok-field--invalid" in html
    fieldset = re.search(r"<fieldset[^>]*>", html).group()
    assert 'aria-describedby="id_contact_error"' in fieldset
    assert 'aria-invalid="true"' in fieldset
    assert '<legend class="istok-field__label">How to reach you</legend>' in html
    assert 'id="id_contact_error"' in html


def test_a_checkbox_comes_before_its_label_and_a_disabled_field_says_so():
    form = ContactForm()
    html = render_field(form["newsletter"])
    assert html.index('type="checkbox"') < html.index(">Send me news</label>")
    assert "istok-field--disabled" in render_field(form["nickname"])


def test_the_form_fields_include_lists_the_form_errors_then_every_field():
    class PasswordForm(forms.Form):
        token = forms.CharField(widget=forms.HiddenInput)
        password = forms.CharField(widget=forms.PasswordInput)

        def clean(self):
            raise forms.ValidationError("The passwords do not match.")

    form = PasswordForm(data={"password": "x"})
    form.is_valid()
    html = render_to_string("istok_core/includes/form_fields.html", {"form": form})
    assert 'class="istok-alert istok-alert--error" role="alert"' in html
    assert "<li>The passwords do not match.</li>" in html
    assert "<li>Token: This field is required.</li>" in html
    assert 'type="hidden" name="token"' in html
    assert html.index("istok-alert") < html.index('name="password"')


# Step progress -------------------------------------------------------------------------------


STEPS = [
    {"label": "Sketch", "state": "done"},
    {"label": "Measurement", "state": "done"},
    {"label": "Production", "state": "current"},
    {"label": "Delivery", "state": "upcoming"},
    {"label": "Installation", "state": "upcoming"},
]


def steps_html(steps=STEPS):
    return render_to_string(
        "istok_core/includes/steps.html", {"steps": steps, "label": "Progress of the order"}
    )


def test_every_step_is_labelled_and_the_current_one_is_marked():
    html = steps_html()
    assert '<ol class="istok-steps" aria-label="Progress of the order">' in html
    items = re.findall(r"<li (.*?)</li>", html, re.S)
    assert len(items) == 5
    for item, step in zip(items, STEPS, strict=True):
        assert f'<span class="istok-steps__label">{step["label"]}</span>' in item
        assert f'istok-steps__item--{step["state"]}"' in item
        assert ('aria-current="step"' in item) == (step["state"] == "current")
    # What is done is said in words too, not only by a colour or a tick.
    assert items[0].count("(done)") == 1 and "(done)" not in items[2]
    assert "istok-steps__next" in items[3]


def test_steps_with_none_current_have_no_current_step():
    html = steps_html([{**step, "state": "upcoming"} for step in STEPS])
    assert "aria-current" not in html
    # Nothing current (a cancelled order): no "Stage n of m" either.
    assert "istok-steps__summary" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Stage 3 of 5:", "<strong>Production</strong>", "Next: Delivery", "Deadline"]),
        ("ru", ["Этап 3 из 5:", "<strong>Production</strong>", "Далее: Delivery", "Срок"]),
    ],
)
def test_the_steps_say_in_words_the_stage_the_next_one_and_the_deadline(language, expected):
    with translation.override(language):
        html = render_to_string(
            "istok_core/includes/steps.html",
            {"steps": STEPS, "label": "Progress", "deadline": date(2027, 1, 28)},
        )
    summary = re.search(r'<p class="istok-steps__summary">(.*?)</p>', html, re.S).group(1)
    for text in expected:
        assert text in summary
    assert ("Jan. 28, 2027" if language == "en" else "28 января 2027") in summary
    # Above the list, so it is read first.
    assert html.index("istok-steps__summary") < html.index('<ol class="istok-steps"')


def test_at_the_last_step_nothing_is_next_and_the_deadline_has_its_own_label():
    steps = [{**step, "state": "done"} for step in STEPS[:-1]]
    steps.append({**STEPS[-1], "state": "current"})
    html = render_to_string(
        "istok_core/includes/steps.html",
        {
            "steps": steps,
            "label": "Progress",
            "deadline": date(2027, 1, 28),
            "deadline_label": "Ready by",
        },
    )
    assert "Stage 5 of 5:" in html and "<strong>Installation</strong>" in html
    assert "Next:" not in html
    assert "Ready by: <strong>" in html


def test_steps_position_reads_objects_and_dicts():
    from types import SimpleNamespace

    from istok_core.templatetags.istok import steps_position

    objects = [SimpleNamespace(**step) for step in STEPS]
    position = steps_position(objects)
    assert (position["number"], position["total"]) == (3, 5)
    assert position["current"] is objects[2] and position["next"] is objects[3]
    assert steps_position(STEPS)["next"] == STEPS[3]
    assert steps_position([{**step, "state": "done"} for step in STEPS]) is None


# Pagination, empty state, money ---------------------------------------------------------------


def test_the_pagination_keeps_the_other_parameters_of_the_address():
    request = RequestFactory().get("/news/", {"program": "loyalty", "page": "2"})
    page = Paginator(range(30), 10).page(2)
    html = render_to_string(
        "istok_core/includes/pagination.html", {"page_obj": page}, request=request
    )
    assert 'href="?program=loyalty&amp;page=1">Previous</a>' in html
    assert 'href="?program=loyalty&amp;page=3">Next</a>' in html
    assert "Page 2 of 3" in html
    newest_first = render_to_string(
        "istok_core/includes/pagination.html",
        {"page_obj": page, "newest_first": True},
        request=request,
    )
    assert ">Newer</a>" in newest_first and ">Older</a>" in newest_first
    own = render_to_string(
        "istok_core/includes/pagination.html",
        {"page_obj": page, "previous_label": "Back", "next_label": "More"},
        request=request,
    )
    assert ">Back</a>" in own and ">More</a>" in own


def test_a_single_page_has_no_pagination():
    page = Paginator(range(3), 10).page(1)
    html = render_to_string(
        "istok_core/includes/pagination.html",
        {"page_obj": page},
        request=RequestFactory().get("/"),
    )
    assert html.strip() == ""


def test_the_empty_state_says_what_to_do_next():
    html = render_to_string(
        "istok_core/includes/empty.html",
        {"text": "No orders yet.", "action_url": "/catalog/", "action_text": "See the catalog"},
    )
    assert '<p class="istok-empty__text">No orders yet.</p>' in html
    assert 'href="/catalog/">See the catalog</a>' in html
    bare = render_to_string("istok_core/includes/empty.html", {"text": "No news yet."})
    assert "<a" not in bare


def test_the_money_include_uses_the_one_money_format(settings):
    settings.ISTOK_CURRENCY = "RUB"
    with translation.override("ru"):
        html = get_template("istok_core/includes/money.html").render(
            {"amount": Decimal("392800.50")}
        )
    assert html == '<span class="istok-money">392\xa0800,50\xa0₽</span>'


# The stylesheet ------------------------------------------------------------------------------


def css_rules():
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    return css


def test_the_stylesheet_defines_the_tokens_an_integrator_overrides():
    css = css_rules()
    root = re.search(r":root\s*{(.*?)}", css, re.S).group(1)
    tokens = set(re.findall(r"(--istok-[a-z0-9-]+)\s*:", root))
    for token in [
        "--istok-color-primary",
        "--istok-color-text",
        "--istok-color-danger",
        "--istok-color-focus",
        "--istok-font-body",
        "--istok-text-md",
        "--istok-space-4",
        "--istok-radius-md",
        "--istok-focus-width",
    ]:
        assert token in tokens
    # Every token the components use is defined.
    used = set(re.findall(r"var\((--istok-[a-z0-9-]+)", css))
    assert used <= tokens, used - tokens


def test_every_class_of_the_stylesheet_is_an_istok_component_of_no_package():
    classes = set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", css_rules()))
    classes -= {"helptext", "errorlist"}  # Django's own form rendering, inside .istok-form
    assert classes and all(name.startswith("istok-") for name in classes), classes
    packages = ("istok-accounts", "istok-catalog", "istok-orders", "istok-loyalty")
    assert not [name for name in classes if name.startswith(packages)]


def test_where_the_form_is_not_shown_again_its_errors_are_listed_alone():
    form = ContactForm(data={"email": "a@example.com", "contact": "pigeon"})
    form.is_valid()
    form.add_error(None, "The order can no longer change.")
    html = render_to_string("istok_core/includes/form_errors.html", {"form": form, "plain": True})
    assert "Please correct the errors below." not in html
    assert "<li>The order can no longer change.</li>" in html
    assert "<li>How to reach you: Select a valid choice." in html


# Error pages and the site's icon ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "english", "russian"),
    [
        ("400", "Bad request", "Неверный запрос"),
        ("403", "Access denied", "Доступ запрещён"),
        ("404", "Page not found", "Страница не найдена"),
        ("500", "Something went wrong on our side", "Что-то пошло не так на нашей стороне"),
    ],
)
def test_the_error_pages_say_what_happened_in_the_active_language(code, english, russian):
    for language, title in (("en", english), ("ru", russian)):
        with translation.override(language):
            # Django renders 400.html and 500.html without a request or a context.
            html = get_template(f"istok_core/errors/{code}.html").render()
        assert f'<html lang="{language}">' in html
        assert f"<title>{title}</title>" in html
        assert re.search(rf'<h1 class="istok-error__title"[^>]*>{title}</h1>', html)
        assert f'<p class="istok-error__code" aria-hidden="true">{code}</p>' in html
        home = "Go to the home page" if language == "en" else "На главную"
        assert f'href="/">{home}</a>' in html


def test_a_project_error_page_extends_the_core_one_with_its_own_ways_on(tmp_path, settings):
    (tmp_path / "404.html").write_text(
        '{% extends "istok_core/errors/404.html" %}'
        '{% block error_actions %}<a href="/catalog/">Catalog</a>{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    html = get_template("404.html").render()
    assert "Page not found" in html and 'href="/catalog/">Catalog</a>' in html
    assert "Go to the home page" not in html


def test_every_page_links_the_site_icon():
    html = render_string(PAGE)
    assert re.search(
        r'<link rel="icon" href="[^"]*istok_core/img/favicon\.svg" type="image/svg\+xml">', html
    )
    assert re.search(r'<link rel="icon" href="[^"]*istok_core/img/favicon\.ico"', html)
    static = Path(istok_core.__file__).parent / "static" / "istok_core" / "img"
    assert (static / "favicon.svg").read_text().startswith("<svg")
    assert (static / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (static / "apple-touch-icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
