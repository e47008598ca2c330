"""Request bodies are the forms' and serializers' business, not the middleware's: their text
fields refuse a NUL with a field error (a 400 with the field named), as these tests show."""

import json

import pytest
from django import forms
from rest_framework import serializers

from tests.views import NameForm, NameSerializer


@pytest.mark.parametrize("value", ["\x00", "Anna\x00", "\x00<script>"])
def test_a_django_form_refuses_a_nul_as_a_field_error(value):
    form = NameForm({"name": value})

    assert not form.is_valid()
    assert form.errors["name"] == ["Null characters are not allowed."]


@pytest.mark.parametrize(
    "field",
    [
        forms.CharField(),
        forms.EmailField(),
        forms.SlugField(),
        forms.URLField(assume_scheme="https"),
    ],
)
def test_every_django_text_field_refuses_a_nul(field):
    with pytest.raises(forms.ValidationError):
        field.clean("a\x00b")


@pytest.mark.parametrize(
    "field",
    [
        serializers.CharField(),
        serializers.EmailField(),
        serializers.SlugField(),
        serializers.RegexField(r".*"),
    ],
)
def test_every_drf_text_field_refuses_a_nul(field):
    with pytest.raises(serializers.ValidationError):
        field.run_validation("a\x00b")


def test_a_form_post_with_a_nul_is_a_field_error(client):
    response = client.post("/form/", {"name": "Anna\x00"})

    assert response.status_code == 400
    assert response.json()["errors"]["name"][0]["code"] == "null_characters_not_allowed"


def test_a_json_body_with_a_nul_is_a_field_error(client):
    serializer = NameSerializer(data={"name": "Anna\x00"})
    assert not serializer.is_valid()

    response = client.post(
        "/api/echo/", json.dumps({"name": "Anna\x00"}), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"name": ["Null characters are not allowed."]}
