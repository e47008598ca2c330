import pytest
from django.contrib import admin
from django.urls import reverse


@pytest.mark.django_db
def test_admin_login_page_renders(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.fixture
def admin_user_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(user)
    return client


def test_admin_index_renders(admin_user_client):
    assert admin_user_client.get("/admin/").status_code == 200


def istok_admin_models():
    return sorted(
        (model._meta.app_label, model._meta.model_name)
        for model in admin.site._registry
        if model._meta.app_label.startswith("istok_")
    )


@pytest.mark.parametrize("app_label,model_name", istok_admin_models())
def test_istok_changelists_and_add_pages_render(admin_user_client, app_label, model_name):
    for view in ("changelist", "add"):
        url = reverse(f"admin:{app_label}_{model_name}_{view}")
        assert admin_user_client.get(url).status_code in (200, 403), url
