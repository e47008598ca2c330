"""The admin's third-party parts in Russian: django-axes' lockout logs under a Russian name
with Russian labels, and Django's own "Введённые" spelt with "ё" (demo/third_party_strings.py)."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_axes_reads_in_russian_in_the_admin(admin_client):
    translation.activate("ru")
    assert str(apps.get_app_config("axes").verbose_name) == "Попытки входа"
    page = admin_client.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="ru")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Попытки входа" in html
    assert "Вход заблокирован" in html  # the "Locked Out" filter
    assert "Axes" not in html and "Locked Out" not in html


def test_django_messages_spell_yo():
    with translation.override("ru"):
        form = SetPasswordForm(
            get_user_model()(username="olga"),
            data={"new_password1": "a-long-pass-1", "new_password2": "other-pass-2"},
        )
        assert not form.is_valid()
        assert form.errors["new_password2"] == ["Введённые пароли не совпадают."]
