"""A promotion chosen when ordering: the discount fields of ``Promotion``, the ordering pool,
``services.apply_promotion`` (through istok_orders' adjustments and notes), the page, the
API and the admin. Run with ``--ds tests.settings_orders`` (or ``settings_full``) for the
order parts; without istok_orders the service refuses clearly and the page and API are 404.
"""

import io
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from istok_core.exceptions import AppNotInstalled
from istok_loyalty import checks as loyalty_checks
from istok_loyalty import selectors, services
from istok_loyalty.models import Promotion, PromotionChoice
from istok_loyalty.testing.factories import give_points, make_promotion

with_orders = pytest.mark.skipif(
    not apps.is_installed("istok_orders"),
    reason="istok_orders is not installed (run with --ds tests.settings_orders)",
)
without_orders = pytest.mark.skipif(
    apps.is_installed("istok_orders"), reason="istok_orders is installed"
)

pytestmark = pytest.mark.django_db

API = "/api/loyalty/"


def make_order(customer, **kwargs):
    from istok_orders.testing.factories import make_order

    return make_order(customer, **kwargs)  # one line of 150 000.00, in "sketch"


def move(order, status, callbacks):
    from istok_orders.testing.factories import move_to

    with callbacks(execute=True):
        move_to(order, status)
    return order


def fresh(order):
    from istok_orders import selectors as order_selectors

    return order_selectors.customer_orders(order.customer).get(pk=order.pk)


def notes(order):
    return list(fresh(order).events.filter(kind="note").values_list("note", "customer_visible"))


def assert_untouched(order, total=Decimal("150000.00")):
    order = fresh(order)
    assert not PromotionChoice.objects.filter(order_pk=str(order.pk)).exists()
    assert not order.adjustments.filter(kind="promotion").exists()
    assert notes(order) == []
    assert order.total == total


# The discount fields -----------------------------------------------------------------------


