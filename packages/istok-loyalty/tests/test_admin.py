"""The admin: a read-only ledger, adjustments through the service, content editing."""

import pytest
from django.urls import reverse

from istok_loyalty import selectors, services
from istok_loyalty.models import LoyaltyTransaction, News, Promotion, PromotionChoice, Referral
from istok_loyalty.testing.factories import give_points, make_promotion

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def account(customer):
    give_points(customer, 300, reason="signup")
    services.redeem(customer, 20)
    return selectors.account_of(customer)


def test_the_account_page_shows_the_ledger_read_only(admin_client, account):
    url = reverse("admin:istok_loyalty_loyaltyaccount_change", args=[account.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Welcome bonus" in content and "−20" in content
    assert reverse("admin:istok_loyalty_loyaltyaccount_adjust", args=[account.pk]) in content
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission and not inline.has_change_permission
    assert not inline.has_delete_permission


def test_the_inline_shows_only_the_newest_rows(admin_client, customer, monkeypatch):
    import istok_loyalty.admin

    monkeypatch.setattr(istok_loyalty.admin, "INLINE_ROWS", 3)
    for _ in range(5):
        give_points(customer, 1)
    account = selectors.account_of(customer)
    response = admin_client.get(
        reverse("admin:istok_loyalty_loyaltyaccount_change", args=[account.pk])
    )
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 3


def test_saving_the_account_cannot_change_the_balance(admin_client, account):
    url = reverse("admin:istok_loyalty_loyaltyaccount_change", args=[account.pk])
    data = {
        "balance": 99999,
        "referral_enabled": "",
        "transactions-TOTAL_FORMS": 0,
        "transactions-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == 280 and account.referral_enabled is False


def test_an_adjustment_goes_through_the_service(admin_client, account, staff):
    url = reverse("admin:istok_loyalty_loyaltyaccount_adjust", args=[account.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"points": "-30", "note": "Goodwill correction"})
    assert response.status_code == 302
    row = LoyaltyTransaction.objects.get(type="adjust")
    assert (row.delta, row.note, row.created_by, row.balance_after) == (
        -30,
        "Goodwill correction",
        staff,
        250,
    )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"points": "0", "note": "x"}, "points"),
        ({"points": "abc", "note": "x"}, "points"),
        ({"points": "5"}, "note"),
        ({"points": "-1000", "note": "too much"}, "points"),
    ],
)
def test_a_bad_adjustment_is_shown_on_the_form(admin_client, account, data, field):
    url = reverse("admin:istok_loyalty_loyaltyaccount_adjust", args=[account.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LoyaltyTransaction.objects.filter(type="adjust").exists()


def test_staff_without_change_permission_cannot_adjust(client, account):
    from istok_loyalty.testing.factories import make_customer

    viewer = make_customer(is_staff=True)
    client.force_login(viewer)
    url = reverse("admin:istok_loyalty_loyaltyaccount_adjust", args=[account.pk])
    assert client.post(url, {"points": "5", "note": "x"}).status_code == 403


def test_ledger_rows_cannot_be_added_changed_or_deleted(admin_client, account):
    row = LoyaltyTransaction.objects.first()
    changelist = reverse("admin:istok_loyalty_loyaltytransaction_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"account__id__exact": account.pk}).status_code == 200
    assert (
        admin_client.get(reverse("admin:istok_loyalty_loyaltytransaction_add")).status_code == 403
    )
    change = reverse("admin:istok_loyalty_loyaltytransaction_change", args=[row.pk])
    assert admin_client.get(change).status_code == 200  # view only
    assert admin_client.post(change, {"points": 1}).status_code == 403
    delete = reverse("admin:istok_loyalty_loyaltytransaction_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert LoyaltyTransaction.objects.count() == 2
    assert admin_client.get(reverse("admin:istok_loyalty_loyaltyaccount_add")).status_code == 403


def test_referrals_are_listed_read_only(admin_client, customer, other_customer):
    services.apply_referral(other_customer, services.get_or_create_account(customer).referral_code)
    referral = Referral.objects.get()
    assert admin_client.get(reverse("admin:istok_loyalty_referral_changelist")).status_code == 200
    change = reverse("admin:istok_loyalty_referral_change", args=[referral.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"confirmed": "on"}).status_code == 403


def test_promotions_and_news_are_edited_in_the_admin(admin_client):
    make_promotion("Sale")
    changelist = reverse("admin:istok_loyalty_promotion_changelist")
    for query in ({}, {"current": "yes"}, {"current": "no"}, {"program__exact": "referral"}):
        assert admin_client.get(changelist, query).status_code == 200
    response = admin_client.post(
        reverse("admin:istok_loyalty_news_add"),
        {
            "title": "Showroom",
            "slug": "showroom",
            "content": "Open",
            "published_at_0": "2026-11-20",
            "published_at_1": "10:00",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert News.objects.get().slug == "showroom"
    add = admin_client.get(reverse("admin:istok_loyalty_news_add")).content.decode()
    assert "prepopulated" in add or "data-prepopulated-fields" in add
    bad = admin_client.post(
        reverse("admin:istok_loyalty_promotion_add"),
        {
            "title": "Backwards",
            "program": "general",
            "start_date": "2026-12-10",
            "end_date": "2026-12-01",
            "position": 0,
        },
    )
    assert bad.status_code == 200
    assert not Promotion.objects.filter(title="Backwards").exists()


def test_account_search(admin_client, account):
    url = reverse("admin:istok_loyalty_loyaltyaccount_changelist")
    response = admin_client.get(url, {"q": account.referral_code})
    assert response.context["cl"].result_count == 1


def test_the_promotion_form_has_the_discount_fields(admin_client):
    add = reverse("admin:istok_loyalty_promotion_add")
    page = admin_client.get(add).content.decode()
    assert 'name="discount_percent"' in page and 'name="discount_amount"' in page
    data = {"program": "general", "start_date": "2026-12-01", "position": 0}
    both = admin_client.post(
        add, {**data, "title": "Both", "discount_percent": "10", "discount_amount": "500"}
    )
    assert both.status_code == 200
    assert both.context["adminform"].form.errors == {
        "discount_amount": ["Give the discount either in percent or as an amount, not both."]
    }
    assert (
        admin_client.post(add, {**data, "title": "Bad", "discount_percent": "101"}).status_code
        == 200
    )
    assert not Promotion.objects.exists()
    assert (
        admin_client.post(add, {**data, "title": "Ten", "discount_percent": "10"}).status_code
        == 302
    )
    assert admin_client.post(add, {**data, "title": "Perk"}).status_code == 302
    assert Promotion.objects.get(title="Ten").discount_percent == 10
    changelist = admin_client.get(reverse("admin:istok_loyalty_promotion_changelist"))
    assert "10%" in changelist.content.decode()


def test_promotion_choices_are_listed_read_only(admin_client, customer):
    promotion = make_promotion("Kitchen sale")
    choice = PromotionChoice.objects.create(
        order_pk="7", order_number="2026-00007", promotion=promotion, user=customer
    )
    changelist = reverse("admin:istok_loyalty_promotionchoice_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200 and "2026-00007" in response.content.decode()
    assert admin_client.get(changelist, {"q": "2026-00007"}).context["cl"].result_count == 1
    add = reverse("admin:istok_loyalty_promotionchoice_add")
    assert admin_client.get(add).status_code == 403
    change = reverse("admin:istok_loyalty_promotionchoice_change", args=[choice.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"order_number": "x"}).status_code == 403
    delete = reverse("admin:istok_loyalty_promotionchoice_delete", args=[choice.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert PromotionChoice.objects.get().order_number == "2026-00007"


LANGUAGES = [("ru", "Russian"), ("en", "English")]


def test_a_manager_writes_a_promotions_english_text_in_the_admin(admin_client, settings):
    settings.LANGUAGE_CODE, settings.LANGUAGES = "ru", LANGUAGES
    promotion = make_promotion("Скидка на кухни", description="Десять процентов")
    change = reverse("admin:istok_loyalty_promotion_change", args=[promotion.pk])
    page = admin_client.get(change)
    form = page.context["adminform"].form
    assert {"title__en", "description__en"} <= set(form.fields)
    assert "ru" not in {name.rsplit("__", 1)[-1] for name in form.fields if "__" in name}
    data = {
        "title": "Скидка на кухни",
        "description": "Десять процентов",
        "program": "general",
        "start_date": promotion.start_date.isoformat(),
        "position": 0,
        "is_active": "on",
        "is_choosable": "on",
        "category_slugs": "kitchen, wardrobe",
        "title__en": "Kitchen sale",
        "description__en": "Ten percent off",
    }
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    promotion.refresh_from_db()
    assert promotion.translations == {
        "en": {"title": "Kitchen sale", "description": "Ten percent off"}
    }
    assert promotion.category_slugs == ["kitchen", "wardrobe"]
    api = admin_client.get(
        reverse("istok_loyalty_api:promotion_detail", kwargs={"pk": promotion.pk}),
        headers={"accept-language": "en"},
    )
    assert api.json()["title"] == "Kitchen sale"
    assert api.json()["category_slugs"] == ["kitchen", "wardrobe"]
    # Emptied: the English page shows the Russian text again.
    response = admin_client.post(change, {**data, "title__en": "", "description__en": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    promotion.refresh_from_db()
    assert promotion.translations == {}


def test_a_manager_writes_a_news_items_english_text_in_the_admin(admin_client, settings):
    settings.LANGUAGE_CODE, settings.LANGUAGES = "ru", LANGUAGES
    response = admin_client.post(
        reverse("admin:istok_loyalty_news_add"),
        {
            "title": "Новый шоурум",
            "slug": "showroom",
            "content": "Открыт",
            "published_at_0": "2026-11-20",
            "published_at_1": "10:00",
            "is_published": "on",
            "title__en": "New showroom",
            "summary__en": "",
            "content__en": "Open",
        },
    )
    assert response.status_code == 302
    news = News.objects.get()
    assert news.translations == {"en": {"title": "New showroom", "content": "Open"}}
    english = admin_client.get(
        reverse("istok_loyalty:news_detail", kwargs={"slug": "showroom"}),
        headers={"accept-language": "en"},
    ).content.decode()
    assert '<h1 class="istok-page-title">New showroom</h1>' in english
