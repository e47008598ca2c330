"""Views of the accounts API. They check input with a serializer and write through ``services``."""

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.settings import api_settings

from istok_core.api.errors import service_errors
from istok_core.api.exceptions import NotFoundMixin
from istok_core.api.parsers import SafeParsersMixin
from istok_core.throttling import setting_throttle

from .. import limits, services
from ..models import Consent, Room
from .serializers import (
    ConsentChangeSerializer,
    ConsentSerializer,
    EraseSerializer,
    MeSerializer,
    RoomSerializer,
    SignupSerializer,
)

BACKEND = "istok_accounts.backends.EmailOrUsernameBackend"


def _load_user(user):
    """A fresh copy of ``user`` from the database, its rooms prefetched.

    The services get this copy rather than ``request.user`` (a lazy object): ``update_profile``
    sets attributes before it validates, and a refused change must not stay half-applied.
    """
    return get_user_model()._default_manager.prefetch_related("rooms").get(pk=user.pk)


class AccountsAPIView(NotFoundMixin, SafeParsersMixin, generics.GenericAPIView):
    """The accounts API's views: istok_core's parsers refuse a hostile body with a 400, and
    a 404 says "Not found." in the client's language."""


class IsAnonymous(permissions.BasePermission):
    message = _("You are already signed in.")

    def has_permission(self, request, view):
        return not request.user.is_authenticated


class SignupView(AccountsAPIView):
    """Create an account with its consents and sign the new user in."""

    serializer_class = SignupSerializer
    permission_classes = [IsAnonymous]
    # The same count as the signup page's, per client address.
    throttle_classes = [
        *api_settings.DEFAULT_THROTTLE_CLASSES,
        setting_throttle(limits.SIGNUP, "ISTOK_ACCOUNTS_SIGNUP_RATE"),
    ]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # DRF checks CSRF only for signed-in sessions. Signup signs the user in, so it needs
        # the token like Django's login view does: otherwise another site could sign a
        # visitor into an account of the attacker's choosing.
        SessionAuthentication().enforce_csrf(request)

    @extend_schema(responses={201: MeSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            user = services.sign_up(request=request._request, **serializer.validated_data)
        backends = settings.AUTHENTICATION_BACKENDS
        login(request._request, user, backend=BACKEND if BACKEND in backends else backends[0])
        data = MeSerializer(_load_user(user), context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class MeView(AccountsAPIView):
    """The signed-in user's profile: read it, change it (PUT or PATCH)."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return _load_user(self.request.user)

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def put(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    def patch(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        user = self.get_object()
        serializer = self.get_serializer(user, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_profile(user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


class ConsentsView(AccountsAPIView):
    """The consents the user gave, withdrawn ones included; give or withdraw one."""

    serializer_class = ConsentSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Consent.objects.none()
        return Consent.objects.filter(user=self.request.user)

    def _list(self):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(responses=ConsentSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return self._list()

    @extend_schema(request=ConsentChangeSerializer, responses=ConsentSerializer(many=True))
    def post(self, request, *args, **kwargs):
        serializer = ConsentChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        purpose = serializer.validated_data["purpose"]
        user = _load_user(request.user)
        with service_errors():
            if serializer.validated_data["given"]:
                services.give_consent(user, purpose, request=request._request)
            else:
                services.withdraw_consent(user, purpose)
        return self._list()


class ExportView(AccountsAPIView):
    """Everything the installed istok apps hold about the user, as JSON."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, *args, **kwargs):
        data = services.export_personal_data(_load_user(request.user))
        return Response(data, headers={"Cache-Control": "no-store"})


class EraseView(AccountsAPIView):
    """Delete the account: anonymise it everywhere and end the session."""

    serializer_class = EraseSerializer
    permission_classes = [permissions.IsAuthenticated]
    # The same count as the erasure page's, per user.
    throttle_classes = [
        *api_settings.DEFAULT_THROTTLE_CLASSES,
        setting_throttle(limits.ERASURE, "ISTOK_ACCOUNTS_ERASURE_RATE"),
    ]

    @extend_schema(responses={204: None})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.erase_user(_load_user(request.user))
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoomsView(NotFoundMixin, SafeParsersMixin, generics.ListAPIView):
    """The rooms a profile may name (their codes go in ``rooms`` of ``me/``), each with its
    name in the request's language."""

    serializer_class = RoomSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    queryset = Room.objects.filter(is_active=True)
