import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from demo import navigation


def nav_for(rf, user):
    request = rf.get("/")
    request.user = user
    return navigation.navigation(request)


def test_visitor_gets_sign_in_and_sign_up(rf):
    context = nav_for(rf, AnonymousUser())
    urls = [url for _label, url in context["istok_nav"]]
    assert urls[-2:] == [reverse("istok_accounts:login"), reverse("istok_accounts:signup")]
    assert context["istok_logout_url"] is None


@pytest.mark.django_db
def test_customer_gets_profile_and_logout(rf, customer):
    context = nav_for(rf, customer)
    urls = [url for _label, url in context["istok_nav"]]
    assert urls[-1] == reverse("istok_accounts:profile")
    assert reverse("istok_accounts:login") not in urls
    assert context["istok_logout_url"] == reverse("istok_accounts:logout")


def test_sections_of_apps_without_the_page_are_left_out(rf, monkeypatch):
    monkeypatch.setattr(
        navigation,
        "SECTIONS",
        [("istok_absent:page", "Absent"), ("istok_accounts:consents", "Consents")],
    )
    context = nav_for(rf, AnonymousUser())
    assert context["istok_sections"] == [("Consents", reverse("istok_accounts:consents"))]
    assert ("Consents", reverse("istok_accounts:consents")) in context["istok_nav"]


def test_labels_are_translated(rf):
    from django.utils import translation

    with translation.override("ru"):
        labels = [str(label) for label, _url in nav_for(rf, AnonymousUser())["istok_nav"]]
    assert "Войти" in labels
    assert "Регистрация" in labels


@pytest.mark.django_db
def test_staff_find_their_pages_in_the_footer(rf, customer, admin_user):
    staff_urls = [url for _label, url in nav_for(rf, admin_user)["istok_footer_nav"]]
    customer_urls = [url for _label, url in nav_for(rf, customer)["istok_footer_nav"]]
    assert reverse("admin:index") in staff_urls
    assert reverse("admin:index") not in customer_urls
    for name in ("istok_support:staff_inbox", "admin:istok_booking_appointment_calendar"):
        url = navigation._reverse(name)
        if url is not None:  # the app is installed
            assert url in staff_urls and url not in customer_urls
