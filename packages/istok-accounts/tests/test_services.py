import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from istok_accounts import services
from istok_accounts.models import Consent, Room
from istok_accounts.selectors import (
    has_newsletter_consent,
    needs_policy_consent,
    profile_completion,
)
from istok_accounts.signals import (
    personal_data_requested,
    profile_updated,
    user_erased,
    user_signed_up,
)
from istok_accounts.testing.factories import make_customer

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "anna",
    "email": "Anna@Example.com",
    "password": "a-long-and-unusual-passphrase",
    "personal_data_consent": True,
}


def users():
    return get_user_model()._default_manager


def test_sign_up_creates_user_with_consent_and_announces_it(django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, user, request, referral_code, **kwargs):
        received.append((user.username, referral_code))

    user_signed_up.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            user = services.sign_up(**SIGNUP, referral_code="  FRIEND1 ")
    finally:
        user_signed_up.disconnect(receiver)
    assert user.check_password(SIGNUP["password"])
    assert user.email == "Anna@example.com"  # domain lower-cased, local part kept
    consent = Consent.objects.get(user=user)
    assert consent.purpose == Consent.Purpose.PERSONAL_DATA
    assert consent.policy_version == "1.0"
    assert not has_newsletter_consent(user)
    assert received == [("anna", "FRIEND1")]


def test_sign_up_is_not_announced_before_commit(django_capture_on_commit_callbacks):
    received = []
    user_signed_up.connect(received.append)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.sign_up(**SIGNUP)
        assert received == []
        assert len(callbacks) == 1
    finally:
        user_signed_up.disconnect(received.append)


def test_sign_up_records_newsletter_consent_when_given():
    user = services.sign_up(**SIGNUP, newsletter_consent=True)
    assert has_newsletter_consent(user)


def test_sign_up_without_personal_data_consent_is_refused_and_creates_nothing():
    with pytest.raises(ValidationError) as exc:
        services.sign_up(**{**SIGNUP, "personal_data_consent": False})
    assert "personal_data_consent" in exc.value.message_dict
    assert not users().exists()
    assert not Consent.objects.exists()


def test_sign_up_with_email_taken_in_another_case_is_refused(customer):
    with pytest.raises(ValidationError) as exc:
        services.sign_up(**{**SIGNUP, "email": customer.email.upper()})
    assert "email" in exc.value.message_dict
    assert users().count() == 1


def test_sign_up_with_weak_password_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.sign_up(**{**SIGNUP, "password": "12345678"})
    assert "password" in exc.value.message_dict
    assert not users().exists()


def test_sign_up_with_taken_username_is_refused(customer):
    with pytest.raises(ValidationError) as exc:
        services.sign_up(**{**SIGNUP, "username": customer.username})
    assert get_user_model().USERNAME_FIELD in exc.value.message_dict


def test_database_refuses_duplicate_email_in_another_case(customer):
    User = get_user_model()
    with pytest.raises(IntegrityError), transaction.atomic():
        User._default_manager.create_user(username="copy", email=customer.email.swapcase())


def test_database_refuses_renovation_stage_without_renovation(customer):
    customer.renovation_planned = False
    customer.renovation_stage = "soon"
    with pytest.raises(IntegrityError), transaction.atomic():
        customer.save()


def test_update_profile_saves_fields_and_rooms(customer):
    kitchen, hallway = Room.objects.get(slug="kitchen"), Room.objects.get(slug="hallway")
    services.update_profile(
        customer,
        phone="+79123456789",
        has_children="yes",
        renovation_planned=True,
        renovation_stage="soon",
        rooms=[kitchen, hallway],
    )
    customer.refresh_from_db()
    assert str(customer.phone) == "+79123456789"
    assert set(customer.rooms.all()) == {kitchen, hallway}
    assert profile_completion(customer).percent == 100


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"renovation_planned": False, "renovation_stage": "soon"}, "renovation_stage"),
        ({"renovation_planned": None, "renovation_stage": "year"}, "renovation_stage"),
        ({"renovation_planned": False, "rooms": "kitchen"}, "rooms"),
        ({"email": ""}, "email"),
        ({"phone": "not a phone"}, "phone"),
        ({"has_children": "maybe"}, "has_children"),
    ],
)
def test_update_profile_refuses_bad_input_and_changes_nothing(customer, fields, error_field):
    if fields.get("rooms") == "kitchen":
        fields["rooms"] = [Room.objects.get(slug="kitchen")]
    before = users().values().get(pk=customer.pk)
    with pytest.raises(ValidationError) as exc:
        services.update_profile(customer, **fields)
    assert error_field in exc.value.message_dict
    assert users().values().get(pk=customer.pk) == before
    assert not customer.__class__._default_manager.get(pk=customer.pk).rooms.exists()


