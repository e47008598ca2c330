from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from istok_accounts.models import Consent
from istok_accounts.selectors import profile_completion


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_runs_twice_and_keeps_one_of_each_user():
    first = load_demo()
    second = load_demo()
    User = get_user_model()
    assert User.objects.filter(username="admin").count() == 1
    assert User.objects.filter(username="demo").count() == 1
    for output in (first, second):
        assert "admin / istok-admin" in output
        assert "demo or demo@example.com / istok-demo" in output


@pytest.mark.django_db
def test_demo_users_can_sign_in(client):
    load_demo()
    load_demo()
    assert client.login(username="demo", password="istok-demo")
    assert client.get("/accounts/profile/").status_code == 200
    client.logout()
    assert client.login(username="DEMO@example.com", password="istok-demo")
    client.logout()
    assert client.login(username="admin", password="istok-admin")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_customer_has_consent_and_an_unfinished_profile():
    load_demo()
    demo = get_user_model().objects.get(username="demo")
    assert (
        Consent.objects.active().filter(user=demo, purpose=Consent.Purpose.PERSONAL_DATA).exists()
    )
    assert 0 < profile_completion(demo).percent < 50
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


@pytest.mark.django_db
def test_load_demo_restores_the_printed_passwords():
    load_demo()
    demo = get_user_model().objects.get(username="demo")
    demo.set_password("changed-by-someone")
    demo.save()
    load_demo()
    demo.refresh_from_db()
    assert demo.check_password("istok-demo")
