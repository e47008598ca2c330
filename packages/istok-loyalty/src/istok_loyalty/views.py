"""The customer's pages: "My points", the referral page and link, the gift, paying an
order with points, choosing a promotion for an order, promotions and news.

The points, referral, gift, payment and promotion-choice pages need a signed-in user;
another customer's order answers 404 whether it exists or not. Promotions and news are
public.
"""

from urllib.parse import quote, urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from istok_core.formatting import format_money, format_points
from istok_core.throttling import RateLimitedFormMixin

from . import selectors, services
from .adapter import get_adapter
from .forms import GiftForm, PayOrderForm, PromotionChoiceForm
from .models import Promotion


def _rules_context(user):
    adapter = get_adapter()
    rules = selectors.earning_rules(user)
    return {"rules": rules, "point_value": adapter.point_value()}


class PointsView(LoginRequiredMixin, ListView):
    """Balance, what expires soon, the paginated history and how to earn more."""

    template_name = "istok_loyalty/points.html"
    context_object_name = "transactions"

    def get_paginate_by(self, queryset):
        return settings.ISTOK_LOYALTY_HISTORY_PAGE_SIZE

    def get_queryset(self):
        self.account = selectors.account_of(self.request.user)
        return selectors.history(self.account)

    def get_context_data(self, **kwargs):
        account = self.account
        balance = account.balance if account else 0
        referral = selectors.referral_of(self.request.user)
        open_orders = self._open_orders(balance)
        return super().get_context_data(
            account=account,
            open_orders=open_orders,
            payable_orders=[row["order"] for row in open_orders if row["can_pay"]],
            promotion_choices=list(selectors.promotion_choices(self.request.user)[:20]),
            balance=balance,
            balance_value=get_adapter().points_to_money(balance),
            currency=getattr(settings, "ISTOK_CURRENCY", "RUB"),
            expiring=selectors.expiring_soon(account),
            expiring_days=settings.ISTOK_LOYALTY_EXPIRING_SOON_DAYS,
            referral=referral,
            **_rules_context(self.request.user),
            **kwargs,
        )

    def _open_orders(self, balance):
        """The customer's orders that points may still pay or a promotion may still be
        chosen for (with istok_orders), each with what can be done and the promotion
        chosen."""
        if not apps.is_installed("istok_orders"):
            return []
        from istok_orders import selectors as order_selectors

        adapter = get_adapter()
        orders = order_selectors.customer_orders(self.request.user)[:20]
        chosen = {
            choice.order_pk: choice
            for choice in selectors.promotion_choices(self.request.user).filter(
                order_pk__in=[str(order.pk) for order in orders]
            )
        }
        pool = selectors.order_promotion_pool().exists()
        rows = []
        for order in orders:
            choice = chosen.get(str(order.pk))
            row = {
                "order": order,
                "can_pay": bool(balance) and adapter.can_pay_order(order),
                "promotion_choice": choice,
                "can_choose_promotion": pool
                and choice is None
                and adapter.can_choose_promotion(order),
            }
            if row["can_pay"] or row["can_choose_promotion"]:
                rows.append(row)
        return rows


class ReferralView(LoginRequiredMixin, TemplateView):
    """The customer's code and link to share, and the friends who came with it."""

    template_name = "istok_loyalty/referral.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        account = services.get_or_create_account(user)  # the code exists from first use
        adapter = get_adapter()
        referral_link = selectors.referral_link(account, self.request)
        share_mailto = ""
        if account.referral_enabled and referral_link:
            # The next step when nobody has joined yet: a letter with the link, ready to send.
            text = _("Join me: choose a gift when you sign up. %(link)s") % {"link": referral_link}
            share_mailto = "mailto:?" + urlencode(
                {"subject": _("An invitation"), "body": text}, quote_via=quote
            )
        friends = [
            {
                "name": adapter.friend_display_name(referral.new_user),
                "created": referral.created,
                "confirmed": referral.confirmed,
                "confirmed_at": referral.confirmed_at,
            }
            for referral in selectors.referrals_made(user)
        ]
        return super().get_context_data(
            account=account,
            referral_link=referral_link,
            share_mailto=share_mailto,
            friends=friends,
            own_referral=selectors.referral_of(user),
            # Earned when the friend's order goes into production: none without istok_orders.
            referral_bonus=selectors.earning_rules(user)["referral_bonus"],
            gifts=list(selectors.promotion_pool(Promotion.Program.REFERRAL)),
            **kwargs,
        )


