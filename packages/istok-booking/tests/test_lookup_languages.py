"""The kinds of visit, purposes and messengers read in the language of the page, the API
request, the email and the .ics file; the admin edits a text per language; migrating gave
the seeded rows their texts in the project's other languages."""

from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from istok_booking import ics
from istok_booking.models import Network, Purpose, VisitKind
from istok_booking.testing.factories import book_visit, next_slot

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_surfaces")]

MIGRATION = import_module("istok_booking.migrations.0003_lookup_translations")
SEED = import_module("istok_booking.migrations.0002_seed")

#: Each language's texts of the seeded rows the tests look at.
TEXTS = {
    "en": {
        "kind": "Measurement at your home",
        "location": "At your home",
        "showroom": "Consultation in the showroom",
        "place": "Showroom",
        "purpose": "Kitchen",
        "network": "VK",
    },
    "ru": {
        "kind": "Замер у вас дома",
        "location": "У вас дома",
        "showroom": "Консультация в салоне",
        "place": "Салон",
        "purpose": "Кухня",
        "network": "ВКонтакте",
    },
}
OTHER = {"en": "ru", "ru": "en"}


def migrate_seeded_rows():
    MIGRATION.translate_seeded_rows(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def russian_site(settings):
    """A Russian site with English, seeded as migrating it would have seeded it: the
    columns hold the Russian texts, then the migration writes the English ones."""
    settings.LANGUAGE_CODE = "ru"
    settings.LANGUAGES = [("ru", "Russian"), ("en", "English")]
    with translation.override("ru"):
        for model, rows in ((Purpose, SEED.PURPOSES), (Network, SEED.NETWORKS)):
            for code, name, *_rest in rows:
                model.objects.filter(code=code).update(name=str(name), translations={})
        for code, name, location, *_rest in SEED.KINDS:
            VisitKind.objects.filter(code=code).update(
                name=str(name), location=str(location), translations={}
            )
    migrate_seeded_rows()


def visit(customer, kind="measurement"):
    after = timezone.now() + timedelta(days=2)
    return book_visit(customer, kind=kind, starts_at=next_slot(kind, after=after).starts_at)


def assert_reads_in(text, language, *keys):
    for key in keys:
        assert TEXTS[language][key] in text, (language, key)
        assert TEXTS[OTHER[language]][key] not in text, (language, key)


def test_migrating_gave_the_seeded_rows_the_other_languages_texts():
    # The tests' own site is English with Russian: the Russian texts were written.
    assert Purpose.objects.get(code="kitchen").translations == {"ru": {"name": "Кухня"}}
    assert VisitKind.objects.get(code="measurement").translations == {
        "ru": {"name": "Замер у вас дома", "location": "У вас дома"}
    }
    assert Network.objects.get(code="vk").translations == {"ru": {"name": "ВКонтакте"}}
    # A brand's name is the same in every language: nothing to store.
    assert Network.objects.get(code="telegram").translations == {}


def test_on_a_russian_site_the_migration_writes_english_but_not_over_a_rename(settings):
    settings.LANGUAGE_CODE = "ru"
    settings.LANGUAGES = [("ru", "Russian"), ("en", "English")]
    Purpose.objects.filter(code="kitchen").update(name="Кухня", translations={})
    Purpose.objects.filter(code="hallway").update(name="Прихожие и коридоры", translations={})
    Purpose.objects.filter(code="wardrobe").update(
        name="Шкаф", translations={"en": {"name": "Closet"}}
    )
    migrate_seeded_rows()
    assert Purpose.objects.get(code="kitchen").translations == {"en": {"name": "Kitchen"}}
    # Renamed by the business: its English is the business's to write.
    assert Purpose.objects.get(code="hallway").translations == {}
    # An English text already there is kept.
    assert Purpose.objects.get(code="wardrobe").translations == {"en": {"name": "Closet"}}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_booking_page_offers_the_kinds_purposes_and_messengers_in_its_language(
    client, customer, russian_site, language
):
    client.force_login(customer)
    slot = next_slot("showroom")
    day = timezone.localtime(slot.starts_at).date().isoformat()
    response = client.get(
        f"/booking/?kind=showroom&day={day}", headers={"accept-language": language}
    )
    assert response.status_code == 200
    assert_reads_in(response.content.decode(), language, "kind", "showroom", "purpose", "network")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_my_appointments_and_an_appointment_read_in_the_pages_language(
    client, customer, russian_site, language
):
    appointment = visit(customer)
    client.force_login(customer)
    headers = {"accept-language": language}
    listing = client.get(reverse("istok_booking:appointment_list"), headers=headers)
    assert_reads_in(listing.content.decode(), language, "kind", "purpose")
    detail = client.get(
        reverse("istok_booking:appointment_detail", args=[appointment.pk]), headers=headers
    )
    assert_reads_in(detail.content.decode(), language, "kind", "purpose")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_api_answers_in_the_requests_language(client, customer, russian_site, language):
    headers = {"accept-language": language}
    kinds = client.get(reverse("istok_booking_api:kind_list"), headers=headers).json()
    measurement = next(kind for kind in kinds if kind["code"] == "measurement")
    assert measurement["name"] == TEXTS[language]["kind"]
    assert measurement["location"] == TEXTS[language]["location"]
    purposes = client.get(reverse("istok_booking_api:purpose_list"), headers=headers).json()
    assert {"code": "kitchen", "name": TEXTS[language]["purpose"]} in purposes
    networks = client.get(reverse("istok_booking_api:network_list"), headers=headers).json()
    assert {"code": "vk", "name": TEXTS[language]["network"], "value_kind": "link"} in networks

    appointment = visit(customer, kind="showroom")
    client.force_login(customer)
    data = client.get(
        reverse("istok_booking_api:appointment_detail", args=[appointment.pk]), headers=headers
    ).json()
    assert data["kind_name"] == TEXTS[language]["showroom"]
    assert data["purpose_name"] == TEXTS[language]["purpose"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_calendar_file_is_in_the_language_asked(customer, russian_site, language):
    appointment = visit(customer, kind="showroom")
    (event,) = Calendar.from_ical(ics.calendar_for(appointment, language=language)).walk("VEVENT")
    assert str(event["SUMMARY"]) == TEXTS[language]["showroom"]
    assert TEXTS[language]["purpose"] in str(event["DESCRIPTION"])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_emails_name_the_visit_in_the_customers_language(
    customer, russian_site, mailoutbox, django_capture_on_commit_callbacks, language
):
    if language == "en":
        customer.language = "en"  # as istok_accounts' user model keeps it
    with translation.override(OTHER[language]), django_capture_on_commit_callbacks(execute=True):
        visit(customer, kind="showroom")
    to_customer, to_managers = mailoutbox
    assert TEXTS[language]["showroom"] in to_customer.subject
    assert_reads_in(to_customer.body, language, "showroom", "place", "purpose")
    ((_name, attached, _type),) = to_customer.attachments
    (event,) = Calendar.from_ical(attached).walk("VEVENT")
    assert str(event["SUMMARY"]) == TEXTS[language]["showroom"]
    assert str(event["LOCATION"]) == TEXTS[language]["place"]
    # The managers read the site's language.
    assert_reads_in(to_managers.subject + to_managers.body, "ru", "showroom", "purpose")


@pytest.fixture
def admin_client(client):
    client.force_login(
        get_user_model()._default_manager.create_superuser(
            "root", "root@example.com", "a-long-password-42"
        )
    )
    return client


def test_the_admin_edits_a_purposes_text_per_language(admin_client, russian_site):
    purpose = Purpose.objects.get(code="kitchen")
    change = reverse("admin:istok_booking_purpose_change", args=[purpose.pk])
    page = admin_client.get(change, headers={"accept-language": "ru"}).content.decode()
    assert 'name="name__en"' in page and 'value="Kitchen"' in page
    response = admin_client.post(
        change,
        {
            "code": "kitchen",
            "name": "Кухни",
            "name__en": "Kitchens",
            "position": purpose.position,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    purpose.refresh_from_db()
    assert purpose.name == "Кухни" and purpose.translations == {"en": {"name": "Kitchens"}}
    api = reverse("istok_booking_api:purpose_list")
    english = admin_client.get(api, headers={"accept-language": "en"}).json()
    assert {"code": "kitchen", "name": "Kitchens"} in english


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_staff_calendar_reads_in_the_managers_language(
    admin_client, customer, russian_site, language
):
    appointment = visit(customer)
    day = timezone.localtime(appointment.starts_at).date().isoformat()
    response = admin_client.get(
        reverse("admin:istok_booking_appointment_calendar"),
        {"date": day},
        headers={"accept-language": language},
    )
    assert_reads_in(response.content.decode(), language, "kind", "purpose")
