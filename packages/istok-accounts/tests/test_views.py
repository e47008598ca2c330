"""The account pages: what they show, what they accept and what they refuse."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from istok_accounts import services
from istok_accounts.models import Consent, Room
from istok_accounts.selectors import has_newsletter_consent, profile_completion
from istok_accounts.signals import user_signed_up
from istok_accounts.testing.factories import make_customer

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"

SIGNUP = {
    "username": "vera",
    "email": "Vera@Example.com",
    "first_name": "Vera",
    "last_name": "Orlova",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "personal_data_consent": "on",
}

# Pages only a logged-in user sees, and the ones anybody sees.
PRIVATE_PAGES = [
    "profile",
    "profile_edit",
    "consents",
    "data_export",
    "data_download",
    "delete",
    "password_change",
    "password_change_done",
]
PUBLIC_PAGES = [
    "signup",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
]
HTML_PRIVATE_PAGES = [name for name in PRIVATE_PAGES if name != "data_download"]
TEMPLATES = {name: f"istok_accounts/{name}.html" for name in PRIVATE_PAGES + PUBLIC_PAGES}
TEMPLATES["delete"] = "istok_accounts/account_delete.html"


def users():
    return get_user_model()._default_manager


def url(name, **kwargs):
    return reverse(f"istok_accounts:{name}", kwargs=kwargs)


def reload(user):
    return users().get(pk=user.pk)


def on_sqlite():
    return connection.vendor == "sqlite"


def is_logged_in(client):
    return "_auth_user_id" in client.session


def profile_data(user, **changes):
    """The profile form's data for ``user`` as it is, with ``changes``."""
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": str(user.phone) if user.phone else "",
        "has_children": user.has_children,
        "renovation_planned": {True: "true", False: "false"}.get(
            user.renovation_planned, "unknown"
        ),
        "renovation_stage": user.renovation_stage,
        "rooms": [room.slug for room in user.rooms.all()],
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def missing_list(response):
    """The text of the list of missing profile fields, or "" when the page has none."""
    match = re.search(
        r'<ul class="istok-accounts-completion__missing">(.*?)</ul>',
        response.content.decode(),
        re.S,
    )
    return match.group(1) if match else ""


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer)
    return client


# Rendering and access ----------------------------------------------------------------------


@pytest.mark.parametrize("name", HTML_PRIVATE_PAGES)
def test_private_page_renders_for_its_user(logged_in, name):
    response = logged_in.get(url(name))
    assert response.status_code == 200
    assert response.templates[0].name == TEMPLATES[name]
    assert any(t.name == "istok/base.html" for t in response.templates)


