from django.http import Http404
from django.utils import translation
from rest_framework.exceptions import NotFound as DRFNotFound
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from istok_core.api.exceptions import NotFound, NotFoundMixin


class MissingOrderView(NotFoundMixin, APIView):
    """Raises what ``get_object()`` raises for a missing row (Django's get_object_or_404)."""

    def get(self, request):
        raise Http404("No Order matches the given query.")


class PastTheEndView(NotFoundMixin, APIView):
    def get(self, request):
        raise DRFNotFound("Invalid page.")


class FoundView(NotFoundMixin, APIView):
    def get(self, request):
        return Response({"ok": True})


def get(view, language="en"):
    request = APIRequestFactory().get("/")
    with translation.override(language):
        response = view.as_view()(request)
        response.render()
    return response


def test_a_404_names_no_model_and_speaks_the_request_language():
    assert get(MissingOrderView).status_code == 404
    assert get(MissingOrderView).data == {"detail": "Not found."}
    assert get(MissingOrderView, "ru").data == {"detail": "Не найдено."}


def test_a_404_with_a_message_of_its_own_keeps_it():
    assert get(PastTheEndView).data == {"detail": "Invalid page."}


def test_other_answers_are_left_alone():
    assert get(FoundView).data == {"ok": True}


def test_the_exception_is_drfs_not_found_with_a_translated_detail():
    assert issubclass(NotFound, DRFNotFound)
    with translation.override("ru"):
        assert str(NotFound().detail) == "Не найдено."
    assert NotFound().get_codes() == "not_found"