def test_update_profile_refuses_email_of_another_user(customer, other_customer):
    with pytest.raises(ValidationError) as exc:
        services.update_profile(customer, email=other_customer.email.upper())
    assert "email" in exc.value.message_dict


def test_update_profile_refuses_inactive_room(customer):
    room = Room.objects.create(slug="attic", name="Attic", is_active=False)
    with pytest.raises(ValidationError):
        services.update_profile(customer, renovation_planned=True, rooms=[room])
    assert not customer.rooms.exists()


def test_update_profile_refuses_unknown_field(customer):
    with pytest.raises(ValueError):
        services.update_profile(customer, is_staff=True)


def test_completion_counts_optional_fields_and_lists_missing(customer):
    completion = profile_completion(customer)
    # first and last name filled: 2 of 7
    assert completion.percent == 28
    assert [m.name for m in completion.missing] == [
        "phone",
        "has_children",
        "renovation_planned",
        "renovation_stage",
        "rooms",
    ]


def test_no_renovation_planned_completes_the_renovation_questions(customer):
    services.update_profile(
        customer, phone="+79123456789", has_children="no", renovation_planned=False
    )
    assert profile_completion(customer).percent == 100


def test_completion_fields_come_from_the_setting(customer, settings):
    settings.ISTOK_ACCOUNTS_COMPLETION_FIELDS = ["first_name", "phone"]
    assert profile_completion(customer).percent == 50
    settings.ISTOK_ACCOUNTS_COMPLETION_FIELDS = []
    assert profile_completion(customer).percent == 100


def test_completion_uses_prefetched_rooms(customer, django_assert_num_queries):
    user = users().prefetch_related("rooms").get(pk=customer.pk)
    with django_assert_num_queries(0):
        profile_completion(user)


def test_give_consent_twice_keeps_one_active_record(customer):
    first = services.give_consent(customer, Consent.Purpose.NEWSLETTER)
    second = services.give_consent(customer, Consent.Purpose.NEWSLETTER)
    assert first == second
    assert Consent.objects.filter(user=customer, purpose="newsletter").count() == 1


def test_withdrawn_newsletter_consent_is_kept_and_can_be_given_again(customer):
    services.give_consent(customer, Consent.Purpose.NEWSLETTER)
    services.withdraw_consent(customer, Consent.Purpose.NEWSLETTER)
    assert not has_newsletter_consent(customer)
    services.give_consent(customer, Consent.Purpose.NEWSLETTER)
    assert has_newsletter_consent(customer)
    history = Consent.objects.filter(user=customer, purpose="newsletter")
    assert history.count() == 2
    assert history.filter(withdrawn_at__isnull=False).count() == 1


def test_personal_data_consent_cannot_be_withdrawn(customer):
    with pytest.raises(ValidationError) as exc:
        services.withdraw_consent(customer, Consent.Purpose.PERSONAL_DATA)
    assert "purpose" in exc.value.message_dict
    assert Consent.objects.active().filter(user=customer, purpose="personal_data").exists()


def test_unknown_consent_purpose_is_refused(customer):
    with pytest.raises(ValidationError):
        services.give_consent(customer, "telepathy")
    with pytest.raises(ValidationError):
        services.withdraw_consent(customer, "telepathy")


