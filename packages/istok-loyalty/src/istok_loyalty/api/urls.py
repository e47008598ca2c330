"""Loyalty API: ``path("api/loyalty/", include("istok_loyalty.api.urls"))``."""

from django.urls import path

from . import views

app_name = "istok_loyalty_api"

urlpatterns = [
    path("me/", views.AccountView.as_view(), name="account"),
    path("me/transactions/", views.TransactionListView.as_view(), name="transaction_list"),
    path("me/referrals/", views.ReferralListView.as_view(), name="referral_list"),
    path("me/gift/", views.ChooseGiftView.as_view(), name="choose_gift"),
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
