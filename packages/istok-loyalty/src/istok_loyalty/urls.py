"""Loyalty pages: ``path("loyalty/", include("istok_loyalty.urls"))``.

The referral link is here too (``<prefix>/r/<code>/``); for the short ``/r/<code>/`` at
the root of the site, also include ``istok_loyalty.urls_referral`` at ``""``.
"""

from django.urls import path

from . import views

app_name = "istok_loyalty"

urlpatterns = [
    path("", views.PointsView.as_view(), name="points"),
    path("referral/", views.ReferralView.as_view(), name="referral"),
    path("referral/gift/", views.ChooseGiftView.as_view(), name="choose_gift"),
    path("r/<str:code>/", views.ReferralLinkView.as_view(), name="referral_link"),
    path("orders/<str:number>/pay/", views.PayOrderView.as_view(), name="pay_order"),
    path(
        "orders/<str:number>/promotion/",
        views.ChoosePromotionView.as_view(),
        name="choose_promotion",
    ),
    path("promotions/", views.PromotionListView.as_view(), name="promotion_list"),
    path("promotions/<int:pk>/", views.PromotionDetailView.as_view(), name="promotion_detail"),
    path("news/", views.NewsListView.as_view(), name="news_list"),
    path("news/<str:slug>/", views.NewsDetailView.as_view(), name="news_detail"),
]
