"""After an erasure nothing names the customer: not the admin log, not a stored session."""

import json

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from istok_accounts import personal_data, services
from istok_accounts.models import Consent, UserSession
from istok_accounts.sessions import SessionStore
from istok_accounts.testing.factories import make_customer

pytestmark = pytest.mark.django_db

PERSON = {
    "username": "smirnova.anna",
    "email": "Anna.Smirnova@example.com",
    "first_name": "Анна",
    "last_name": "Смирнова",
    "phone": "+79161234567",
}
# How the customer may be written in a message: any case, E.164 and national phone forms.
TRACES = [
    "smirnova.anna",
    "anna.smirnova@example.com",
    "Анна",
    "Смирнова",
    "+79161234567",
    "79161234567",
    "89161234567",
    "8 (916) 123-45-67",
    "+7 916 123-45-67",
    "9161234567",
]


@pytest.fixture
def person(db):
    return make_customer(**PERSON)


@pytest.fixture
def manager(db):
    return make_customer(username="manager", is_staff=True)


def log(manager, obj, message):
    return LogEntry.objects.log_actions(
        manager.pk, [obj], CHANGE, change_message=message, single_object=True
    )


def log_texts():
    """Every admin-log text, the JSON change messages decoded (they escape Cyrillic)."""
    texts = []
    for entry in LogEntry.objects.all():
        texts += [entry.object_repr, entry.change_message, entry.get_change_message()]
    return "\n".join(texts).lower()


def traces_in(text):
    return [trace for trace in TRACES if trace.lower() in text]


def test_admin_log_about_the_account_names_the_erased_account_only(person, manager):
    log(manager, person, [{"changed": {"fields": ["Email address", "Last name"]}}])
    log(
        manager,
        person,
        "Анна Смирнова asked by phone (8 (916) 123-45-67) to write to "
        "anna.smirnova@example.com instead",
    )
    assert len(traces_in(log_texts())) == 5

    services.erase_user(person)

    entries = LogEntry.objects.filter(object_id=str(person.pk)).order_by("pk")
    assert [entry.object_repr for entry in entries] == [f"erased-{person.pk}"] * 2
    assert traces_in(log_texts()) == []
    # The structured message still says what changed, in the active language.
    assert entries[0].get_change_message() == "Changed Email address and Last name."
    assert entries[1].change_message == "*** asked by phone (***) to write to *** instead"


def test_admin_log_about_the_accounts_rows_names_them_as_they_are_now(person, manager):
    consent = Consent.objects.get(user=person)
    entry = log(manager, consent, [{"added": {"name": "note", "object": "For Анна Смирнова"}}])
    # What a model whose str() shows its user would have written.
    LogEntry.objects.filter(pk=entry.pk).update(object_repr="Consent of smirnova.anna")

    services.erase_user(person)

    entry.refresh_from_db()
    assert entry.object_repr == str(Consent.objects.get(pk=consent.pk))
    assert json.loads(entry.change_message) == [{"added": {"name": "note", "object": "For ***"}}]
    assert traces_in(log_texts()) == []


def test_other_entries_lose_the_email_and_phone_but_keep_names(person, manager):
    other = make_customer(username="anna", first_name="Анна", email="anna@example.com")
    log(manager, other, [{"changed": {"fields": ["First name"]}}])
    log(manager, other, "Sister of Anna.Smirnova@example.com, +7 916 123-45-67, 9161234567")

    services.erase_user(person)

    entries = LogEntry.objects.filter(object_id=str(other.pk)).order_by("pk")
    assert [entry.object_repr for entry in entries] == ["anna", "anna"]
    assert entries[0].change_message == json.dumps([{"changed": {"fields": ["First name"]}}])
    assert entries[1].change_message == "Sister of ***, ***, ***"


def test_admin_log_of_another_customer_is_untouched(person, manager):
    other = make_customer(username="boris", first_name="Борис")
    entry = log(manager, other, "Called Борис")

    services.erase_user(person)

    entry.refresh_from_db()
    assert (entry.object_repr, entry.change_message) == ("boris", "Called Борис")


