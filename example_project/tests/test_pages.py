"""Every page renders through the project's base template, in Russian and in English."""

import pytest
from django.conf import settings
from django.urls import reverse

VISITOR_PAGES = [
    "home",
    "istok_accounts:signup",
    "istok_accounts:login",
    "istok_accounts:password_reset",
    "istok_accounts:password_reset_done",
    "istok_accounts:password_reset_complete",
]
CUSTOMER_PAGES = [
    "home",
    "istok_accounts:profile",
    "istok_accounts:profile_edit",
    "istok_accounts:consents",
    "istok_accounts:data_export",
    "istok_accounts:delete",
    "istok_accounts:password_change",
    "istok_accounts:password_change_done",
]
# Words of the project's own base template and navigation in each language.
EXPECTED = {
    "ru": {"lang": 'lang="ru"', "tagline": "Мебель на заказ", "in": "Войти", "out": "Выйти"},
    "en": {
        "lang": 'lang="en"',
        "tagline": "Furniture made to measure",
        "in": "Sign in",
        "out": "Sign out",
    },
}


def get_in(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_portal_page(html, language):
    assert EXPECTED[language]["lang"] in html
    assert EXPECTED[language]["tagline"] in html
    # The project's base template, not the packages' fallback.
    assert 'href="/static/demo/portal.css"' in html
    assert 'class="istok-nav"' in html
    assert 'action="/i18n/setlang/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_visitor_page_renders_with_navigation(client, name, language):
    html = get_in(client, reverse(name), language)
    assert_portal_page(html, language)
    assert EXPECTED[language]["in"] in html
    assert f'href="{reverse("istok_accounts:signup")}"' in html


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", CUSTOMER_PAGES)
def test_customer_page_renders_with_navigation(customer_client, name, language):
    html = get_in(customer_client, reverse(name), language)
    assert_portal_page(html, language)
    assert EXPECTED[language]["out"] in html
    assert f'href="{reverse("istok_accounts:profile")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en"])
def test_password_reset_link_page_renders(client, language):
    url = reverse("istok_accounts:password_reset_confirm", args=["MQ", "not-a-token"])
    assert_portal_page(get_in(client, url, language), language)


@pytest.mark.django_db
def test_russian_is_the_default_language(client):
    html = client.get("/").content.decode()
    assert 'lang="ru"' in html
    assert "Мебель на заказ для вашего дома" in html


@pytest.mark.django_db
def test_language_switch_changes_the_pages_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert 'lang="en"' in client.get("/accounts/login/").content.decode()

    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert 'lang="ru"' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_language_switcher_offers_russian_and_english(client):
    html = client.get("/").content.decode()
    assert 'name="language" value="ru"' in html
    assert 'name="language" value="en"' in html


def test_customer_signs_out_with_the_header_form(customer_client):
    html = customer_client.get("/").content.decode()
    logout_url = reverse("istok_accounts:logout")
    assert f'action="{logout_url}"' in html
    response = customer_client.post(logout_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in customer_client.session


@pytest.mark.django_db
def test_messages_are_shown_in_the_base_template(client):
    response = client.post(
        reverse("istok_accounts:signup"),
        {
            "username": "irina",
            "email": "irina@example.com",
            "password1": "a-long-secret-42",
            "password2": "a-long-secret-42",
            "personal_data_consent": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "istok-message--success" in response.content.decode()


def test_stylesheet_is_found_by_the_static_finders():
    from django.contrib.staticfiles import finders

    assert finders.find("demo/portal.css")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_portal_section_renders_with_navigation(customer_client, rf, customer, language):
    from demo.navigation import navigation

    request = rf.get("/")
    request.user = customer
    for _label, url in navigation(request)["istok_sections"]:
        assert_portal_page(get_in(customer_client, url, language), language)
