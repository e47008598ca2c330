"""Erasing an account, with every package composed, leaves nothing in the database that
names the customer.

A customer with a distinctive name, email, phone and address signs up, brings a friend
with their referral code, gets points, has an order with a timeline and a contract whose
file is named after them; a manager edits them in the admin; they are signed in on two
devices. They delete their account on the page. Then every text-like column of every
table (and every stored session, decoded) is searched for any way of writing them.
"""

import contextlib
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not all(apps.is_installed(app) for app in ("istok_orders", "istok_loyalty")),
        reason="needs istok_orders and istok_loyalty composed with istok_accounts",
    ),
]

PASSWORD = "a-long-and-unusual-passphrase"
USERNAME = "zhuravleva.lm"
EMAIL = "Ludmila.Zhuravleva@example.org"
FIRST_NAME = "Людмила"
LAST_NAME = "Журавлёва"
PHONE = "+79035551234"
ADDRESS = "Краснопресненская наб., д. 12, кв. 345"
IP_ADDRESS = "203.0.113.77"

# Every way the person may be written: the name also without "ё" (as the manager first
# typed it), the phone in E.164, with and without "+", national, formatted or not.
TRACES = [
    USERNAME,
    EMAIL,
    FIRST_NAME,
    LAST_NAME,
    "Журавлева",
    "+79035551234",
    "79035551234",
    "89035551234",
    "9035551234",
    "+7 903 555-12-34",
    "8 (903) 555-12-34",
    "903 555-12-34",
    ADDRESS,
    "Краснопресненская",
    IP_ADDRESS,
]

TEXT_FIELDS = (
    models.CharField,  # with EmailField, SlugField, URLField, the phone number field
    models.TextField,
    models.JSONField,
    models.FileField,
    models.GenericIPAddressField,
)