def test_new_policy_version_asks_for_consent_again(customer, settings):
    assert not needs_policy_consent(customer)
    settings.ISTOK_ACCOUNTS_POLICY_VERSION = "2.0"
    assert needs_policy_consent(customer)
    services.give_consent(customer, Consent.Purpose.PERSONAL_DATA)
    assert not needs_policy_consent(customer)
    versions = Consent.objects.filter(user=customer, purpose="personal_data")
    assert sorted(versions.values_list("policy_version", flat=True)) == ["1.0", "2.0"]
    assert versions.active().get().policy_version == "2.0"


def test_export_holds_the_account_and_what_other_apps_answer(customer):
    def orders_receiver(sender, user, **kwargs):
        return {"istok_orders": [{"number": "2026-0001", "customer": user.email}]}

    personal_data_requested.connect(orders_receiver)
    try:
        data = services.export_personal_data(customer)
    finally:
        personal_data_requested.disconnect(orders_receiver)
    assert data["istok_accounts"]["email"] == customer.email
    assert data["istok_accounts"]["consents"][0]["purpose"] == "personal_data"
    assert data["istok_orders"] == [{"number": "2026-0001", "customer": customer.email}]


def test_erase_user_anonymises_the_account(customer, other_customer):
    customer.rooms.set([Room.objects.get(slug="kitchen")])
    services.give_consent(customer, Consent.Purpose.NEWSLETTER)
    seen = []
    user_erased.connect(
        lambda sender, user, **kw: seen.append(user.email), weak=False, dispatch_uid="t"
    )
    try:
        email = customer.email
        services.erase_user(customer)
    finally:
        user_erased.disconnect(dispatch_uid="t")
    assert seen == [email]
    erased = users().get(pk=customer.pk)
    assert erased.is_erased and not erased.is_active
    assert (erased.email, erased.first_name, erased.last_name, str(erased.phone)) == (
        "",
        "",
        "",
        "",
    )
    assert erased.get_username() == f"erased-{customer.pk}"
    assert not erased.has_usable_password()
    assert not erased.rooms.exists()
    consents = Consent.objects.filter(user=erased)
    assert not consents.active().exists()
    assert not consents.exclude(ip_address=None).exists()
    # the other customer is untouched
    assert users().get(pk=other_customer.pk).email == other_customer.email


def test_erase_user_twice_changes_nothing_more(customer):
    first = services.erase_user(customer)
    second = services.erase_user(customer)
    assert first.erased_at == second.erased_at


def test_failing_erasure_receiver_rolls_back_everything(customer):
    def broken(sender, user, **kwargs):
        raise RuntimeError("orders could not be anonymised")

    user_erased.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.erase_user(customer)
    finally:
        user_erased.disconnect(broken)
    assert users().get(pk=customer.pk).email == customer.email


def test_email_taken_after_the_check_is_still_reported_on_the_email_field(customer, monkeypatch):
    # What a concurrent signup does: the address is taken between our check and our save.
    monkeypatch.setattr(services, "validate_email_free", lambda email, user=None: None)
    with pytest.raises(ValidationError) as exc:
        services.sign_up(**{**SIGNUP, "email": customer.email.upper()})
    assert list(exc.value.message_dict) == ["email"]
    with pytest.raises(ValidationError) as exc:
        services.update_profile(make_customer(), email=customer.email.upper())
    assert list(exc.value.message_dict) == ["email"]


def test_profile_update_is_announced_after_commit(customer, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, user, fields, **kwargs):
        received.append((user.pk, fields, profile_completion(user).percent))

    profile_updated.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(
                customer, phone="+79123456789", has_children="no", renovation_planned=False
            )
    finally:
        profile_updated.disconnect(receiver)
    assert received == [(customer.pk, ("phone", "has_children", "renovation_planned"), 100)]


def test_refused_profile_update_is_not_announced(customer, django_capture_on_commit_callbacks):
    received = []
    profile_updated.connect(received.append)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            services.update_profile(customer, renovation_planned=False, renovation_stage="soon")
    finally:
        profile_updated.disconnect(received.append)
    assert received == []
