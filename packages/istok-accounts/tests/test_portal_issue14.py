"""What a new customer reads on the account pages: password errors under the password,
"ё" in the messages, the policy linked beside the required consent, a data export that
promises only what the installed apps export, an empty state with a next step, a
referral code checked before the account exists and filled in from the link, rooms in
the page's language (pages, API and the admin that edits them)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from istok_accounts import selectors, signals
from istok_accounts.models import Room

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"
SIGNUP = {
    "username": "vera",
    "email": "vera@example.com",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "personal_data_consent": "on",
}
LANGUAGES = [("ru", "Russian"), ("en", "English")]


def url(name, **kwargs):
    return reverse(f"istok_accounts:{name}", kwargs=kwargs)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_weak_password_is_explained_under_the_password_not_its_confirmation(client, language):
    data = {**SIGNUP, "password1": "12345678", "password2": "12345678"}
    response = client.post(url("signup"), data, headers={"accept-language": language})
    errors = response.context["form"].errors
    assert set(errors) == {"password1"}
    text = " ".join(errors["password1"])
    assert ("entirely numeric" in text) if language == "en" else ("Введённый пароль" in text)


def test_passwords_that_differ_are_said_once_under_the_confirmation_with_yo(client):
    data = {**SIGNUP, "password2": PASSWORD + "x"}
    response = client.post(url("signup"), data, headers={"accept-language": "ru"})
    assert response.context["form"].errors == {"password2": ["Введённые пароли не совпадают."]}
    assert "Введенн" not in response.content.decode()


def test_the_password_change_and_reset_pages_say_it_under_the_new_password(client, customer):
    client.force_login(customer)
    response = client.post(
        url("password_change"),
        {"old_password": "wrong", "new_password1": "12345678", "new_password2": "12345678"},
    )
    errors = response.context["form"].errors
    assert "new_password1" in errors and "new_password2" not in errors
    assert errors["old_password"] == ["The current password is not right. Please enter it again."]
    client.logout()
    uid = urlsafe_base64_encode(force_bytes(customer.pk))
    token = default_token_generator.make_token(customer)
    set_password = client.get(url("password_reset_confirm", uidb64=uid, token=token))["Location"]
    response = client.post(set_password, {"new_password1": "123", "new_password2": "123"})
    assert set(response.context["form"].errors) == {"new_password1"}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_policy_is_linked_beside_the_required_consent_and_its_page_opens(client, language):
    page = client.get(url("signup"), headers={"accept-language": language}).content.decode()
    consent = page.index('name="personal_data_consent"')
    link = page.index(f'href="{url("policy")}"')
    assert consent < link < page.index('type="submit"')
    policy = client.get(url("policy"), headers={"accept-language": language})
    assert policy.status_code == 200
    title = "Personal data processing policy" if language == "en" else "Политика обработки"
    assert title in policy.content.decode()


def test_the_policy_setting_takes_a_path_and_empty_means_no_link(client, settings):
    settings.ISTOK_ACCOUNTS_POLICY_URL = "/legal/privacy/"
    assert 'href="/legal/privacy/"' in client.get(url("signup")).content.decode()
    settings.ISTOK_ACCOUNTS_POLICY_URL = ""
    assert selectors.policy_url() == ""
    assert "processing policy</a>" not in client.get(url("signup")).content.decode()


def test_the_data_export_page_names_only_the_apps_that_export(client, customer):
    client.force_login(customer)
    page = client.get(url("data_export")).content.decode()
    assert "what the other parts of the site keep about you" not in page
    assert "appointments" not in page and "support" not in page
    assert selectors.personal_data_sources() == []


def test_an_app_that_answers_the_export_is_named_on_the_page(client, customer):
    from django.apps import apps

    def loyalty_part(sender, user, **kwargs):
        return {"loyalty": {}}

    loyalty_part.__module__ = "django.contrib.sessions.receivers"
    signals.personal_data_requested.connect(loyalty_part)
    try:
        client.force_login(customer)
        page = client.get(url("data_export")).content.decode()
    finally:
        signals.personal_data_requested.disconnect(loyalty_part)
    name = str(apps.get_app_config("sessions").verbose_name)
    assert f"what the other parts of the site keep about you: {name}." in page


def test_no_consents_yet_leads_to_the_policy(client):
    user = get_user_model()._default_manager.create_user("lev", "lev@example.com", PASSWORD)
    client.force_login(user)
    page = client.get(url("consents")).content.decode()
    assert "No consents recorded yet." in page
    assert f'class="istok-button istok-button--secondary" href="{url("policy")}"' in page


# Referral codes: the form asks the app that knows them, before the account exists.


@pytest.fixture
def referral_codes(settings):
    settings.ISTOK_ACCOUNTS_SIGNUP_REFERRAL_CODE = True

    def check(sender, code, request=None, **kwargs):
        if code != "FRIEND22":
            raise ValidationError({"referral_code": ["This referral code is unknown."]})

    def remembered(sender, request, **kwargs):
        return request.COOKIES.get("came_with", "")

    signals.referral_code_check.connect(check)
    signals.referral_code_remembered.connect(remembered)
    yield
    signals.referral_code_check.disconnect(check)
    signals.referral_code_remembered.disconnect(remembered)


def test_a_wrong_referral_code_is_a_field_error_and_no_account_is_made(client, referral_codes):
    response = client.post(url("signup"), {**SIGNUP, "referral_code": "NOPE"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"referral_code": ["This referral code is unknown."]}
    assert not get_user_model()._default_manager.exists()
    response = client.post(url("signup"), {**SIGNUP, "referral_code": " FRIEND22 "})
    assert response.status_code == 302


def test_the_api_refuses_a_wrong_referral_code_with_a_field_error(referral_codes):
    api = APIClient()
    body = {
        "username": "vera",
        "email": "vera@example.com",
        "password": PASSWORD,
        "personal_data_consent": True,
        "referral_code": "NOPE",
    }
    response = api.post(reverse("istok_accounts_api:signup"), body, format="json")
    assert response.status_code == 400
    assert response.json()["referral_code"] == ["This referral code is unknown."]
    assert not get_user_model()._default_manager.exists()


def test_the_code_the_visitor_came_with_is_shown_in_the_field(client, referral_codes):
    assert client.get(url("signup")).context["form"]["referral_code"].value() in (None, "")
    client.cookies["came_with"] = "FRIEND22"
    field = client.get(url("signup")).context["form"]["referral_code"]
    assert 'value="FRIEND22"' in str(field)


# Rooms in the page's language.


@pytest.fixture
def kitchen(settings):
    settings.LANGUAGE_CODE, settings.LANGUAGES = "ru", LANGUAGES
    room = Room.objects.get(slug="kitchen")
    room.name, room.translations = "Кухня", {}
    room.set_translation("en", name="Kitchen")
    room.save()
    return room


def test_the_profile_shows_rooms_in_the_pages_language(client, customer, kitchen):
    customer.renovation_planned = True
    customer.save()
    customer.rooms.set([kitchen])
    client.force_login(customer)
    english = client.get(url("profile"), headers={"accept-language": "en"}).content.decode()
    assert '<li class="istok-tag">Kitchen</li>' in english
    russian = client.get(url("profile"), headers={"accept-language": "ru"}).content.decode()
    assert '<li class="istok-tag">Кухня</li>' in russian
    form = client.get(url("profile_edit"), headers={"accept-language": "en"}).content.decode()
    assert "Kitchen" in form and "Кухня" not in form


def test_the_api_lists_rooms_in_the_requests_language(kitchen):
    api = APIClient()
    english = api.get(reverse("istok_accounts_api:rooms"), headers={"accept-language": "en"})
    assert {"slug": "kitchen", "name": "Kitchen"} in english.json()
    russian = api.get(reverse("istok_accounts_api:rooms"), headers={"accept-language": "ru"})
    assert {"slug": "kitchen", "name": "Кухня"} in russian.json()


def test_a_manager_edits_a_rooms_english_name_in_the_admin(admin_client, kitchen):
    change = reverse("admin:istok_accounts_room_change", args=[kitchen.pk])
    assert "name__en" in admin_client.get(change).context["adminform"].form.fields
    response = admin_client.post(
        change,
        {
            "name": "Кухня",
            "slug": "kitchen",
            "position": 0,
            "is_active": "on",
            "name__en": "Cookhouse",
        },
    )
    assert response.status_code == 302
    kitchen.refresh_from_db()
    assert kitchen.translations == {"en": {"name": "Cookhouse"}}


def test_the_seeded_rooms_get_their_names_in_the_projects_other_languages(settings):
    # The tests' site is English with Russian: migrating gave the rooms Russian names.
    assert Room.objects.get(slug="kitchen").translations == {"ru": {"name": "Кухня"}}


def test_the_seeded_rooms_get_english_names_when_the_project_has_english(settings):
    from importlib import import_module

    settings.LANGUAGE_CODE, settings.LANGUAGES = "ru", LANGUAGES
    migration = import_module("istok_accounts.migrations.0005_room_translations")
    Room.objects.update(translations={})
    Room.objects.filter(slug="kitchen").update(name="Кухня")
    Room.objects.filter(slug="study").update(name="Мастерская")  # renamed by the business

    class Editor:
        connection = type("C", (), {"alias": "default"})

    from django.apps import apps

    migration.translate_seeded_rooms(apps, Editor)
    assert Room.objects.get(slug="kitchen").translations == {"en": {"name": "Kitchen"}}
    assert Room.objects.get(slug="study").translations == {}
