import json
import subprocess
import sys

import pytest
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.test import APIRequestFactory

from istok_core.api.parsers import (
    MAX_DEPTH,
    SafeJSONParser,
    SafeParser,
    SafeParsersMixin,
    safe_parser,
)
from tests.views import EchoAPIView, PlainJSONParser

JSON = "application/json"
ENDPOINTS = ["/api/echo/", "/api/safe-json/"]


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("body", ["[" * 5_000, "[" * 100_000, '{"a":' * 5_000])
def test_nesting_thousands_deep_is_a_400(client, url, body):
    response = client.post(url, body, content_type=JSON)

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is nested too deeply."}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_valid_json_deeper_than_the_limit_is_a_400(client, url):
    response = client.post(url, nested(MAX_DEPTH + 1), content_type=JSON)

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is nested too deeply."}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_nesting_up_to_the_limit_is_parsed(client, url):
    response = client.post(url, nested(MAX_DEPTH), content_type=JSON)

    assert response.status_code == 200
    assert response.json()["data"] == json.loads(nested(MAX_DEPTH))


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_deep_nesting_is_a_translated_400(client, url, method):
    response = getattr(client, method)(
        url, "[" * 5_000, content_type=JSON, headers={"accept-language": "ru"}
    )

    # PUT and PATCH are not allowed here: the view says so (405) without a 500.
    assert response.status_code == (400 if method == "post" else 405)
    if method == "post":
        assert response.json() == {"detail": "Слишком глубокая вложенность в теле запроса."}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"name": ', "The request body is not valid JSON (line 1, column 10)."),
        # A missing comma: Python 3.11 to 3.13 place the error alike (a trailing comma not).
        ('{\n  "a": 1\n  "b": 2}', "The request body is not valid JSON (line 3, column 3)."),
        ("{'a': 1}", "The request body is not valid JSON (line 1, column 2)."),
        ("NaN", "The request body is not valid JSON."),
        ('{"a": -Infinity}', "The request body is not valid JSON."),
        ("1" * 5_000, "The request body is not valid JSON."),
        ('"\\ud800"', "The request body is not valid UTF-8 text."),
        ('{"\\udfff": 1}', "The request body is not valid UTF-8 text."),
        ('[[["\\ud800x"]]]', "The request body is not valid UTF-8 text."),
        (b'{"a": "\xff"}', "The request body is not valid utf-8 text."),
    ],
)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_bad_json_is_a_400_with_a_clear_message(client, url, body, message):
    response = client.post(url, body, content_type=JSON)

    assert response.status_code == 400
    assert response.json() == {"detail": message}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_bad_json_is_refused_in_russian(client, url):
    response = client.post(url, '{"name": ', content_type=JSON, headers={"accept-language": "ru"})

    assert response.json() == {
        "detail": "Тело запроса — не корректный JSON (строка 1, позиция 10)."
    }


@pytest.mark.parametrize("charset", ["bz2_codec", "zlib_codec", "base64_codec"])
def test_a_charset_that_is_not_a_text_encoding_is_a_400(client, charset):
    # generic(): post() would encode the body in that charset itself.
    response = client.generic(
        "POST", "/api/safe-json/", b"[]", content_type=f"application/json; charset={charset}"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body's character set is not supported."}


def test_another_charset_is_read(client):
    body = json.dumps({"data": "ёлка"}, ensure_ascii=False).encode("cp1251")

    response = client.generic(
        "POST", "/api/safe-json/", body, content_type="application/json; charset=cp1251"
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"data": "ёлка"}}


def test_an_integrators_own_json_parser_is_guarded_too(client):
    for body in ["[" * 5_000, nested(MAX_DEPTH + 1), '"\\ud800"']:
        response = client.post("/api/echo/", body, content_type=PlainJSONParser.media_type)

        assert response.status_code == 400, body


def test_form_bodies_still_parse(client):
    response = client.post("/api/echo/", {"name": "Anna"})

    assert response.status_code == 200
    assert response.json() == {"name": "Anna"}


def test_the_mixin_keeps_the_views_media_types():
    request = APIRequestFactory().post("/api/echo/")
    view = EchoAPIView()
    view.setup(request)

    parsers = view.get_parsers()

    assert [p.media_type for p in parsers] == [p.media_type for p in EchoAPIView.parser_classes]
    assert isinstance(parsers[0], SafeJSONParser)
    assert isinstance(parsers[1], SafeParser)
    assert isinstance(parsers[1].parser, FormParser)
    assert all(isinstance(p, SafeParser) for p in parsers[2:])


def test_safe_parser_keeps_a_safe_json_parser_and_replaces_drfs_own():
    parser = SafeJSONParser()
    assert safe_parser(parser) is parser
    assert type(safe_parser(JSONParser())) is SafeJSONParser


def test_the_mixin_uses_the_projects_default_parsers(settings):
    from rest_framework.views import APIView

    class View(SafeParsersMixin, APIView):
        pass

    assert [type(p) for p in View().get_parsers()] == [SafeJSONParser, SafeParser, SafeParser]


def test_istok_core_imports_without_rest_framework():
    # DRF is only in the [api] extra: the app, its checks and its middleware must import
    # without it. (A None in sys.modules makes "import rest_framework" fail.)
    code = (
        "import sys; sys.modules['rest_framework'] = None\n"
        "import django; from django.conf import settings\n"
        "settings.configure(INSTALLED_APPS=['istok_core'], MIDDLEWARE=[])\n"
        "django.setup()\n"
        "import istok_core.apps, istok_core.checks, istok_core.middleware\n"
        "from django.core import checks\n"
        "print(sorted(m.id for m in checks.run_checks()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['istok_core.W001']"


@pytest.mark.parametrize("body", ["[" * 5_000, "{not json"])
def test_an_action_that_reads_no_body_still_refuses_a_bad_one(client, body):
    response = client.post("/api/action/", body, content_type=JSON)
    assert response.status_code == 400


def test_an_action_without_a_body_or_with_a_good_one_runs(client):
    assert client.post("/api/action/").json() == {"done": True}
    assert client.post("/api/action/", "{}", content_type=JSON).json() == {"done": True}