@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_private_page_sends_anonymous_to_login(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"] == f"{url('login')}?next={url(name)}"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_for_anonymous(client, name):
    response = client.get(url(name))
    assert response.status_code == 200
    assert response.templates[0].name == TEMPLATES[name]
    assert any(t.name == "istok/base.html" for t in response.templates)


@pytest.mark.parametrize("name", ["signup", "login"])
def test_signup_and_login_send_a_logged_in_user_to_the_profile(logged_in, name):
    response = logged_in.get(url(name))
    assert response.status_code == 302
    assert response["Location"] == url("profile")


def test_pages_link_to_each_other(client, logged_in):
    profile = logged_in.get(url("profile")).content.decode()
    for name in ["profile_edit", "consents", "password_change", "data_export", "delete"]:
        assert f'href="{url(name)}"' in profile
    assert f'action="{url("logout")}"' in profile
    assert f'href="{url("data_download")}"' in logged_in.get(url("data_export")).content.decode()
    logged_in.logout()
    signup = client.get(url("signup")).content.decode()
    assert f'href="{url("login")}"' in signup
    login = client.get(url("login")).content.decode()
    assert f'href="{url("signup")}"' in login
    assert f'href="{url("password_reset")}"' in login


def test_invalid_password_reset_link_says_so(client):
    response = client.get(url("password_reset_confirm", uidb64="MQ", token="nope-nope"))
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert f'href="{url("password_reset")}"' in response.content.decode()


@pytest.mark.parametrize("name", HTML_PRIVATE_PAGES)
def test_private_page_renders_in_russian(logged_in, name):
    response = logged_in.get(url(name), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_in_russian(client, name):
    response = client.get(url(name), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()


def test_login_page_in_russian_uses_django_translations(client):
    content = client.get(url("login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Пароль" in content  # AuthenticationForm's own label, from Django's catalogue


# Signup ------------------------------------------------------------------------------------


def test_signup_creates_user_with_consents_logs_in_and_shows_profile(
    client, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, user, request, referral_code, **kwargs):
        received.append((user.username, referral_code))

    user_signed_up.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("signup"),
                {**SIGNUP, "newsletter_consent": "on", "referral_code": " FRIEND1 "},
                REMOTE_ADDR="203.0.113.5",
            )
    finally:
        user_signed_up.disconnect(receiver)
    assert response.status_code == 302
    assert response["Location"] == url("profile")
    user = users().get(username="vera")
    assert user.email == "Vera@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    consents = {c.purpose: c for c in Consent.objects.filter(user=user)}
    assert set(consents) == {Consent.Purpose.PERSONAL_DATA, Consent.Purpose.NEWSLETTER}
    assert consents[Consent.Purpose.PERSONAL_DATA].policy_version == "1.0"
    assert consents[Consent.Purpose.PERSONAL_DATA].ip_address == "203.0.113.5"
    assert received == [("vera", "FRIEND1")]
    profile = client.get(response["Location"])
    assert profile.status_code == 200
    assert "Vera Orlova" in profile.content.decode()


def test_signup_shows_policy_link_when_configured(client, settings):
    settings.ISTOK_ACCOUNTS_POLICY_URL = "/policy/"
    content = client.get(url("signup")).content.decode()
    assert 'href="/policy/"' in content
    assert 'name="personal_data_consent"' in content


def test_alone_the_signup_form_asks_for_no_referral_code_nothing_would_read(client):
    assert not user_signed_up.has_listeners()
    assert 'name="referral_code"' not in client.get(url("signup")).content.decode()


def test_the_signup_form_asks_for_a_referral_code_when_something_receives_it(client):
    def receiver(sender, referral_code, **kwargs):
        pass

    user_signed_up.connect(receiver)
    try:
        assert 'name="referral_code"' in client.get(url("signup")).content.decode()
    finally:
        user_signed_up.disconnect(receiver)


def test_the_referral_setting_true_shows_the_field_anyway(client, settings):
    settings.ISTOK_ACCOUNTS_SIGNUP_REFERRAL_CODE = True
    assert 'name="referral_code"' in client.get(url("signup")).content.decode()


def test_signup_without_policy_url_has_no_policy_link(client, settings):
    settings.ISTOK_ACCOUNTS_POLICY_URL = ""
    assert "processing policy</a>" not in client.get(url("signup")).content.decode()


def test_signup_without_consent_shows_error_and_creates_nothing(client):
    data = {**SIGNUP}
    del data["personal_data_consent"]
    response = client.post(url("signup"), data)
    assert response.status_code == 200
    assert "You must agree to the processing of your personal data to sign up." in (
        response.content.decode()
    )
    assert not users().filter(username="vera").exists()
    assert not Consent.objects.exists()
    assert not is_logged_in(client)


def test_signup_with_email_of_another_account_in_other_case_is_refused(client, customer):
    response = client.post(url("signup"), {**SIGNUP, "email": customer.email.upper()})
    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()
    assert not users().filter(username="vera").exists()
    assert not is_logged_in(client)


def test_signup_with_weak_password_is_refused(client):
    response = client.post(
        url("signup"), {**SIGNUP, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "istok-field--invalid" in response.content.decode()
    assert not users().filter(username="vera").exists()


def test_signup_without_referral_setting_hides_the_field(client, settings):
    settings.ISTOK_ACCOUNTS_SIGNUP_REFERRAL_CODE = False
    assert 'name="referral_code"' not in client.get(url("signup")).content.decode()


# Login and logout --------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["email", "EMAIL", "username"])
def test_login_by_email_in_any_case_or_by_username(client, customer, password, login):
    value = {
        "email": customer.email,
        "EMAIL": customer.email.upper(),
        "username": customer.username,
    }[login]
    response = client.post(url("login"), {"username": value, "password": password})
    assert response.status_code == 302
    assert response["Location"] == url("profile")
    assert int(client.session["_auth_user_id"]) == customer.pk


def test_login_with_wrong_password_is_refused(client, customer):
    response = client.post(url("login"), {"username": customer.email, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "istok-errorlist--nonfield" in response.content.decode()
    assert not is_logged_in(client)


def test_login_keeps_next(client, customer, password):
    page = client.get(url("login"), {"next": url("consents")}).content.decode()
    assert f'name="next" value="{url("consents")}"' in page
    response = client.post(
        url("login"),
        {"username": customer.username, "password": password, "next": url("consents")},
    )
    assert response["Location"] == url("consents")


def test_logout_by_post(logged_in):
    response = logged_in.post(url("logout"))
    assert response.status_code == 302
    assert not is_logged_in(logged_in)


def test_logout_without_redirect_setting_shows_our_page(logged_in, settings):
    settings.LOGOUT_REDIRECT_URL = None
    response = logged_in.post(url("logout"))
    assert response.status_code == 200
    assert "istok_accounts/logged_out.html" in [t.name for t in response.templates]
    assert not is_logged_in(logged_in)


# Profile -----------------------------------------------------------------------------------


def test_profile_shows_completion_and_missing_fields(logged_in, customer):
    response = logged_in.get(url("profile"))
    content = response.content.decode()
    # first and last name filled: 2 of the 7 completion fields.
    assert response.context["completion"].percent == 28
    assert 'value="28" max="100"' in content
    assert "28% complete" in content
    missing = missing_list(response)
    for label in [
        "Phone number",
        "Children",
        "Renovation planned",
        "Renovation starts",
        "Rooms under renovation",
    ]:
        assert label in missing
    assert "First name" not in missing
    assert f'href="{url("profile_edit")}#id_phone"' in missing
    assert "Anna Smirnova" in content
    assert customer.email in content


def test_profile_edit_saves_fields_and_rooms_and_completes_profile(logged_in, customer):
    rooms = list(Room.objects.filter(slug__in=["kitchen", "hallway"]))
    data = profile_data(
        customer,
        email="anna.new@example.com",
        phone="+7 912 345-67-89",
        has_children="yes",
        renovation_planned="true",
        renovation_stage="soon",
        rooms=[room.slug for room in rooms],
    )
    response = logged_in.post(url("profile_edit"), data)
    assert response.status_code == 302
    assert response["Location"] == url("profile")
    user = reload(customer)
    assert user.email == "anna.new@example.com"
    assert str(user.phone) == "+79123456789"
    assert user.has_children == "yes"
    assert user.renovation_planned is True
    assert user.renovation_stage == "soon"
    assert set(user.rooms.all()) == set(rooms)
    assert profile_completion(user).percent == 100

    profile = logged_in.get(url("profile"))
    content = profile.content.decode()
    assert 'value="100" max="100"' in content
    assert "100% complete" in content
    assert missing_list(profile) == ""
    assert "+7 912 345-67-89" in content
    for room in rooms:
        assert room.name in content


def test_profile_edit_no_renovation_counts_stage_and_rooms_as_answered(logged_in, customer):
    data = profile_data(
        customer, phone="+79123456789", has_children="no", renovation_planned="false"
    )
    assert logged_in.post(url("profile_edit"), data).status_code == 302
    assert profile_completion(reload(customer)).percent == 100


def test_profile_edit_renovation_stage_without_renovation_is_refused(logged_in, customer):
    data = profile_data(
        customer, first_name="Changed", renovation_planned="false", renovation_stage="soon"
    )
    response = logged_in.post(url("profile_edit"), data)
    assert response.status_code == 200
    assert "A renovation start can only be given when a renovation is planned." in (
        response.content.decode()
    )
    user = reload(customer)
    assert user.first_name == "Anna"
    assert user.renovation_planned is None
    assert user.renovation_stage == ""
    # The bar shows what is saved, not the refused values.
    assert response.context["completion"].percent == 28


def test_profile_edit_rooms_without_renovation_are_refused(logged_in, customer):
    kitchen = Room.objects.get(slug="kitchen")
    data = profile_data(customer, renovation_planned="unknown", rooms=[kitchen.slug])
    response = logged_in.post(url("profile_edit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["rooms"]
    assert not reload(customer).rooms.exists()


def test_profile_edit_invalid_phone_is_refused(logged_in, customer):
    response = logged_in.post(url("profile_edit"), profile_data(customer, phone="12"))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert reload(customer).phone == ""


def test_profile_edit_email_of_another_account_is_refused(logged_in, customer, other_customer):
    data = profile_data(customer, email=other_customer.email.upper())
    response = logged_in.post(url("profile_edit"), data)
    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()
    assert reload(customer).email == customer.email


# Consents ----------------------------------------------------------------------------------


def test_consents_page_shows_personal_data_consent_and_history(logged_in, customer):
    content = logged_in.get(url("consents")).content.decode()
    assert "you agreed to the personal data processing policy, version 1.0." in content
    assert 'name="accept_policy"' not in content
    assert '<table class="istok-table istok-table--stack">' in content
    assert "Personal data processing" in content


def test_newsletter_given_and_withdrawn_on_consents_page(logged_in, customer):
    response = logged_in.post(url("consents"), {"newsletter": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("consents")
    assert has_newsletter_consent(customer)
    page = logged_in.get(url("consents")).content.decode()
    assert re.search(r'<input[^>]*name="newsletter"[^>]*checked', page)

    assert logged_in.post(url("consents"), {}).status_code == 302
    assert not has_newsletter_consent(customer)
    newsletter = Consent.objects.get(user=customer, purpose=Consent.Purpose.NEWSLETTER)
    assert newsletter.withdrawn_at is not None
    page = logged_in.get(url("consents")).content.decode()
    assert not re.search(r'<input[^>]*name="newsletter"[^>]*checked', page)


def test_accept_policy_after_version_change_records_new_consent(logged_in, customer, settings):
    settings.ISTOK_ACCOUNTS_POLICY_VERSION = "2.0"
    page = logged_in.get(url("consents")).content.decode()
    assert 'name="accept_policy"' in page
    assert "the current version is 2.0" in page

    response = logged_in.post(url("consents"), {"accept_policy": "1"})
    assert response.status_code == 302
    consents = Consent.objects.filter(user=customer, purpose=Consent.Purpose.PERSONAL_DATA)
    assert consents.count() == 2
    active = consents.get(withdrawn_at__isnull=True)
    assert active.policy_version == "2.0"
    assert 'name="accept_policy"' not in logged_in.get(url("consents")).content.decode()


def test_consent_dates_are_shown_in_the_site_time_zone(logged_in, customer):
    Consent.objects.filter(user=customer).update(given_at=datetime(2024, 3, 1, 22, 30, tzinfo=UTC))
    content = logged_in.get(url("consents")).content.decode()
    # 22:30 UTC is 01:30 the next day in Moscow (UTC+3).
    assert 'datetime="2024-03-02 01:30:00+0300"' in content
    assert "March 2, 2024" in content


# Data export and account deletion ----------------------------------------------------------


def test_data_download_is_a_json_attachment_of_own_data(logged_in, customer, other_customer):
    response = logged_in.get(url("data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["istok_accounts"]["email"] == customer.email
    assert other_customer.email not in response.content.decode()


def test_account_delete_with_wrong_password_is_refused(logged_in, customer):
    response = logged_in.post(url("delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    user = reload(customer)
    assert user.is_active and user.erased_at is None
    assert user.email == customer.email
    assert is_logged_in(logged_in)


def test_account_delete_with_password_anonymises_and_logs_out(logged_in, customer, password):
    response = logged_in.post(url("delete"), {"password": password})
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = reload(customer)
    assert user.erased_at is not None
    assert not user.is_active
    assert user.email == "" and user.first_name == ""
    assert not is_logged_in(logged_in)
    assert logged_in.get(url("profile")).status_code == 302


# Passwords ---------------------------------------------------------------------------------


def test_password_reset_sends_a_link_that_sets_a_new_password(client, customer):
    response = client.post(url("password_reset"), {"email": customer.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == url("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [customer.email]
    assert "\n" not in message.subject
    assert customer.username in message.body
    link = re.search(r"http://testserver(/\S+/)", message.body).group(1)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == url("password_reset_complete")
    assert reload(customer).check_password(NEW_PASSWORD)
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_unknown_email_sends_nothing(client):
    response = client.post(url("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(logged_in, customer, password):
    data = {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = logged_in.post(url("password_change"), data)
    assert response.status_code == 302
    assert response["Location"] == url("password_change_done")
    assert reload(customer).check_password(NEW_PASSWORD)
    assert is_logged_in(logged_in)


# Garbage -----------------------------------------------------------------------------------

LONG = "x" * 100_000
GARBAGE = [
    pytest.param(lambda fields: dict.fromkeys(fields, ["a", "b", LONG]), id="lists"),
    pytest.param(lambda fields: dict.fromkeys(fields, LONG), id="long"),
    pytest.param(lambda fields: dict.fromkeys(fields, "a\x00b"), id="nul"),
    pytest.param(lambda fields: dict.fromkeys(fields, "9" * 40), id="huge-number"),
    pytest.param(lambda fields: dict.fromkeys(fields, "<script>'\"%s{{ x }}"), id="markup"),
]
FORMS = {
    "signup": [*SIGNUP, "newsletter_consent", "referral_code"],
    "login": ["username", "password", "next"],
    "password_reset": ["email"],
    "profile_edit": [
        "first_name",
        "last_name",
        "email",
        "phone",
        "has_children",
        "renovation_planned",
        "renovation_stage",
        "rooms",
    ],
    "consents": ["newsletter", "accept_policy"],
    "delete": ["password"],
    "password_change": ["old_password", "new_password1", "new_password2"],
}


@pytest.mark.parametrize("make", GARBAGE)
@pytest.mark.parametrize("name", sorted(FORMS))
def test_garbage_post_never_breaks_a_page(client, customer, name, make):
    if name not in ("signup", "login", "password_reset"):
        client.force_login(customer)
    response = client.post(url(name), make(FORMS[name]))
    assert response.status_code in (200, 302)
    user = reload(customer)
    assert user.erased_at is None
    assert user.email == customer.email


@pytest.mark.parametrize("make", GARBAGE)
def test_garbage_post_to_password_reset_link_never_breaks(client, customer, make):
    uid = urlsafe_base64_encode(force_bytes(customer.pk))
    token = default_token_generator.make_token(customer)
    set_password_url = client.get(url("password_reset_confirm", uidb64=uid, token=token))[
        "Location"
    ]
    response = client.post(set_password_url, make(["new_password1", "new_password2"]))
    assert response.status_code in (200, 302)


def test_profile_edit_can_clear_a_chosen_start_when_plans_change(logged_in, customer):
    services.update_profile(customer, renovation_planned=True, renovation_stage="soon")
    page = logged_in.get(url("profile_edit")).content.decode()
    assert 'name="renovation_stage" value=""' in page  # a blank choice to go back to
    response = logged_in.post(
        url("profile_edit"),
        profile_data(reload(customer), renovation_planned="false", renovation_stage=""),
    )
    assert response.status_code == 302
    user = reload(customer)
    assert (user.renovation_planned, user.renovation_stage) == (False, "")


def test_login_accepts_an_email_longer_than_a_username(client, password):
    email = "a" * 160 + "@example.com"
    make_customer(email=email, password=password)
    response = client.post(url("login"), {"username": email, "password": password})
    assert response.status_code == 302
    assert is_logged_in(client)
