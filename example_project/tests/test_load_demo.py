from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from istok_accounts.models import Consent
from istok_accounts.selectors import profile_completion


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_runs_twice_and_keeps_one_of_each_user():
    first = load_demo()
    second = load_demo()
    User = get_user_model()
    assert User.objects.filter(username="admin").count() == 1
    assert User.objects.filter(username="demo").count() == 1
    for output in (first, second):
        assert "admin / istok-admin" in output
        assert "demo or demo@example.com / istok-demo" in output


@pytest.mark.django_db
def test_demo_users_can_sign_in(client):
    load_demo()
    load_demo()
    # With a request: django-axes (the project's login lockout) refuses a sign-in without.
    assert client.login(request=HttpRequest(), username="demo", password="istok-demo")
    assert client.get("/accounts/profile/").status_code == 200
    client.logout()
    assert client.login(request=HttpRequest(), username="DEMO@example.com", password="istok-demo")
    client.logout()
    assert client.login(request=HttpRequest(), username="admin", password="istok-admin")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_customer_has_consent_and_an_unfinished_profile():
    load_demo()
    demo = get_user_model().objects.get(username="demo")
    assert (
        Consent.objects.active().filter(user=demo, purpose=Consent.Purpose.PERSONAL_DATA).exists()
    )
    assert 0 < profile_completion(demo).percent < 50
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


@pytest.mark.django_db
def test_load_demo_restores_the_printed_passwords():
    load_demo()
    demo = get_user_model().objects.get(username="demo")
    demo.set_password("changed-by-someone")
    demo.save()
    load_demo()
    demo.refresh_from_db()
    assert demo.check_password("istok-demo")


@pytest.mark.django_db
def test_load_demo_is_idempotent_with_every_composed_app():
    first = load_demo()
    counts = {}
    if apps.is_installed("istok_catalog"):
        from istok_catalog import get_product_model

        counts["products"] = get_product_model().objects.count()
        assert counts["products"] == 44  # 36 pieces of furniture and 8 services
    if apps.is_installed("istok_orders"):
        from istok_orders.models import Document, Order, OrderEvent

        counts["orders"] = Order.objects.count()
        counts["documents"] = Document.objects.count()
        counts["events"] = OrderEvent.objects.count()
    second = load_demo()
    if apps.is_installed("istok_catalog"):
        assert get_product_model().objects.count() == counts["products"]
        assert "istok_catalog_demo not run" in second
    if apps.is_installed("istok_orders") and apps.is_installed("istok_catalog"):
        assert (Order.objects.count(), Document.objects.count(), OrderEvent.objects.count()) == (
            counts["orders"],
            counts["documents"],
            counts["events"],
        )
        demo = get_user_model().objects.get(username="demo")
        order = Order.objects.get(customer=demo)
        for output in (first, second):
            assert f"demo customer's order {order.number}" in output
    assert "no istok_orders_demo command" not in first


@pytest.mark.django_db
def test_demo_order_is_made_through_the_services_with_a_contract():
    if not (apps.is_installed("istok_orders") and apps.is_installed("istok_catalog")):
        pytest.skip("istok_orders and istok_catalog are not both composed")
    from istok_orders import selectors

    load_demo()
    demo = get_user_model().objects.get(username="demo")
    order = selectors.customer_orders(demo).get()
    progress = selectors.order_progress(order)
    assert progress  # the customer's progress bar
    # Sketch -> measurement, and on to the correction unless istok_booking books the
    # measurement visit that moves it on (demo/booking_demo.py).
    steps = 1 if apps.is_installed("istok_booking") else 2
    assert [e.kind for e in selectors.customer_timeline(order)].count("status") == steps
    contract = order.documents.get(kind="contract")
    assert contract.version == 1 and contract.customer_visible
    assert contract.file.read().startswith(b"%PDF-1.4")


def test_contract_pdf_is_well_formed():
    import re

    from demo.management.commands.load_demo import contract_pdf

    pdf = contract_pdf("2026-00042")
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    assert b"2026-00042" in pdf
    # The cross-reference table points at each object, and startxref at the table.
    start = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))
    assert pdf[start:].startswith(b"xref\n")
    offsets = [int(offset) for offset in re.findall(rb"(\d{10}) 00000 n ", pdf)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    length = int(re.search(rb"/Length (\d+)", pdf).group(1))
    stream = pdf.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(stream) == length
