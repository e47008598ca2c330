"""The accounts API as a client uses it: JSON in, JSON out, session cookie."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from istok_accounts.models import Consent, Room
from istok_accounts.signals import user_signed_up
from istok_accounts.testing.factories import DEFAULT_PASSWORD, make_customer

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "anna",
    "email": "Anna@Example.com",
    "password": "a-long-and-unusual-passphrase",
    "first_name": "Anna",
    "personal_data_consent": True,
}
JSON = "application/json"


def url(name):
    return reverse(f"istok_accounts_api:{name}")


def users():
    return get_user_model()._default_manager


def post(client, name, data):
    return client.post(url(name), data, content_type=JSON)


def patch_me(client, data):
    return client.patch(url("me"), data, content_type=JSON)


def snapshot(user):
    """What a refused request must leave alone."""
    user = users().get(pk=user.pk)
    rooms = sorted(user.rooms.values_list("slug", flat=True))
    consents = list(Consent.objects.filter(user=user).values_list("purpose", "withdrawn_at"))
    return (
        user.username,
        user.email,
        user.first_name,
        str(user.phone),
        user.has_children,
        user.renovation_planned,
        user.renovation_stage,
        user.is_active,
        user.password,
        rooms,
        consents,
    )


@pytest.fixture
def signed_in(client):
    user = make_customer(first_name="Anna", last_name="Smirnova")
    client.force_login(user)
    return user


# Signup


def test_signup_creates_account_with_consents_and_signs_in(client):
    response = post(client, "signup", {**SIGNUP, "newsletter_consent": True})

    assert response.status_code == 201, response.json()
    user = users().get(username="anna")
    assert response.json()["id"] == user.pk
    assert response.json()["email"] == "Anna@example.com"
    assert response.json()["newsletter"] is True
    assert "password" not in response.json()
    assert user.check_password(SIGNUP["password"])
    purposes = set(Consent.objects.active().filter(user=user).values_list("purpose", flat=True))
    assert purposes == {"personal_data", "newsletter"}
    assert client.get(url("me")).json()["username"] == "anna"


def test_signup_without_newsletter_consent_records_only_personal_data(client):
    response = post(client, "signup", SIGNUP)

    assert response.status_code == 201
    assert response.json()["newsletter"] is False
    user = users().get(username="anna")
    assert list(Consent.objects.filter(user=user).values_list("purpose", flat=True)) == [
        "personal_data"
    ]


@pytest.mark.parametrize("consent", [False, None, "missing"])
def test_signup_without_personal_data_consent_is_refused(client, consent):
    data = {k: v for k, v in SIGNUP.items() if k != "personal_data_consent"}
    if consent != "missing":
        data["personal_data_consent"] = consent

    response = post(client, "signup", data)

    assert response.status_code == 400
    assert "personal_data_consent" in response.json()
    assert not users().exists()
    assert not Consent.objects.exists()


def test_signup_with_an_email_taken_in_another_case_is_refused(client):
    make_customer(email="anna@example.com")
    count = users().count()

    response = post(client, "signup", {**SIGNUP, "email": "ANNA@example.COM"})

    assert response.status_code == 400
    assert "email" in response.json()
    assert users().count() == count


def test_signup_with_a_taken_username_is_refused(client):
    make_customer(username="anna")

    response = post(client, "signup", {**SIGNUP, "email": "other@example.com"})

    assert response.status_code == 400
    assert "username" in response.json()
    assert users().count() == 1


@pytest.mark.parametrize("password", ["12345678", "password", "short"])
def test_signup_with_a_weak_password_is_refused(client, password):
    response = post(client, "signup", {**SIGNUP, "password": password})

    assert response.status_code == 400
    assert "password" in response.json()
    assert not users().exists()


def test_signup_with_a_bad_username_is_refused(client):
    response = post(client, "signup", {**SIGNUP, "username": "anna smirnova!"})

    assert response.status_code == 400
    assert "username" in response.json()
    assert not users().exists()


def test_signup_when_signed_in_is_forbidden(client, signed_in):
    response = post(client, "signup", SIGNUP)

    assert response.status_code == 403
    assert response.json()["detail"] == "You are already signed in."
    assert not users().filter(username="anna").exists()


def test_signup_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = post(client, "signup", SIGNUP)

    assert response.status_code == 403
    assert not users().exists()

    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = client.post(
        url("signup"), SIGNUP, content_type=JSON, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_the_signup_page_gives_the_csrf_cookie_the_api_signup_needs():
    # As the README says: GET the signup page, send its csrftoken cookie as X-CSRFToken.
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("istok_accounts:signup"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        url("signup"), SIGNUP, content_type=JSON, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_signup_passes_the_referral_code_on(client, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, user, request, referral_code, **kwargs):
        received.append((user.username, referral_code, request.path))

    user_signed_up.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, "signup", {**SIGNUP, "referral_code": " FRIEND1 "})
    finally:
        user_signed_up.disconnect(receiver)

    assert response.status_code == 201
    assert received == [("anna", "FRIEND1", url("signup"))]


def test_signup_ignores_a_referral_code_when_the_site_takes_none(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ISTOK_ACCOUNTS_SIGNUP_REFERRAL_CODE = False
    received = []

    def receiver(sender, referral_code, **kwargs):
        received.append(referral_code)

    user_signed_up.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, "signup", {**SIGNUP, "referral_code": "FRIEND1"})
    finally:
        user_signed_up.disconnect(receiver)

    assert response.status_code == 201
    assert received == [""]


# Me


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "me"),
        ("patch", "me"),
        ("put", "me"),
        ("get", "consents"),
        ("post", "consents"),
        ("get", "export"),
        ("post", "erase"),
    ],
)
def test_anonymous_is_refused(client, method, name):
    response = getattr(client, method)(url(name), {}, content_type=JSON)

    assert response.status_code == 403


def test_each_user_sees_only_themself(client):
    anna = make_customer(first_name="Anna", email="anna@example.com")
    boris = make_customer(first_name="Boris", email="boris@example.com")
    boris_client = Client()
    boris_client.force_login(boris)
    client.force_login(anna)

    assert client.get(url("me")).json()["email"] == "anna@example.com"
    assert boris_client.get(url("me")).json()["email"] == "boris@example.com"
    assert client.get(url("me")).json()["id"] == anna.pk
    export = boris_client.get(url("export")).json()
    assert "anna@example.com" not in str(export)


def test_me_shows_the_profile(client, signed_in):
    data = client.get(url("me")).json()

    assert data["username"] == signed_in.get_username()
    assert data["first_name"] == "Anna"
    assert data["phone"] == ""
    assert data["has_children"] == ""
    assert data["renovation_planned"] is None
    assert data["rooms"] == []
    assert data["newsletter"] is False
    assert 0 <= data["completion"]["percent"] < 100
    assert {"name": "phone", "label": "phone number"} in data["completion"]["missing"]


def test_profile_changes_are_saved(client, signed_in):
    response = patch_me(
        client,
        {
            "phone": "8 912 345-67-89",
            "has_children": "yes",
            "renovation_planned": True,
            "renovation_stage": "soon",
            "rooms": ["kitchen", "hallway"],
        },
    )

    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == "+79123456789"  # read in the site's region, E.164
    assert sorted(response.json()["rooms"]) == ["hallway", "kitchen"]
    user = users().get(pk=signed_in.pk)
    assert user.phone.as_e164 == "+79123456789"
    assert user.renovation_stage == "soon"
    assert sorted(user.rooms.values_list("slug", flat=True)) == ["hallway", "kitchen"]
    assert user.first_name == "Anna"  # not sent, kept


def test_username_cannot_be_changed(client, signed_in):
    response = patch_me(client, {"username": "someone-else"})

    assert response.status_code == 200
    assert users().get(pk=signed_in.pk).username == signed_in.username


def test_put_needs_the_email_and_keeps_what_is_not_sent(client, signed_in):
    response = client.put(url("me"), {"first_name": "Anya"}, content_type=JSON)
    assert response.status_code == 400
    assert "email" in response.json()

    response = client.put(
        url("me"), {"email": "anya@example.com", "first_name": "Anya"}, content_type=JSON
    )
    assert response.status_code == 200
    user = users().get(pk=signed_in.pk)
    assert (user.email, user.first_name, user.last_name) == (
        "anya@example.com",
        "Anya",
        "Smirnova",
    )


@pytest.mark.parametrize("phone", ["12", "+7 000", "not a phone", "+1 999 999 99999999"])
def test_an_invalid_phone_is_refused(client, signed_in, phone):
    before = snapshot(signed_in)

    response = patch_me(client, {"phone": phone})

    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    assert snapshot(signed_in) == before


def test_phone_can_be_cleared(client, signed_in):
    assert patch_me(client, {"phone": "+79123456789"}).status_code == 200

    response = patch_me(client, {"phone": ""})

    assert response.status_code == 200
    assert response.json()["phone"] == ""
    assert not users().get(pk=signed_in.pk).phone


def test_an_unknown_or_inactive_room_is_refused(client, signed_in):
    Room.objects.filter(slug="study").update(is_active=False)
    before = snapshot(signed_in)

    for slug in ["no-such-room", "study"]:
        response = patch_me(client, {"renovation_planned": True, "rooms": ["kitchen", slug]})

        assert response.status_code == 400
        assert list(response.json()) == ["rooms"]
    assert snapshot(signed_in) == before


def test_a_renovation_start_without_a_planned_renovation_is_refused(client, signed_in):
    before = snapshot(signed_in)

    response = patch_me(client, {"renovation_planned": False, "renovation_stage": "soon"})

    assert response.status_code == 400
    assert "renovation_stage" in response.json()
    assert snapshot(signed_in) == before


def test_rooms_without_a_planned_renovation_are_refused(client, signed_in):
    before = snapshot(signed_in)

    response = patch_me(client, {"renovation_planned": None, "rooms": ["kitchen"]})

    assert response.status_code == 400
    assert "rooms" in response.json()
    assert snapshot(signed_in) == before


def test_an_email_taken_in_another_case_is_refused(client, signed_in):
    make_customer(email="boris@example.com")
    before = snapshot(signed_in)

    response = patch_me(client, {"email": "Boris@EXAMPLE.com", "first_name": "Changed"})

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert snapshot(signed_in) == before


def test_own_email_in_another_case_is_fine(client, signed_in):
    response = patch_me(client, {"email": signed_in.email.upper()})

    assert response.status_code == 200


@pytest.mark.parametrize("email", ["", None, "not-an-email"])
def test_the_email_cannot_be_removed_or_broken(client, signed_in, email):
    before = snapshot(signed_in)

    response = patch_me(client, {"email": email})

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert snapshot(signed_in) == before


def test_completion_goes_up_as_the_profile_is_filled(client):
    user = make_customer()
    client.force_login(user)
    percents = [client.get(url("me")).json()["completion"]["percent"]]

    for change in [
        {"first_name": "Anna", "last_name": "Smirnova"},
        {"phone": "+79123456789"},
        {"has_children": "no"},
        {"renovation_planned": True, "renovation_stage": "year"},
        {"rooms": ["kitchen"]},
    ]:
        response = patch_me(client, change)
        assert response.status_code == 200, response.json()
        percents.append(response.json()["completion"]["percent"])

    assert percents == sorted(percents)
    assert len(set(percents)) == len(percents)
    assert percents[-1] == 100
    assert response.json()["completion"]["missing"] == []


def test_no_renovation_planned_completes_the_renovation_questions(client, signed_in):
    patch_me(client, {"phone": "+79123456789", "has_children": "yes"})

    response = patch_me(client, {"renovation_planned": False})

    assert response.json()["completion"] == {"percent": 100, "missing": []}


# Consents


def test_consents_list_shows_the_users_consents(client, signed_in):
    make_customer()  # someone else's consent is not listed

    response = client.get(url("consents"))

    assert response.status_code == 200
    assert response.json() == [
        {
            "purpose": "personal_data",
            "policy_version": "1.0",
            "given_at": response.json()[0]["given_at"],
            "withdrawn_at": None,
            "is_active": True,
        }
    ]


def test_newsletter_consent_can_be_given_and_withdrawn(client, signed_in):
    response = post(client, "consents", {"purpose": "newsletter", "given": True})

    assert response.status_code == 200
    active = {c["purpose"] for c in response.json() if c["is_active"]}
    assert active == {"personal_data", "newsletter"}
    assert client.get(url("me")).json()["newsletter"] is True

    response = post(client, "consents", {"purpose": "newsletter", "given": False})

    assert response.status_code == 200
    active = {c["purpose"] for c in response.json() if c["is_active"]}
    assert active == {"personal_data"}
    assert client.get(url("me")).json()["newsletter"] is False
    # The withdrawn consent stays as the record of what was agreed.
    assert Consent.objects.filter(user=signed_in, purpose="newsletter").count() == 1


def test_giving_a_consent_twice_records_it_once(client, signed_in):
    post(client, "consents", {"purpose": "newsletter", "given": True})
    post(client, "consents", {"purpose": "newsletter", "given": True})

    assert Consent.objects.filter(user=signed_in, purpose="newsletter").count() == 1


def test_personal_data_consent_cannot_be_withdrawn(client, signed_in):
    before = snapshot(signed_in)

    response = post(client, "consents", {"purpose": "personal_data", "given": False})

    assert response.status_code == 400
    assert list(response.json()) == ["purpose"]
    assert "Delete your account" in response.json()["purpose"][0]
    assert snapshot(signed_in) == before


def test_a_new_policy_version_can_be_accepted(client, signed_in, settings):
    settings.ISTOK_ACCOUNTS_POLICY_VERSION = "2.0"

    response = post(client, "consents", {"purpose": "personal_data", "given": True})

    assert response.status_code == 200
    active = [c for c in response.json() if c["is_active"]]
    assert [(c["purpose"], c["policy_version"]) for c in active] == [("personal_data", "2.0")]


@pytest.mark.parametrize(
    "data",
    [
        {"purpose": "marketing", "given": True},
        {"purpose": "newsletter"},
        {"given": True},
        {"purpose": "newsletter", "given": "perhaps"},
        {"purpose": ["newsletter"], "given": True},
    ],
)
def test_a_bad_consent_change_is_refused(client, signed_in, data):
    before = snapshot(signed_in)

    response = post(client, "consents", data)

    assert response.status_code == 400
    assert snapshot(signed_in) == before


# Export and erasure


def test_export_holds_the_users_data(client, signed_in):
    response = client.get(url("export"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    section = response.json()["istok_accounts"]
    assert section["email"] == signed_in.email
    assert section["first_name"] == "Anna"
    assert [c["purpose"] for c in section["consents"]] == ["personal_data"]


@pytest.mark.parametrize("password", ["wrong-password", "", None])
def test_erasure_with_a_wrong_password_changes_nothing(client, signed_in, password):
    before = snapshot(signed_in)

    response = post(client, "erase", {"password": password})

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert snapshot(signed_in) == before
    assert client.get(url("me")).status_code == 200


def test_erasure_anonymises_the_account_and_ends_the_session(client, signed_in):
    post(client, "consents", {"purpose": "newsletter", "given": True})
    patch_me(client, {"phone": "+79123456789", "renovation_planned": True, "rooms": ["kitchen"]})

    response = post(client, "erase", {"password": DEFAULT_PASSWORD})

    assert response.status_code == 204
    user = users().get(pk=signed_in.pk)
    assert user.email == ""
    assert user.first_name == user.last_name == ""
    assert not user.phone
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.rooms.exists()
    assert not Consent.objects.active().filter(user=user).exists()
    assert client.get(url("me")).status_code == 403
    request = RequestFactory().post("/")  # django-axes needs one (tests.settings_axes)
    assert not client.login(request=request, username=signed_in.email, password=DEFAULT_PASSWORD)


# Garbage in, 400 out

HUGE = "x" * 100_000


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        ["anna"],
        "anna",
        None,
        {**SIGNUP, "username": ["anna"]},
        {**SIGNUP, "username": {"a": 1}},
        {**SIGNUP, "username": HUGE},
        {**SIGNUP, "username": "an\x00na"},
        {**SIGNUP, "username": "\ud800"},
        {**SIGNUP, "email": HUGE + "@example.com"},
        {**SIGNUP, "email": ["anna@example.com"]},
        {**SIGNUP, "password": HUGE},
        {**SIGNUP, "password": 12345678},
        {**SIGNUP, "password": ["a-long-and-unusual-passphrase"]},
        {**SIGNUP, "first_name": HUGE},
        {**SIGNUP, "personal_data_consent": "maybe"},
        {**SIGNUP, "personal_data_consent": [True]},
        {**SIGNUP, "newsletter_consent": {"yes": True}},
        {**SIGNUP, "referral_code": HUGE},
        {**SIGNUP, "referral_code": ["FRIEND"]},
    ],
)
def test_garbage_signup_is_refused(client, settings, data):
    settings.ISTOK_ACCOUNTS_SIGNUP_REFERRAL_CODE = True  # its garbage too
    response = post(client, "signup", data)

    assert response.status_code == 400
    assert not users().exists()


@pytest.mark.parametrize(
    "data",
    [
        [],
        "garbage",
        {"email": ["a@example.com"]},
        {"email": "a\x00@example.com"},
        {"first_name": HUGE},
        {"first_name": {"a": 1}},
        {"phone": HUGE},
        {"phone": ["+79123456789"]},
        {"phone": True},
        {"has_children": "maybe"},
        {"has_children": "\ud800"},  # a lone surrogate: valid JSON, not encodable
        {"first_name": "\ud800"},
        {"has_children": ["yes"]},
        {"renovation_planned": "perhaps"},
        {"renovation_planned": [True]},
        {"renovation_planned": 10**40},
        {"renovation_stage": "tomorrow"},
        {"renovation_stage": HUGE},
        {"renovation_planned": True, "rooms": "kitchen"},
        {"renovation_planned": True, "rooms": [None]},
        {"renovation_planned": True, "rooms": None},
        {"renovation_planned": True, "rooms": [{"slug": "kitchen"}]},
        {"renovation_planned": True, "rooms": [["kitchen"]]},
        {"renovation_planned": True, "rooms": [HUGE]},
        {"renovation_planned": True, "rooms": ["kit\x00chen"]},
        {"renovation_planned": True, "rooms": [1]},
    ],
)
def test_garbage_profile_change_is_refused(client, signed_in, data):
    before = snapshot(signed_in)

    response = patch_me(client, data)

    assert response.status_code == 400
    assert snapshot(signed_in) == before


MALFORMED = ['{"username": ', "NaN", "\x00", "[" * 10_000, '"\\ud800"', '{"a": "\\udfff"}']


@pytest.mark.parametrize("body", MALFORMED)
def test_a_malformed_signup_body_is_refused(client, body):
    response = client.post(url("signup"), body, content_type=JSON)

    assert response.status_code == 400
    assert not users().exists()


@pytest.mark.parametrize("body", MALFORMED)
@pytest.mark.parametrize(
    ("method", "name"), [("patch", "me"), ("post", "consents"), ("post", "erase")]
)
def test_a_malformed_body_is_refused(client, signed_in, body, method, name):
    before = snapshot(signed_in)

    response = getattr(client, method)(url(name), body, content_type=JSON)

    assert response.status_code == 400
    assert snapshot(signed_in) == before


def test_an_unsupported_content_type_is_refused(client, signed_in):
    response = client.patch(url("me"), "email=a@example.com", content_type="text/plain")

    assert response.status_code == 415


# Schema

SCHEMA_SCRIPT = """
import json, django
from django.conf import settings
from django.test.utils import override_settings
django.setup()
rest = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
# Before the views are imported: @extend_schema binds to the schema class set at import.
with override_settings(REST_FRAMEWORK=rest):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    problems = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    print(json.dumps({"schema": schema, "problems": problems}, default=str))
"""


def test_the_schema_documents_every_endpoint_without_warnings():
    pytest.importorskip("drf_spectacular")
    done = subprocess.run(
        [sys.executable, "-c", SCHEMA_SCRIPT],
        capture_output=True,
        text=True,
        env=os.environ,  # pytest-django has set DJANGO_SETTINGS_MODULE
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    schema = result["schema"]

    assert result["problems"] == []
    paths = {path: set(item) - {"parameters"} for path, item in schema["paths"].items()}
    api = {path: methods for path, methods in paths.items() if path.startswith("/api/")}
    assert api == {
        url("signup"): {"post"},
        url("me"): {"get", "put", "patch"},
        url("consents"): {"get", "post"},
        url("export"): {"get"},
        url("erase"): {"post"},
        url("rooms"): {"get"},
    }
    assert "201" in schema["paths"][url("signup")]["post"]["responses"]
    assert "204" in schema["paths"][url("erase")]["post"]["responses"]
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert {"completion", "newsletter", "rooms", "phone"} <= set(me)