def readable(value):
    """A stored value as text to search: JSON (a JSON column, or JSON kept in a text
    column, such as the admin log's messages) also without its \\u escapes."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    text = str(value)
    if text[:1] in "[{":
        with contextlib.suppress(ValueError):
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return text


def stored_texts():
    """``(table, column, primary key, text)`` for every text-like column of every table,
    the many-to-many ones included, and every stored session decoded."""
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        names = [field.attname for field in fields]
        for pk, *values in model._base_manager.values_list("pk", *names).iterator():
            for field, value in zip(fields, values, strict=True):
                if value not in (None, ""):
                    yield model._meta.db_table, field.column, pk, readable(value)
        if hasattr(model, "get_session_store_class"):
            for session in model._base_manager.all():
                yield (
                    model._meta.db_table,
                    "(decoded)",
                    session.pk,
                    readable(session.get_decoded()),
                )


def traces_left(*extra):
    """Where the person is still written: ``(table, column, primary key, trace)``."""
    traces = [*TRACES, *extra]
    return sorted(
        {
            (table, column, str(pk), trace)
            for table, column, pk, text in stored_texts()
            for trace in traces
            if trace.lower() in text.lower()
        }
    )


def referral_code(user):
    from istok_loyalty import services

    return services.get_or_create_account(user).referral_code


def sessions_of(user):
    return [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


def admin_save(client, url, **changes):
    """Save an admin change form as a manager does: the fields as the page shows them
    (inlines included), with ``changes``."""
    response = client.get(url)
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if bound.field.disabled or value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def manager(db):
    return get_user_model()._default_manager.create_superuser(
        "manager", "manager@example.com", PASSWORD
    )


@pytest.fixture
def person(manager, django_capture_on_commit_callbacks):
    """The customer and everything the suite holds about them."""
    from istok_accounts import services as accounts
    from istok_loyalty import services as loyalty
    from istok_orders import services as orders
    from istok_orders.testing.factories import make_order, pdf_file

    signup = RequestFactory().post("/accounts/signup/", REMOTE_ADDR=IP_ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        person = accounts.sign_up(
            username=USERNAME,
            email=EMAIL,
            password=PASSWORD,
            personal_data_consent=True,
            newsletter_consent=True,
            first_name=FIRST_NAME,
            last_name="Журавлева",
            request=signup,
        )
        accounts.update_profile(person, phone=PHONE, renovation_planned=True)
        code = loyalty.get_or_create_account(person).referral_code
        # A friend joins with the customer's code.
        accounts.sign_up(
            username="friend",
            email="friend@example.com",
            password=PASSWORD,
            personal_data_consent=True,
            referral_code=code,
        )

        order = make_order(
            person,
            actor=manager,
            delivery_address=ADDRESS,
            phone="+7 903 555-12-34",
            notes="Домофон 345, спросить Людмилу Журавлёву",
        )
        orders.set_status(
            order, "measurement", manager, f"{FIRST_NAME} просила звонить на 89035551234"
        )
        orders.add_note(
            order, f"{LAST_NAME} подтвердила размеры", actor=manager, customer_visible=True
        )
        orders.update_details(order, phone="8 (903) 555-12-34", actor=manager)
        orders.attach_document(
            order,
            "contract",
            pdf_file("Договор Журавлёва Л.М. 8 (903) 555-12-34.pdf"),
            actor=manager,
        )
        loyalty.adjust(person, 300, note=f"Извинение для {FIRST_NAME} {LAST_NAME}", actor=manager)

    # The manager corrects the surname in the admin, and switches the referral code off.
    staff = Client()
    staff.force_login(manager)
    admin_save(
        staff, reverse("admin:istok_accounts_user_change", args=[person.pk]), last_name=LAST_NAME
    )
    account = loyalty.get_or_create_account(person)
    admin_save(
        staff,
        reverse("admin:istok_loyalty_loyaltyaccount_change", args=[account.pk]),
        referral_enabled="False",
    )
    return get_user_model()._default_manager.get(pk=person.pk)


def test_the_scenario_puts_the_person_everywhere(person):
    from django.contrib.admin.models import LogEntry

    tables = {table for table, _column, _pk, _trace in traces_left(referral_code(person))}
    assert {
        "istok_accounts_user",
        "istok_accounts_consent",
        "istok_orders_order",
        "istok_orders_orderevent",
        "istok_orders_document",
        "istok_loyalty_loyaltytransaction",
        "istok_loyalty_loyaltyaccount",
        "istok_loyalty_referral",
        "django_admin_log",
    } <= tables
    assert LogEntry.objects.filter(object_repr__startswith=USERNAME).count() == 2


def test_after_erasure_no_column_of_any_table_names_the_customer(
    person, django_capture_on_commit_callbacks
):
    phone = Client()
    response = phone.post(reverse("istok_accounts:login"), {"username": EMAIL, "password": "oops"})
    assert response.status_code == 200
    response = phone.post(
        reverse("istok_accounts:login"), {"username": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302
    laptop = Client()
    laptop.force_login(person)
    assert len(sessions_of(person)) == 2
    # Their code identifies them too: friends' referrals hold it.
    old_code = referral_code(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(reverse("istok_accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302

    assert traces_left(old_code) == []
    assert sessions_of(person) == []
    assert phone.get(reverse("istok_accounts:profile")).status_code == 302


def test_after_erasure_what_accounting_needs_is_kept(person, django_capture_on_commit_callbacks):
    from istok_accounts import services as accounts
    from istok_loyalty import selectors as loyalty
    from istok_orders import selectors as orders

    (order,) = orders.customer_orders(person)
    before = (order.number, order.total, order.status, order.order_date, order.lines.count())
    balance = loyalty.balance(person)

    with django_capture_on_commit_callbacks(execute=True):
        accounts.erase_user(person)

    (order,) = orders.customer_orders(person)
    assert (
        order.number,
        order.total,
        order.status,
        order.order_date,
        order.lines.count(),
    ) == before
    assert order.documents.get().original_name == "document-contract-v1.pdf"
    assert loyalty.balance(person) == balance
    friend = get_user_model()._default_manager.get(username="friend")
    assert friend.istok_referral.referrer_id == person.pk