def test_a_promotion_has_a_percentage_an_amount_or_neither():
    assert make_promotion(discount_percent=10).has_discount
    assert make_promotion(discount_amount=Decimal("5000")).has_discount
    perk = make_promotion("Free assembly")
    assert not perk.has_discount
    perk.full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"discount_percent": 10, "discount_amount": Decimal("100")},
        {"discount_percent": 0},
        {"discount_percent": 101},
        {"discount_amount": Decimal("0")},
        {"discount_amount": Decimal("-5")},
    ],
)
def test_the_database_refuses_a_bad_discount(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_promotion(**fields)
    assert not Promotion.objects.exists()


def test_both_discounts_are_refused_by_clean_with_one_translated_error():
    promotion = Promotion(
        title="Both", discount_percent=10, discount_amount=Decimal("100"), program="general"
    )
    with pytest.raises(ValidationError) as caught:
        promotion.full_clean()
    assert caught.value.message_dict == {
        "discount_amount": ["Give the discount either in percent or as an amount, not both."]
    }
    with translation.override("ru"):
        with pytest.raises(ValidationError) as caught:
            promotion.full_clean()
        assert caught.value.message_dict["discount_amount"] == [
            "Укажите скидку либо в процентах, либо суммой, но не обе сразу."
        ]
    for bad in ({"discount_percent": 0}, {"discount_percent": 101}):
        with pytest.raises(ValidationError) as caught:
            Promotion(title="Bad", **bad).full_clean()
        assert "discount_percent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        Promotion(title="Bad", discount_amount=Decimal("0")).full_clean()
    assert "discount_amount" in caught.value.message_dict


def test_the_ordering_pool_is_the_current_general_and_loyalty_promotions(settings):
    general = make_promotion("Sale", program="general")
    loyalty = make_promotion("Members", program="loyalty")
    make_promotion("Gift", program="referral")
    make_promotion("Off", program="general", is_active=False)
    assert list(selectors.order_promotion_pool()) == [general, loyalty]
    settings.ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS = ["loyalty"]
    assert list(selectors.order_promotion_pool()) == [loyalty]


def test_the_demo_has_a_discount_and_perks():
    from django.core.management import call_command

    call_command("istok_loyalty_demo", stdout=io.StringIO())
    call_command("istok_loyalty_demo", stdout=io.StringIO())
    discounted = Promotion.objects.exclude(discount_percent=None)
    assert [p.discount_percent for p in discounted] == [10]
    # The rule "points pay up to 30%" is listed among the promotions, never chosen.
    assert selectors.order_promotion_pool().count() == 3
    rule = Promotion.objects.get(is_choosable=False)
    with translation.override("ru"):
        assert rule.translated.title.startswith("Баллами")
    with translation.override("en"):
        assert rule.translated.title == "Points pay up to 30% of an order"
    gifts = Promotion.objects.filter(program="referral")
    assert not [gift.title for gift in gifts if gift.title.startswith("Подарок")]


@pytest.mark.parametrize("value", [["general", "bogus"], "general", None])
def test_a_bad_program_setting_is_reported(settings, value):
    settings.ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS = value
    assert [e.id for e in loyalty_checks.check_rules(None)] == ["istok_loyalty.E006"]


# Without istok_orders ----------------------------------------------------------------------


@without_orders
def test_without_orders_applying_a_promotion_is_refused_clearly(customer):
    with pytest.raises(AppNotInstalled, match="needs istok_orders") as refused:
        services.apply_promotion(object(), make_promotion(discount_percent=10))
    assert isinstance(refused.value, ImproperlyConfigured)
    assert refused.value.app_label == "istok_orders"
    assert not PromotionChoice.objects.exists()


@without_orders
def test_without_orders_the_page_and_the_api_are_404(client, customer):
    client.force_login(customer)
    url = reverse("istok_loyalty:choose_promotion", args=["2026-00001"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"promotion": 1}).status_code == 404
    api = APIClient()
    api.force_authenticate(customer)
    assert api.post(API + "orders/2026-00001/promotion/", {"promotion": 1}).status_code == 404
    page = client.get(reverse("istok_loyalty:points"))
    assert page.context["open_orders"] == []


# Applying a promotion ----------------------------------------------------------------------


@with_orders
def test_a_percentage_is_taken_off_the_subtotal(customer):
    promotion = make_promotion("Kitchen −10%", discount_percent=10)
    order = make_order(customer)
    choice = services.apply_promotion(order, promotion, actor=customer)
    assert (choice.order_pk, choice.order_number, choice.user, choice.promotion) == (
        str(order.pk),
        order.number,
        customer,
        promotion,
    )
    assert (choice.discount, choice.created_by) == (Decimal("15000.00"), customer)
    (adjustment,) = fresh(order).adjustments.all()
    assert (adjustment.kind, adjustment.amount, adjustment.label, adjustment.reference) == (
        "promotion",
        Decimal("15000.00"),
        "Kitchen −10%",
        f"istok_loyalty:promotion:{promotion.pk}",
    )
    assert order.total == Decimal("135000.00")  # the caller's instance is up to date
    assert fresh(order).total == Decimal("135000.00")
    assert notes(order) == []


@with_orders
def test_a_percentage_is_rounded_to_the_cent(customer):
    order = make_order(customer, lines=[{"name": "Shelf", "quantity": 1, "unit_price": "999.99"}])
    choice = services.apply_promotion(order, make_promotion(discount_percent=15).pk)
    assert choice.discount == Decimal("150.00")  # 149.9985
    assert fresh(order).total == Decimal("849.99")


@with_orders
def test_a_fixed_amount_is_taken_off(customer):
    order = make_order(customer)
    choice = services.apply_promotion(
        order, make_promotion(discount_amount=Decimal("5000")), actor=customer
    )
    assert choice.discount == Decimal("5000.00")
    assert fresh(order).adjustments.get().amount == Decimal("5000.00")
    assert fresh(order).total == Decimal("145000.00")


@with_orders
def test_a_perk_without_a_discount_is_written_as_a_note_the_customer_sees(customer):
    order = make_order(customer)
    choice = services.apply_promotion(order, make_promotion("Free assembly"), actor=customer)
    assert choice.discount is None
    assert notes(order) == [("Chosen promotion: Free assembly", True)]
    assert not fresh(order).adjustments.exists()
    assert fresh(order).total == Decimal("150000.00")


@with_orders
@pytest.mark.parametrize(
    "fields",
    [
        {"is_active": False},
        {"start_date": "2999-01-01"},
        {"start_date": "2000-01-01", "end_date": "2000-12-31"},
    ],
)
def test_a_promotion_not_on_offer_is_refused(customer, fields):
    order = make_order(customer)
    promotion = make_promotion(discount_percent=10, **fields)
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(order, promotion, actor=customer)
    assert caught.value.message_dict == {"promotion": ["This promotion is not on offer."]}
    assert_untouched(order)


@with_orders
@pytest.mark.parametrize("value", [None, "", "abc", -1, 10**9, True, 1.5])
def test_an_unknown_promotion_is_refused(customer, value):
    order = make_order(customer)
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(order, value, actor=customer)
    assert caught.value.message_dict == {"promotion": ["This promotion is not on offer."]}
    assert_untouched(order)


@with_orders
def test_a_promotion_of_another_program_is_refused(customer, settings):
    order = make_order(customer)
    gift = make_promotion("Hinges", program="referral", discount_percent=10)
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(order, gift, actor=customer)
    assert caught.value.message_dict == {
        "promotion": ["This promotion cannot be chosen for an order."]
    }
    settings.ISTOK_LOYALTY_ORDER_PROMOTION_PROGRAMS = ["loyalty"]
    with pytest.raises(ValidationError):
        services.apply_promotion(order, make_promotion(program="general"), actor=customer)
    assert_untouched(order)
    services.apply_promotion(order, make_promotion(program="loyalty"), actor=customer)


@with_orders
def test_another_customers_order_is_refused(customer, other_customer):
    order = make_order(customer)
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(order, make_promotion(discount_percent=10), actor=other_customer)
    assert caught.value.message_dict == {"order": ["This is not your order."]}
    assert_untouched(order)


@with_orders
def test_staff_who_may_change_orders_choose_for_the_customer(customer):
    from istok_orders.testing.factories import make_staff

    order = make_order(customer)
    viewer = make_staff(permissions=("view_order",))
    with pytest.raises(ValidationError):
        services.apply_promotion(order, make_promotion(discount_percent=10), actor=viewer)
    assert_untouched(order)
    manager = make_staff()
    choice = services.apply_promotion(order, make_promotion("Perk"), actor=manager)
    assert (choice.user, choice.created_by) == (customer, manager)


@with_orders
def test_an_order_in_production_or_closed_is_too_late(
    customer, django_capture_on_commit_callbacks
):
    promotion = make_promotion(discount_percent=10)
    for status in ("production", "delivered", "cancelled"):
        order = move(make_order(customer), status, django_capture_on_commit_callbacks)
        with pytest.raises(ValidationError) as caught:
            services.apply_promotion(order, promotion, actor=customer)
        assert caught.value.message_dict == {
            "order": ["A promotion can no longer be chosen for this order."]
        }
        assert_untouched(order)
    engineering = move(make_order(customer), "engineering", django_capture_on_commit_callbacks)
    services.apply_promotion(engineering, promotion, actor=customer)
    assert fresh(engineering).total == Decimal("135000.00")


@with_orders
def test_the_last_status_follows_the_setting(
    customer, settings, django_capture_on_commit_callbacks
):
    settings.ISTOK_LOYALTY_PROMOTION_UNTIL_STATUS = "measurement"
    promotion = make_promotion("Perk")
    late = move(make_order(customer), "measurement", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.apply_promotion(late, promotion, actor=customer)
    assert_untouched(late)
    services.apply_promotion(make_order(customer), promotion, actor=customer)
    settings.ISTOK_LOYALTY_PROMOTION_UNTIL_STATUS = "no-such-status"
    with pytest.raises(ValidationError):
        services.apply_promotion(make_order(customer), promotion, actor=customer)


@with_orders
def test_the_promotion_is_decided_on_the_order_as_locked(customer, monkeypatch):
    """The order's state is read under its lock: the adapter sees the locked row."""
    from istok_loyalty.adapter import DefaultLoyaltyAdapter

    order = make_order(customer)
    Order = type(order)
    Order.objects.filter(pk=order.pk).update(status="production")  # moved meanwhile
    seen = []
    original = DefaultLoyaltyAdapter.can_choose_promotion

    def spy(self, current):
        seen.append(current.status)
        return original(self, current)

    monkeypatch.setattr(DefaultLoyaltyAdapter, "can_choose_promotion", spy)
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(order, make_promotion(discount_percent=10), actor=customer)
    assert caught.value.message_dict["order"] == [
        "A promotion can no longer be chosen for this order."
    ]
    assert seen == ["production"]
    assert_untouched(order)


@with_orders
def test_an_order_gets_one_promotion(customer):
    order = make_order(customer)
    first = make_promotion(discount_percent=10)
    services.apply_promotion(order, first, actor=customer)
    for promotion in (first, make_promotion(discount_amount=Decimal("100")), make_promotion()):
        with pytest.raises(ValidationError) as caught:
            services.apply_promotion(fresh(order), promotion, actor=customer)
        assert caught.value.message_dict == {"order": ["This order already has a promotion."]}
    order = fresh(order)
    assert order.adjustments.count() == 1 and order.total == Decimal("135000.00")
    assert PromotionChoice.objects.count() == 1 and notes(order) == []


@with_orders
def test_an_adjustment_with_the_promotion_reference_counts_as_the_promotion(customer):
    from istok_orders import services as order_services

    order = make_order(customer)
    order_services.add_adjustment(
        order, "promotion", "100", reference=f"{services.PROMOTION_REFERENCE}99"
    )
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(order, make_promotion(discount_percent=10), actor=customer)
    assert caught.value.message_dict == {"order": ["This order already has a promotion."]}
    assert not PromotionChoice.objects.exists()


@with_orders
def test_a_discount_over_the_subtotal_is_refused_by_orders(customer):
    order = make_order(customer)
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(order, make_promotion(discount_amount=Decimal("150000.01")))
    assert caught.value.message_dict == {
        "amount": ["The adjustments (150000.01) cannot exceed the subtotal (150000.00)."]
    }
    assert_untouched(order)
    # What is left of the subtotal after points paid part of it.
    give_points(customer, 45000)
    services.pay_order_with_points(customer, order, 45000)
    with pytest.raises(ValidationError) as caught:
        services.apply_promotion(fresh(order), make_promotion(discount_percent=80))
    assert "amount" in caught.value.message_dict
    assert_untouched(order, total=Decimal("105000.00"))


@with_orders
def test_the_choice_is_in_the_personal_data(customer):
    order = make_order(customer)
    services.apply_promotion(order, make_promotion("Sale", discount_percent=10))
    (row,) = selectors.personal_data(customer)["promotions_chosen"]
    assert (row["order"], row["promotion"], row["discount"]) == (
        order.number,
        "Sale",
        Decimal("15000.00"),
    )


@with_orders
def test_a_until_status_the_pipeline_lacks_is_reported(settings):
    settings.ISTOK_LOYALTY_PROMOTION_UNTIL_STATUS = "assembly"
    assert "istok_loyalty.W001" in [m.id for m in loyalty_checks.check_order_statuses(None)]
    settings.ISTOK_LOYALTY_PROMOTION_UNTIL_STATUS = "production"
    assert [m for m in checks.run_checks() if m.id.startswith("istok_loyalty")] == []


# The page ----------------------------------------------------------------------------------


@with_orders
def test_the_page_lists_the_pool_with_the_discount_and_applies_the_choice(client, customer):
    sale = make_promotion("Kitchen sale", discount_percent=10)
    make_promotion("Members' bonus", program="loyalty", discount_amount=Decimal("2500"))
    make_promotion("Free assembly", program="loyalty")
    gift = make_promotion("Hinges", program="referral")
    order = make_order(customer)
    client.force_login(customer)
    url = reverse("istok_loyalty:choose_promotion", args=[order.number])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert (
        "Kitchen sale" in content
        and "10% off:" in content
        and "15,000\N{NO-BREAK SPACE}₽" in content
    )
    assert "Members&#x27; bonus" in content and "2,500\N{NO-BREAK SPACE}₽" in content
    assert "A gift, without a discount" in content
    assert "Hinges" not in content
    assert content.count('type="radio"') == 3
    for bad in ({}, {"promotion": ""}, {"promotion": "abc"}, {"promotion": gift.pk}):
        response = client.post(url, bad)
        assert response.status_code == 200, bad
        assert response.context["form"].errors
    assert_untouched(order)
    response = client.post(url, {"promotion": sale.pk}, follow=True)
    content = response.content.decode()
    assert f"The promotion “Kitchen sale” was applied to order {order.number}." in content
    assert "Your promotion" in content and 'type="radio"' not in content
    assert fresh(order).total == Decimal("135000.00")
    again = client.post(url, {"promotion": sale.pk})
    assert "This order already has a promotion." in again.content.decode()
    assert fresh(order).adjustments.count() == 1


@with_orders
def test_the_page_says_when_it_is_too_late(client, customer, django_capture_on_commit_callbacks):
    make_promotion("Kitchen sale", discount_percent=10)
    order = move(make_order(customer), "production", django_capture_on_commit_callbacks)
    client.force_login(customer)
    page = client.get(reverse("istok_loyalty:choose_promotion", args=[order.number]))
    assert "A promotion can no longer be chosen for this order." in page.content.decode()
    assert 'type="radio"' not in page.content.decode()


@with_orders
def test_another_customers_order_page_is_404(client, customer, other_customer):
    promotion = make_promotion(discount_percent=10)
    order = make_order(customer)
    client.force_login(other_customer)
    url = reverse("istok_loyalty:choose_promotion", args=[order.number])
    assert client.get(url).status_code == 404
    assert client.post(url, {"promotion": promotion.pk}).status_code == 404
    assert_untouched(order)
    missing = reverse("istok_loyalty:choose_promotion", args=["nope"])
    assert client.get(missing).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@with_orders
def test_the_points_page_links_the_choice_next_to_paying(
    client, customer, django_capture_on_commit_callbacks
):
    promotion = make_promotion("Kitchen sale", discount_percent=10)
    open_order = make_order(customer)
    late = move(make_order(customer), "production", django_capture_on_commit_callbacks)
    client.force_login(customer)
    content = client.get(reverse("istok_loyalty:points")).content.decode()
    # No points: no paying, but the promotion can still be chosen.
    assert reverse("istok_loyalty:choose_promotion", args=[open_order.number]) in content
    assert reverse("istok_loyalty:choose_promotion", args=[late.number]) not in content
    assert reverse("istok_loyalty:pay_order", args=[open_order.number]) not in content
    give_points(customer, 100)
    content = client.get(reverse("istok_loyalty:points")).content.decode()
    assert reverse("istok_loyalty:pay_order", args=[open_order.number]) in content
    assert reverse("istok_loyalty:choose_promotion", args=[open_order.number]) in content
    services.apply_promotion(open_order, promotion, actor=customer)
    response = client.get(reverse("istok_loyalty:points"))
    content = response.content.decode()
    assert reverse("istok_loyalty:choose_promotion", args=[open_order.number]) not in content
    assert "Promotion: Kitchen sale" in content
    assert (
        f"Order {open_order.number}: Kitchen sale" in content
        and "15,000\N{NO-BREAK SPACE}₽" in content
    )
    assert [c.promotion for c in response.context["promotion_choices"]] == [promotion]


@with_orders
def test_the_page_speaks_russian(client, customer):
    make_promotion("Скидка на кухни", discount_percent=10)
    order = make_order(customer)
    client.force_login(customer)
    url = reverse("istok_loyalty:choose_promotion", args=[order.number])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Выбрать акцию" in content
    points = client.get(reverse("istok_loyalty:points"), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Выбрать акцию" in points.content.decode()


# The API -----------------------------------------------------------------------------------


@with_orders
def test_choosing_through_the_api(customer, other_customer):
    sale = make_promotion("Kitchen sale", discount_amount=Decimal("7000"))
    gift = make_promotion("Hinges", program="referral")
    order = make_order(customer)
    api = APIClient()
    api.force_authenticate(customer)
    path = f"{API}orders/{order.number}/promotion/"
    for bad in ({}, {"promotion": "x"}, {"promotion": 0}, {"promotion": gift.pk}):
        response = api.post(path, bad, format="json")
        assert response.status_code == 400, bad
        assert "promotion" in response.json()
    assert_untouched(order)
    response = api.post(path, {"promotion": sale.pk}, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["order_number"] == order.number and data["discount"] == "7000.00"
    assert data["promotion"] == {"id": sale.pk, "title": "Kitchen sale"}
    assert fresh(order).total == Decimal("143000.00")
    again = api.post(path, {"promotion": sale.pk}, format="json")
    assert again.status_code == 400
    assert again.json() == {"order": ["This order already has a promotion."]}
    other = APIClient()
    other.force_authenticate(other_customer)
    assert other.post(path, {"promotion": sale.pk}, format="json").status_code == 404
    assert api.post(f"{API}orders/nope/promotion/", {"promotion": 1}).status_code == 404
    assert APIClient().post(path, {"promotion": sale.pk}).status_code == 403


@with_orders
def test_the_api_passes_on_the_orders_refusal(customer):
    order = make_order(customer)
    too_much = make_promotion(discount_amount=Decimal("200000"))
    api = APIClient()
    api.force_authenticate(customer)
    response = api.post(
        f"{API}orders/{order.number}/promotion/", {"promotion": too_much.pk}, format="json"
    )
    assert response.status_code == 400 and "amount" in response.json()
    assert_untouched(order)


def test_the_promotions_api_shows_the_discount():
    make_promotion("Sale", discount_percent=10)
    (data,) = APIClient().get(API + "promotions/").json()
    assert (data["discount_percent"], data["discount_amount"]) == (10, None)


# Races (PostgreSQL) ------------------------------------------------------------------------


@with_orders
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_promotions_at_once_give_the_order_one(postgres_only, customer):
    order = make_order(customer)
    promotions = [make_promotion(discount_percent=10), make_promotion(discount_percent=20)]
    barrier = threading.Barrier(len(promotions))
    results = []

    def choose(promotion):
        try:
            barrier.wait()
            results.append(services.apply_promotion(fresh(order), promotion, actor=customer))
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=choose, args=(p,)) for p in promotions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    chosen = [r for r in results if isinstance(r, PromotionChoice)]
    errors = [r for r in results if not isinstance(r, PromotionChoice)]
    assert len(chosen) == 1 and len(errors) == 1, results
    assert errors[0].message_dict == {"order": ["This order already has a promotion."]}
    order = fresh(order)
    assert order.adjustments.count() == 1
    assert order.adjustments.get().amount == chosen[0].discount
