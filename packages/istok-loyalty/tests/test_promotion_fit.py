"""The choose-a-promotion page offers what fits the order: not a promotion for other
product categories, not an announcement that is not chosen for an order (a rule of the
points program); it explains the price (goods and services, delivery, discounts, total);
a promotion's title and what it gives read apart; the texts are in the page's language.
Run with ``--ds tests.settings_orders`` (or ``settings_full``)."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from istok_loyalty import selectors, services
from istok_loyalty.adapter import DefaultLoyaltyAdapter
from istok_loyalty.testing.factories import make_promotion

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("istok_orders"),
        reason="istok_orders is not installed (run with --ds tests.settings_orders)",
    ),
]


class KitchenOrdersAdapter(DefaultLoyaltyAdapter):
    """The tests' products have no catalog category: every order here is a kitchen."""

    def order_category_slugs(self, order):
        return {"kitchen"}


@pytest.fixture
def kitchens(settings):
    settings.ISTOK_LOYALTY_ADAPTER = f"{__name__}.KitchenOrdersAdapter"


def make_order(customer, **kwargs):
    from istok_orders.testing.factories import make_order

    return make_order(customer, **kwargs)  # one line of 150 000.00


def page(client, customer, order, language="en"):
    client.force_login(customer)
    url = reverse("istok_loyalty:choose_promotion", args=[order.number])
    return client.get(url, headers={"accept-language": language})


def test_a_promotion_for_other_categories_is_neither_offered_nor_applied(
    client, customer, kitchens
):
    kitchen_sale = make_promotion("Kitchen sale", discount_percent=10, category_slugs=["kitchen"])
    wardrobe_points = make_promotion("Wardrobe points", category_slugs=["wardrobe", "hallway"])
    everyone = make_promotion("Free measuring")
    order = make_order(customer)
    assert list(selectors.order_promotion_pool(order=order)) == [kitchen_sale, everyone]
    content = page(client, customer, order).content.decode()
    assert "Kitchen sale" in content and "Free measuring" in content
    assert "Wardrobe points" not in content
    with pytest.raises(ValidationError) as error:
        services.apply_promotion(order, wardrobe_points, actor=customer)
    assert error.value.message_dict == {
        "promotion": ["This promotion is for other products than this order's."]
    }
    response = client.post(
        reverse("istok_loyalty:choose_promotion", args=[order.number]),
        {"promotion": wardrobe_points.pk},
    )
    assert response.status_code == 200 and response.context["form"].errors["promotion"]


def test_without_the_catalog_a_promotion_for_some_categories_is_not_offered(customer):
    make_promotion("Kitchen sale", category_slugs=["kitchen"])
    order = make_order(customer)
    assert not selectors.order_promotion_pool(order=order).exists()


def test_a_rule_of_the_points_program_is_listed_but_never_chosen(client, customer):
    rule = make_promotion("Points pay up to 30% of an order", is_choosable=False)
    make_promotion("Free measuring")
    order = make_order(customer)
    content = page(client, customer, order).content.decode()
    assert "Free measuring" in content and "Points pay up to 30%" not in content
    with pytest.raises(ValidationError):
        services.apply_promotion(order, rule, actor=customer)
    listed = client.get(reverse("istok_loyalty:promotion_list")).content.decode()
    assert "Points pay up to 30% of an order" in listed


def test_the_price_is_explained_line_by_line(client, customer):
    from istok_orders import services as order_services
    from istok_orders.models import DeliveryZone

    make_promotion("Free measuring")
    order = make_order(customer)
    zone = DeliveryZone.objects.create(code="city", name="City", cost=Decimal("3000"))
    order_services.set_delivery_zone(order, zone)
    order_services.add_adjustment(order, "discount", Decimal("1000"), label="Showroom sample")
    response = page(client, customer, order)
    content = response.content.decode()
    for text in (
        "Goods and services",
        "150,000\N{NO-BREAK SPACE}₽",
        "Delivery",
        '+<span class="istok-money">3,000\N{NO-BREAK SPACE}₽',
        "Discounts given",
        '−<span class="istok-money">1,000\N{NO-BREAK SPACE}₽',
        "Order total",
        "152,000\N{NO-BREAK SPACE}₽",
        "A discount in percent is taken off the goods and services, not off the delivery.",
    ):
        assert text in content, text
    russian = page(client, customer, order, "ru").content.decode()
    assert "Товары и услуги" in russian and "Доставка" in russian


def test_a_title_and_what_it_gives_are_apart_and_the_links_are_apart_from_the_button(
    client, customer
):
    make_promotion("Free measuring")
    order = make_order(customer)
    content = page(client, customer, order).content.decode()
    assert '<strong class="istok-loyalty-options__title">Free measuring</strong>' in content
    assert (
        'class="istok-loyalty-options__effect istok-badge">A gift, without a discount' in content
    )
    form_end = content.index("</form>")
    assert content.index('class="istok-loyalty__more"') > form_end


def test_with_nothing_to_choose_the_page_leads_to_the_promotions(client, customer):
    order = make_order(customer)
    content = page(client, customer, order).content.decode()
    assert "There are no promotions on offer for this order right now." in content
    assert f'href="{reverse("istok_loyalty:promotion_list")}"' in content


def test_the_page_shows_the_promotion_in_the_pages_language(client, customer):
    promotion = make_promotion("Бесплатный замер", description="Замерщик приедет в удобный день.")
    promotion.set_translation("en", title="Free measuring", description="Any day you like.")
    promotion.save()
    order = make_order(customer)
    english = page(client, customer, order, "en").content.decode()
    assert "Free measuring" in english and "Any day you like." in english
    assert "Бесплатный замер" not in english
    russian = page(client, customer, order, "ru").content.decode()
    assert "Бесплатный замер" in russian and "Free measuring" not in russian
    with translation.override("en"):
        assert str(promotion) == "Free measuring"


def test_an_announcement_is_not_a_gift_to_choose_either(customer):
    gift = make_promotion("Soft-close hinges", program="referral")
    make_promotion("Invite friends, earn points", program="referral", is_choosable=False)
    assert list(selectors.promotion_pool("referral")) == [gift]