def sessions_of(user):
    store = Session.get_session_store_class()()
    return [
        session.session_key
        for session in Session.objects.all()
        if store.decode(session.session_data).get("_auth_user_id") == str(user.pk)
    ]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_session_of_the_erased_user_is_deleted(person, django_capture_on_commit_callbacks):
    phone, laptop = signed_in(person), signed_in(person)
    other = make_customer()
    others_client = signed_in(other)
    assert len(sessions_of(person)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_user(person)

    assert sessions_of(person) == []
    assert len(sessions_of(other)) == 1
    profile = reverse("istok_accounts:profile")
    assert phone.get(profile).status_code == laptop.get(profile).status_code == 302
    assert others_client.get(profile).status_code == 200


def test_sessions_stay_until_the_erasure_commits(person, django_capture_on_commit_callbacks):
    signed_in(person)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.erase_user(person)
    assert len(sessions_of(person)) == 1
    for callback in callbacks:
        callback()
    assert sessions_of(person) == []


def test_erasure_from_the_page_ends_the_other_sessions_too(
    person, password, django_capture_on_commit_callbacks
):
    laptop = signed_in(person)
    phone = signed_in(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(reverse("istok_accounts:delete"), {"password": password})
    assert response.status_code == 302
    assert sessions_of(person) == []
    assert laptop.get(reverse("istok_accounts:profile")).status_code == 302


def test_cached_db_sessions_leave_the_cache_too(
    settings, person, django_capture_on_commit_callbacks
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = signed_in(person)
    key = client.session.session_key
    store_class = client.session.__class__
    assert cache.get(store_class.cache_key_prefix + key) is not None

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_user(person)

    assert cache.get(store_class.cache_key_prefix + key) is None
    assert not Session.objects.filter(session_key=key).exists()


def test_the_istok_engine_finds_the_sessions_by_their_user(
    settings, person, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SESSION_ENGINE = "istok_accounts.sessions"
    phone, laptop = signed_in(person), signed_in(person)
    other = make_customer()
    signed_in(other)
    assert sorted(UserSession.objects.values_list("user_pk", flat=True)) == sorted(
        [str(person.pk), str(person.pk), str(other.pk)]
    )
    # Found by the index: no session is decoded.
    monkeypatch.setattr(UserSession, "get_decoded", None)
    monkeypatch.setattr(SessionStore, "decode", None)

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_user(person)

    assert list(UserSession.objects.values_list("user_pk", flat=True)) == [str(other.pk)]
    profile = reverse("istok_accounts:profile")
    assert phone.get(profile).status_code == laptop.get(profile).status_code == 302


def test_the_istok_engine_forgets_the_user_at_logout(settings, person):
    settings.SESSION_ENGINE = "istok_accounts.sessions"
    client = signed_in(person)
    client.post(reverse("istok_accounts:logout"))
    assert not UserSession.objects.filter(user_pk=str(person.pk)).exists()


def test_cache_sessions_cannot_be_searched_but_are_refused(
    settings, person, django_capture_on_commit_callbacks
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    client = signed_in(person)

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_user(person)

    assert personal_data.delete_sessions(person) == 0
    assert client.get(reverse("istok_accounts:profile")).status_code == 302


def test_a_failure_deleting_sessions_is_logged_and_the_erasure_stands(
    person, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    signed_in(person)

    def broken(user):
        raise RuntimeError("session table locked")

    monkeypatch.setattr(personal_data, "delete_sessions", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_user(person)

    person.refresh_from_db()
    assert person.is_erased
    assert f"Could not delete the sessions of erased user {person.pk}" in caplog.text


needs_axes = pytest.mark.skipif(
    "axes" not in settings.INSTALLED_APPS,
    reason="runs with tests.settings_axes (django-axes installed and configured)",
)


@needs_axes
def test_the_sign_in_records_of_the_erased_user_are_deleted(person, password, settings):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True

    login = reverse("istok_accounts:login")
    Client().post(login, {"username": "Anna.Smirnova@example.com", "password": password})
    # After the success: axes forgets the failures before it (AXES_RESET_ON_SUCCESS).
    for typed in ("smirnova.anna", "ANNA.SMIRNOVA@example.com"):
        Client().post(login, {"username": typed, "password": "a-wrong-guess"})
    other = make_customer(username="boris")
    Client().post(login, {"username": "boris", "password": "a-wrong-guess"})
    models = (AccessAttempt, AccessFailureLog, AccessLog)
    assert all(model.objects.filter(username="smirnova.anna").exists() for model in models)

    services.erase_user(person)

    for model in models:
        assert not model.objects.exclude(username=other.username).exists(), model
    assert AccessAttempt.objects.filter(username="boris").exists()
