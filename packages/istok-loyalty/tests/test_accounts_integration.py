"""The optional integration with istok_accounts (``--ds tests.settings_accounts`` or
``tests.settings_full``): signup opens the account with its bonus and attaches the
referral (typed code or the referral link's cookie), a complete profile earns its bonus
once, the data export lists the points, erasure anonymises them. Without the app,
nothing is connected."""

import pytest
from django.apps import apps
from django.urls import reverse

from istok_loyalty import receivers, selectors, services
from istok_loyalty.models import LoyaltyTransaction, Referral
from istok_loyalty.testing.factories import make_promotion

pytestmark = pytest.mark.django_db

with_accounts = pytest.mark.skipif(
    not apps.is_installed("istok_accounts"),
    reason="istok_accounts is not installed (run with --ds tests.settings_accounts)",
)
without_accounts = pytest.mark.skipif(
    apps.is_installed("istok_accounts"), reason="istok_accounts is installed"
)

PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(username, referral_code="", request=None):
    from istok_accounts.services import sign_up

    return sign_up(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        personal_data_consent=True,
        referral_code=referral_code,
        request=request,
    )


@without_accounts
def test_without_accounts_nothing_is_connected():
    pytest.importorskip("istok_accounts", reason="istok-accounts is not even importable")
    from istok_accounts import signals

    ours = {
        receivers.on_user_signed_up,
        receivers.check_signup_referral_code,
        receivers.remembered_referral_code,
        receivers.on_profile_updated,
        receivers.export_loyalty,
        receivers.anonymise_loyalty,
    }
    for signal in (
        signals.user_signed_up,
        signals.referral_code_check,
        signals.referral_code_remembered,
        signals.profile_updated,
        signals.personal_data_requested,
        signals.user_erased,
    ):
        assert not ours & {r() for _key, r in signal.receivers}


@without_accounts
def test_without_accounts_the_rules_say_nothing_of_the_profile(customer):
    assert selectors.earning_rules(customer)["profile_completed_bonus"] == 0


@with_accounts
def test_signup_opens_the_account_with_the_bonus(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up("anna")
    assert selectors.balance(user) == 500
    assert LoyaltyTransaction.objects.get().idempotency_key == f"signup:{user.pk}"


@with_accounts
def test_signup_with_a_typed_code_creates_the_referral(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anna = sign_up("anna")
    code = selectors.account_of(anna).referral_code
    with django_capture_on_commit_callbacks(execute=True):
        boris = sign_up("boris", referral_code=code.lower())
    referral = Referral.objects.get()
    assert (referral.referrer, referral.new_user) == (anna, boris)


@with_accounts
def test_an_unknown_code_refuses_the_signup_before_the_account_exists():
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        sign_up("anna", referral_code="NOSUCH22")
    assert error.value.message_dict == {
        "referral_code": ["This referral code is unknown or no longer valid."]
    }
    assert not get_user_model().objects.exists()


@with_accounts
def test_the_signup_page_shows_a_wrong_code_on_its_field_and_makes_no_account(client):
    from django.contrib.auth import get_user_model

    response = client.post(reverse("istok_accounts:signup"), signup_data(referral_code="NOSUCH22"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "referral_code": ["This referral code is unknown or no longer valid."]
    }
    assert not get_user_model().objects.exists()


@with_accounts
def test_ones_own_code_given_later_is_refused_without_an_error(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up("anna")
    services.welcome(user, referral_code=selectors.account_of(user).referral_code)
    assert selectors.balance(user) == 500
    assert not Referral.objects.exists()


def signup_data(**extra):
    return {
        "username": "boris",
        "email": "boris@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "personal_data_consent": "on",
        **extra,
    }


@with_accounts
def test_the_signup_form_shows_the_code_the_link_remembers(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anna = sign_up("anna")
    code = selectors.account_of(anna).referral_code
    assert client.get(reverse("istok_accounts:signup")).context["form"][
        "referral_code"
    ].value() in (
        None,
        "",
    )
    client.get(f"/r/{code}/")
    form = client.get(reverse("istok_accounts:signup")).context["form"]
    assert form["referral_code"].value() == code
    assert f'value="{code}"' in str(form["referral_code"])


@with_accounts
def test_after_signing_up_with_a_code_the_message_links_to_the_gift(
    rf, django_capture_on_commit_callbacks
):
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.template import Context, Template

    with django_capture_on_commit_callbacks(execute=True):
        anna = sign_up("anna")
    code = selectors.account_of(anna).referral_code
    request = rf.post("/")
    request._messages = CookieStorage(request)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up("boris", referral_code=code, request=request)
    (message,) = list(request._messages)
    html = Template("{{ message }}").render(Context({"message": message}))
    link = f'<a href="{reverse("istok_loyalty:choose_gift")}">Choose your gift</a>'
    assert link in html


@with_accounts
def test_the_signup_page_uses_the_referral_links_cookie(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anna = sign_up("anna")
    make_promotion("Soft-close hinges", program="referral")
    code = selectors.account_of(anna).referral_code
    landing = client.get(f"/r/{code}/")
    assert reverse("istok_accounts:signup") in landing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("istok_accounts:signup"),
            {
                "username": "boris",
                "email": "boris@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "personal_data_consent": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.referrer == anna and referral.new_user.username == "boris"
    page = client.get(reverse("istok_loyalty:points"))
    assert "Choose your gift" in page.content.decode()


@with_accounts
def test_a_complete_profile_earns_its_bonus_once(django_capture_on_commit_callbacks, settings):
    from istok_accounts.services import update_profile

    settings.ISTOK_ACCOUNTS_COMPLETION_FIELDS = ["first_name", "last_name"]
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up("anna")
        update_profile(user, first_name="Anna")
    assert selectors.balance(user) == 500
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(user, last_name="Smirnova")
        update_profile(user, last_name="Petrova")
    assert selectors.balance(user) == 800
    assert LoyaltyTransaction.objects.filter(reason="profile_completed").count() == 1


@with_accounts
def test_the_data_export_lists_the_points(django_capture_on_commit_callbacks):
    from istok_accounts.services import export_personal_data

    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up("anna")
    data = export_personal_data(user)["istok_loyalty"]
    assert data["balance"] == 500
    assert data["referral_code"] == selectors.account_of(user).referral_code
    assert [(t["reason"], t["delta"]) for t in data["transactions"]] == [("signup", 500)]


@with_accounts
def test_erasure_keeps_the_ledger_without_anything_personal(django_capture_on_commit_callbacks):
    from istok_accounts.services import erase_user

    with django_capture_on_commit_callbacks(execute=True):
        anna = sign_up("anna")
        boris = sign_up("boris")
    code = selectors.account_of(anna).referral_code
    services.adjust(anna, 10, note="Call Anna at +7 921 000-11-22")
    erase_user(anna)
    account = selectors.account_of(anna)
    assert account.referral_code != code and not account.referral_enabled
    assert account.anonymised_at is not None
    assert not LoyaltyTransaction.objects.exclude(note="").exists()
    assert account.balance == 510 == sum(account.transactions.values_list("delta", flat=True))
    # The old code no longer refers anybody.
    with pytest.raises(Exception, match="unknown or no longer valid"):
        services.apply_referral(boris, code)


@with_accounts
def test_a_failing_welcome_does_not_break_the_signup(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "welcome", broken)
    with django_capture_on_commit_callbacks(execute=True):
        user = sign_up("anna")
    assert user.pk is not None
    assert "Could not welcome user" in caplog.text
