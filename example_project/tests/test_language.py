"""Russian whatever the browser asks for; English only through the switcher's cookie."""

import pytest
from django.conf import settings


def page_language(client, **headers):
    html = client.get("/accounts/login/", **headers).content.decode()
    for code, _name in settings.LANGUAGES:
        if f'<html lang="{code}">' in html:
            return code
    raise AssertionError("no <html lang> of a known language")


def test_middleware_comes_before_locale_middleware():
    middleware = settings.MIDDLEWARE
    assert middleware.index("demo.middleware.RussianByDefaultMiddleware") < middleware.index(
        "django.middleware.locale.LocaleMiddleware"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en", "en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", ""])
def test_accept_language_is_ignored(client, accept):
    assert page_language(client, HTTP_ACCEPT_LANGUAGE=accept) == "ru"


@pytest.mark.django_db
def test_language_cookie_gives_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9") == "en"
    assert page_language(client) == "en"


@pytest.mark.django_db
def test_language_cookie_gives_russian_to_an_english_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="en") == "ru"


@pytest.mark.django_db
def test_switcher_sets_the_cookie_an_english_browser_keeps(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, **english_browser)
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert page_language(client, **english_browser) == "en"

    client.post("/i18n/setlang/", {"language": "ru", "next": "/"}, **english_browser)
    assert page_language(client, **english_browser) == "ru"


@pytest.mark.django_db
def test_unknown_cookie_language_falls_back_to_russian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="en") == "ru"


@pytest.mark.django_db
def test_api_answers_in_russian_to_an_english_client(client):
    # The API's messages follow the same rule as the pages.
    response = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ru"
