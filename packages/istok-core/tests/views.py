"""Small views the tests request: one that echoes what it was given, plain Django and DRF."""

import json

from django import forms
from django.http import HttpResponse, JsonResponse
from rest_framework import serializers
from rest_framework.parsers import BaseParser, FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from istok_core.api.parsers import SafeJSONParser, SafeParsersMixin

#: What the echo view received, so a test sees whether a view ran at all.
CALLS = []


def echo(request, value=""):
    CALLS.append(value)
    return HttpResponse(f"{value}|{request.GET.urlencode()}", content_type="text/plain")


def visits(request):
    """Counts the visits in the session, so the session is loaded (from the database)."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse(str(request.session["visits"]), content_type="text/plain")


class NameForm(forms.Form):
    name = forms.CharField(max_length=100)


def name_form(request):
    form = NameForm(request.POST)
    if form.is_valid():
        return JsonResponse({"name": form.cleaned_data["name"]})
    return JsonResponse({"errors": form.errors.get_json_data()}, status=400)


class NameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class PlainJSONParser(BaseParser):
    """An integrator's own JSON parser that knows nothing of deep nesting."""

    media_type = "application/vnd.example+json"

    def parse(self, stream, media_type=None, parser_context=None):
        return json.load(stream)


class EchoAPIView(SafeParsersMixin, APIView):
    """The istok way: the mixin guards whatever parsers the view or the project names."""

    parser_classes = [JSONParser, FormParser, MultiPartParser, PlainJSONParser]

    def post(self, request):
        serializer = NameSerializer(data=request.data)
        if "name" in request.data:
            serializer.is_valid(raise_exception=True)
            return Response(serializer.validated_data)
        return Response({"data": request.data})


class ActionAPIView(SafeParsersMixin, APIView):
    """An action that reads nothing from the body ("take this conversation")."""

    def post(self, request):
        return Response({"done": True})


class SafeJSONParserView(APIView):
    """The parser named on its own, as a project may do in ``DEFAULT_PARSER_CLASSES``."""

    parser_classes = [SafeJSONParser]

    def post(self, request):
        return Response({"data": request.data})
