"""The short referral link at the root of the site: ``/r/<code>/``.

    urlpatterns = [
        path("", include("istok_loyalty.urls_referral")),
        path("loyalty/", include("istok_loyalty.urls")),
    ]

Its URL name is ``istok_loyalty_referral_link`` (no namespace, so it does not clash with
the app's own ``istok_loyalty:referral_link``); the links the app builds use it when it
is there.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("r/<str:code>/", views.ReferralLinkView.as_view(), name="istok_loyalty_referral_link"),
]