class ReferralLinkView(TemplateView):
    """``/r/<code>/``: a friend's invitation. Remembers the code in a signed cookie until
    the visitor signs up, and shows the gifts on offer. An unknown code is 404."""

    template_name = "istok_loyalty/referral_landing.html"

    def get(self, request, code):
        account = services.find_referrer_account(code)
        if account is None or not account.referral_enabled or not account.user.is_active:
            raise Http404
        response = self.render_to_response(
            self.get_context_data(
                referrer_name=get_adapter().friend_display_name(account.user),
                code=account.referral_code,
                signup_url=get_adapter().signup_url(),
                gifts=list(selectors.promotion_pool(Promotion.Program.REFERRAL)),
                own_link=request.user.is_authenticated and account.user_id == request.user.pk,
            )
        )
        if not request.user.is_authenticated:
            response.set_signed_cookie(
                settings.ISTOK_LOYALTY_REFERRAL_COOKIE_NAME,
                account.referral_code,
                salt=selectors.REFERRAL_COOKIE_SALT,
                max_age=settings.ISTOK_LOYALTY_REFERRAL_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


class ChooseGiftView(LoginRequiredMixin, FormView):
    """The new customer picks their gift from the referral program's current pool."""

    template_name = "istok_loyalty/choose_gift.html"
    form_class = GiftForm

    def dispatch(self, request, *args, **kwargs):
        self.referral = selectors.referral_of(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.referral and self.referral.gift_id:
            return {"gift": self.referral.gift_id}
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(referral=self.referral, **kwargs)

    def form_valid(self, form):
        try:
            services.choose_gift(self.request.user, form.cleaned_data["gift"])
        except (ValidationError, services.TryAgain) as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you! Your gift: %(gift)s.")
            % {"gift": form.cleaned_data["gift"].translated.title},
        )
        return HttpResponseRedirect(reverse("istok_loyalty:choose_gift"))


class PayOrderView(LoginRequiredMixin, RateLimitedFormMixin, FormView):
    """Pay part of one of the customer's orders with points, within the limit."""

    template_name = "istok_loyalty/pay_order.html"
    form_class = PayOrderForm
    # The same count as the API's, per customer.
    rate_limit_scope = "istok_loyalty_pay"
    rate_limit_setting = "ISTOK_LOYALTY_PAY_RATE"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not apps.is_installed("istok_orders"):
            raise Http404
        from istok_orders import selectors as order_selectors

        self.order_selectors = order_selectors
        try:
            self.order = order_selectors.customer_orders(request.user).get(number=kwargs["number"])
        except ObjectDoesNotExist:
            raise Http404 from None
        self.max_points = services.max_points_for_order(request.user, self.order)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "max_points": self.max_points}

    def get_context_data(self, **kwargs):
        adapter = get_adapter()
        try:
            order_url = reverse("istok_orders:order_detail", kwargs={"number": self.order.number})
        except NoReverseMatch:
            order_url = ""
        payments = selectors.order_transactions(self.order).filter(
            account__user_id=self.request.user.pk
        )
        return super().get_context_data(
            order=self.order,
            order_url=order_url,
            balance=selectors.balance(self.request.user),
            max_points=self.max_points,
            max_money=adapter.points_to_money(self.max_points),
            point_value=adapter.point_value(),
            share_percent=adapter.max_order_share_percent(self.order),
            can_pay=adapter.can_pay_order(self.order),
            payments=list(payments.order_by("-created", "-pk")),
            adjustments=list(self.order_selectors.order_adjustments(self.order, kind="points")),
            **kwargs,
        )

    def form_valid(self, form):
        points = form.cleaned_data["points"]
        try:
            services.pay_order_with_points(
                self.request.user, self.order, points, actor=self.request.user
            )
        except (ValidationError, services.TryAgain) as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(points)s paid %(amount)s of order %(number)s.")
            % {
                "points": format_points(points),
                "amount": format_money(get_adapter().points_to_money(points), self.order.currency),
                "number": self.order.number,
            },
        )
        return HttpResponseRedirect(self.request.path)


class ChoosePromotionView(LoginRequiredMixin, FormView):
    """The customer picks a promotion for one of their orders from the current ordering
    pool, each shown with what it takes off this order."""

    template_name = "istok_loyalty/choose_promotion.html"
    form_class = PromotionChoiceForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not apps.is_installed("istok_orders"):
            raise Http404
        from istok_orders import selectors as order_selectors

        self.order_selectors = order_selectors
        try:
            self.order = order_selectors.customer_orders(request.user).get(number=kwargs["number"])
        except ObjectDoesNotExist:
            raise Http404 from None
        self.choice = selectors.promotion_choice_for_order(self.order)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "order": self.order}

    def get_context_data(self, **kwargs):
        adapter = get_adapter()
        try:
            order_url = reverse("istok_orders:order_detail", kwargs={"number": self.order.number})
        except NoReverseMatch:
            order_url = ""
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        form = kwargs["form"]
        selected = str(form["promotion"].value() or "")
        options = [
            {
                "promotion": promotion,
                "discount": adapter.promotion_discount(promotion, self.order),
                "checked": str(promotion.pk) == selected,
            }
            for promotion in form.fields["promotion"].queryset
        ]
        return super().get_context_data(
            order=self.order,
            order_url=order_url,
            choice=self.choice,
            can_choose=self.choice is None and adapter.can_choose_promotion(self.order),
            options=options,
            **kwargs,
        )

    def form_valid(self, form):
        promotion = form.cleaned_data["promotion"]
        try:
            services.apply_promotion(self.order, promotion, actor=self.request.user)
        except (ValidationError, services.TryAgain) as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The promotion “%(title)s” was applied to order %(number)s.")
            % {"title": promotion.translated.title, "number": self.order.number},
        )
        return HttpResponseRedirect(self.request.path)


class PromotionListView(ListView):
    template_name = "istok_loyalty/promotion_list.html"
    context_object_name = "promotions"
    paginate_by = 24

    def get_queryset(self):
        self.program = self.request.GET.get("program", "")
        if self.program not in Promotion.Program.values:
            self.program = ""
        return selectors.current_promotions(self.program or None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            program=self.program, programs=Promotion.Program.choices, **kwargs
        )


class PromotionDetailView(DetailView):
    template_name = "istok_loyalty/promotion_detail.html"
    context_object_name = "promotion"

    def get_queryset(self):
        return selectors.current_promotions()


class NewsListView(ListView):
    template_name = "istok_loyalty/news_list.html"
    context_object_name = "news_list"
    paginate_by = 10

    def get_queryset(self):
        return selectors.published_news()


class NewsDetailView(DetailView):
    template_name = "istok_loyalty/news_detail.html"
    context_object_name = "news"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.published_news(), slug=self.kwargs["slug"])
