import pytest

from tests import views

REFUSED_PATHS = [
    "/echo/%00/",
    "/echo/order%00/",
    "/echo/%01/",
    "/echo/a%1Fb/",
    "/echo/%7F/",
    "/echo/a%09b/",  # tab
    "/echo/a%0Ab/",  # line feed
    "/echo/a%0Db/",  # carriage return
    "/%00/",  # no URL pattern would match: refused all the same
]
REFUSED_QUERIES = [
    "?q=%00",
    "?q=kitchen%00",
    "?%00=1",
    "?q%00=1",
    "?q=ok&q=%00",  # the second value of a key
    "?q=%1B",
    "?q=%7F",
    "?next=/orders/%0D%0ALocation:%20https://evil.example/",
    "?q=%09",
]
ACCEPTED = [
    "/echo/2026-00042/",
    "/echo/%D0%BA%D1%83%D1%85%D0%BD%D1%8F/",  # "кухня"
    "/echo/a%20b/",
    "/echo/%C2%A0/",  # a no-break space is not a control character
    "/echo/%FF/",  # not UTF-8: Django keeps it percent-encoded
    "/echo/?q=%D1%83%D0%B3%D0%BB%D0%BE%D0%B2%D0%B0%D1%8F+%D0%BA%D1%83%D1%85%D0%BD%D1%8F",
    "/echo/?q=&page=2&q=oak",
    "/echo/?q=100%25",
]


@pytest.fixture(autouse=True)
def no_calls():
    views.CALLS.clear()
    yield
    views.CALLS.clear()


@pytest.mark.parametrize("path", REFUSED_PATHS)
def test_a_control_character_in_the_path_is_refused_before_the_view(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == "Bad request: the address contains a control character."
    assert views.CALLS == []


@pytest.mark.parametrize("query", REFUSED_QUERIES)
def test_a_control_character_in_a_query_key_or_value_is_refused(client, query):
    response = client.get(f"/echo/{query}")

    assert response.status_code == 400
    assert views.CALLS == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "head"])
def test_every_method_is_refused(client, method):
    response = getattr(client, method)("/echo/%00/?q=%00")

    assert response.status_code == 400
    assert views.CALLS == []


@pytest.mark.parametrize("path", ACCEPTED)
def test_clean_addresses_reach_the_view(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert len(views.CALLS) == 1


def test_the_refusal_is_in_the_visitors_language(client):
    response = client.get("/echo/%00/", headers={"accept-language": "ru"})

    assert response.status_code == 400
    assert response.text == "Неверный запрос: в адресе есть управляющий символ."


def test_without_the_middleware_the_view_gets_the_nul(client, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("istok_core.")]
    # What the middleware guards against: the URL converter hands the NUL to the view.
    response = client.get("/echo/%00/?q=%00")

    assert response.status_code == 200
    assert views.CALLS == ["\x00"]
    assert response.text == "\x00|q=%00"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["\x00abcdefghijklmnop", "abcdefgh\x1bijklmnop", "\x7f" * 32])
def test_a_session_cookie_with_a_control_character_is_a_new_session(client, settings, key):
    # The cookie's quoted form carries the NUL as "\\000". PostgreSQL cannot even look such
    # a key up (a DataError, a 500 on every page); it is a key that names no session.
    client.cookies[settings.SESSION_COOKIE_NAME] = key

    response = client.get("/visits/")

    assert response.status_code == 200
    assert response.text == "1"
    new_key = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key and new_key != key
    assert client.get("/visits/").text == "2"


@pytest.mark.django_db
def test_a_session_cookie_with_a_control_character_before_the_session_middleware(client, settings):
    settings.MIDDLEWARE = [
        "istok_core.middleware.RejectControlCharactersMiddleware",
        *(m for m in settings.MIDDLEWARE if not m.startswith("istok_core.")),
    ]
    client.cookies[settings.SESSION_COOKIE_NAME] = "\x00abcdefghijklmnop"

    response = client.get("/visits/")

    assert response.status_code == 200
    assert response.text == "1"


def test_other_cookies_with_a_control_character_are_left_alone(client):
    client.cookies["tracking"] = "\x00"

    assert client.get("/echo/").status_code == 200


@pytest.mark.django_db
def test_a_page_that_does_not_use_the_session_deletes_the_bad_cookie(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "\x00abcdefghijklmnop"

    response = client.get("/echo/")

    assert response.status_code == 200
    deleted = response.cookies[settings.SESSION_COOKIE_NAME]
    assert deleted.value == ""
    assert deleted["max-age"] == 0
