import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from istok_accounts.models import Consent, Room
from istok_accounts.testing.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = make_customer(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def admin_url(action, *args):
    opts = get_user_model()._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


@pytest.fixture(autouse=True)
def registered_admin():
    # A project with its own user model registers IstokUserAdmin itself (README).
    from django.contrib import admin

    from istok_accounts.admin import IstokUserAdmin

    User = get_user_model()
    if not admin.site.is_registered(User):
        admin.site.register(User, IstokUserAdmin)


def test_user_list_shows_completion_and_runs_constant_queries(
    client, manager, django_assert_max_num_queries
):
    for number in range(5):
        make_customer(first_name=f"Client {number}", phone="+79123456789")
    with django_assert_max_num_queries(12):
        response = client.get(admin_url("changelist"))
    assert response.status_code == 200
    assert "28%" in response.text  # first name and phone: 2 of 7 fields, rounded down


@pytest.mark.parametrize(
    "query",
    [
        "renovation_stage__exact=soon",
        "rooms__id__exact=1",
        "has_children__exact=yes",
        "newsletter=yes",
        "newsletter=no",
        "personal_data=yes",
        "q=%2B7912",
    ],
)
def test_user_list_filters_and_search_work(client, manager, query):
    response = client.get(admin_url("changelist") + "?" + query)
    assert response.status_code == 200


def test_newsletter_filter_keeps_only_subscribers(client, manager):
    subscriber = make_customer(username="subscriber")
    Consent.objects.create(user=subscriber, purpose="newsletter")
    make_customer(username="quiet")
    response = client.get(admin_url("changelist") + "?newsletter=yes")
    names = [u.username for u in response.context["cl"].result_list]
    assert names == ["subscriber"]


def test_search_by_phone(client, manager):
    make_customer(username="phoned", phone="+79991112233")
    response = client.get(admin_url("changelist") + "?q=79991112233")
    assert [u.username for u in response.context["cl"].result_list] == ["phoned"]


def test_change_page_shows_profile_and_consents(client, manager, customer):
    response = client.get(admin_url("change", customer.pk))
    assert response.status_code == 200
    for name in ("phone", "has_children", "renovation_planned", "renovation_stage", "rooms"):
        assert f'name="{name}"' in response.text
    assert "Personal data processing" in response.text


def test_change_refuses_stage_without_renovation(client, manager, customer):
    data = {
        "username": customer.username,
        "email": customer.email,
        "first_name": "",
        "last_name": "",
        "phone": "",
        "has_children": "",
        "renovation_planned": "false",
        "renovation_stage": "soon",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "istok_consents-TOTAL_FORMS": "0",
        "istok_consents-INITIAL_FORMS": "0",
    }
    response = client.post(admin_url("change", customer.pk), data)
    assert response.status_code == 200
    assert "renovation_stage" in response.context["adminform"].form.errors
    customer.refresh_from_db()
    assert customer.renovation_stage == ""


def test_add_user_refuses_email_taken_in_another_case(client, manager, customer):
    response = client.post(
        admin_url("add"),
        {
            "username": "newcomer",
            "email": customer.email.upper(),
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not get_user_model()._default_manager.filter(username="newcomer").exists()


def test_rooms_are_editable_in_the_admin(client, manager):
    response = client.get(reverse("admin:istok_accounts_room_changelist"))
    assert response.status_code == 200
    assert Room.objects.count() == 9
    response = client.post(
        reverse("admin:istok_accounts_room_add"),
        {"name": "Balcony", "slug": "balcony", "position": 100, "is_active": "on"},
    )
    assert response.status_code == 302
    assert Room.objects.filter(slug="balcony").exists()


def test_the_password_page_warns_in_the_admins_language(client, manager, customer):
    # Django writes this warning in English only; istok's form translates it.
    # UserAdmin names this URL after auth.User whatever the user model.
    url = reverse("admin:auth_user_password_change", args=[customer.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert "текущий пароль пользователя будет утерян" in html
    assert "will be lost" not in html
