"""The customer's pages: what they show, and that nobody else sees them."""

from datetime import date

import pytest
from django.urls import reverse

from istok_orders import services
from istok_orders.testing.factories import make_document, make_order, move_to, pdf_file

pytestmark = pytest.mark.django_db


def list_url():
    return reverse("istok_orders:order_list")


def detail_url(order):
    return reverse("istok_orders:order_detail", kwargs={"number": order.number})


def download_url(document):
    return reverse(
        "istok_orders:document_download",
        kwargs={"number": document.order.number, "pk": document.pk},
    )


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def full_order(order, staff):
    """An order well under way: zone, discount, documents in two versions, notes."""
    services.add_line(order, name="Hallway “Mini”", quantity=2, unit_price="12500.50")
    services.set_delivery_zone(order, "kad-30", actor=staff)
    services.add_adjustment(order, "promotion", 5000, label="Autumn promotion", actor=staff)
    services.change_dates(order, deadline=date(2031, 2, 1), actor=staff)
    move_to(order, "engineering", actor=staff)
    services.add_note(order, "Internal: customer is picky", actor=staff)
    make_document(order, "contract", actor=staff)
    services.attach_document(order, "contract", pdf_file("contract-v2.pdf"), actor=staff)
    make_document(order, "receipt", customer_visible=False, actor=staff)
    return order


# My orders --------------------------------------------------------------------------------


def test_my_orders_lists_only_mine(logged_in, customer, other_customer):
    mine = [make_order(customer), make_order(customer, status="production")]
    theirs = make_order(other_customer)
    response = logged_in.get(list_url())
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == [
        "istok_orders/order_list.html",
        "istok/base.html",
    ]
    content = response.content.decode()
    for order in mine:
        assert order.number in content
    assert theirs.number not in content
    assert "Production" in content and "150,000\N{NO-BREAK SPACE}₽" in content


def test_my_orders_is_empty_for_a_new_customer(logged_in):
    response = logged_in.get(list_url())
    assert "You have no orders yet." in response.content.decode()


def test_my_orders_runs_the_same_queries_for_many_orders(
    logged_in, customer, django_assert_max_num_queries
):
    make_order(customer)
    with django_assert_max_num_queries(5) as few:
        logged_in.get(list_url())
    for _ in range(10):
        make_order(customer)
    with django_assert_max_num_queries(len(few)):
        response = logged_in.get(list_url())
    assert response.content.decode().count("istok-orders__row ") == 11


# The order page ---------------------------------------------------------------------------


def test_the_order_page_shows_everything_the_customer_needs(logged_in, full_order):
    response = logged_in.get(detail_url(full_order))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Order {full_order.number}" in content
    # progress bar: three steps done, engineering current
    assert content.count("istok-steps__item--done") == 3
    assert 'istok-steps__item--current" aria-current="step"' in content
    assert "Engineering" in content
    # dates, address, lines, price breakdown
    assert "Feb. 1, 2031" in content
    assert "Nevsky prospekt 1, Saint Petersburg" in content
    assert "Hallway “Mini”" in content and "3.2 m, oak facades, white countertop" in content
    # Amounts as everywhere (istok_core.formatting): kopecks only when there are some.
    assert "175,001\N{NO-BREAK SPACE}₽" in content  # subtotal
    assert "Autumn promotion" in content and "5,000\N{NO-BREAK SPACE}₽" in content
    assert "1,500\N{NO-BREAK SPACE}₽" in content  # delivery
    assert "171,501\N{NO-BREAK SPACE}₽" in content  # total
    # documents: the latest contract and the earlier version; not the hidden receipt
    contract = full_order.documents.get(kind="contract", version=2)
    older = full_order.documents.get(kind="contract", version=1)
    assert download_url(contract) in content and download_url(older) in content
    assert "Earlier versions" in content
    assert "Receipt" not in content
    # timeline: status changes visible, internal note not
    assert "Status changed from “Correction after measurement” to “Engineering”." in content
    assert "Internal: customer is picky" not in content


def test_a_cancelled_order_has_no_current_step(logged_in, customer):
    order = make_order(customer, status="cancelled")
    content = logged_in.get(detail_url(order)).content.decode()
    assert "istok-steps__item--current" not in content
    assert "Cancelled" in content


def test_the_order_page_runs_the_same_queries_for_a_long_history(
    logged_in, full_order, staff, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        logged_in.get(detail_url(full_order))
    for number in range(10):
        services.add_line(full_order, name=f"Shelf {number}", unit_price=100, actor=staff)
        make_document(full_order, "specification", actor=staff)
    with django_assert_max_num_queries(len(few)):
        logged_in.get(detail_url(full_order))


def test_a_document_downloads_as_an_attachment(logged_in, full_order):
    document = full_order.documents.get(kind="contract", version=2)
    response = logged_in.get(download_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="contract-v2.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_staff_who_may_view_orders_open_any_order_and_document(client, full_order, staff):
    client.force_login(staff)
    assert client.get(detail_url(full_order)).status_code == 200
    hidden = full_order.documents.get(kind="receipt")
    assert client.get(download_url(hidden)).status_code == 200


def test_a_missing_file_is_404_not_500(logged_in, full_order):
    document = full_order.documents.get(kind="contract", version=2)
    document.file.storage.delete(document.file.name)
    assert logged_in.get(download_url(document)).status_code == 404


# Nobody else sees them --------------------------------------------------------------------


def test_another_customers_order_page_is_404(client, full_order, other_customer):
    client.force_login(other_customer)
    assert client.get(detail_url(full_order)).status_code == 404


@pytest.mark.parametrize("kind", ["contract", "receipt"])
def test_another_customers_document_is_404(client, full_order, other_customer, kind):
    client.force_login(other_customer)
    for document in full_order.documents.filter(kind=kind):
        assert client.get(download_url(document)).status_code == 404


def test_a_hidden_document_is_404_for_its_customer(logged_in, full_order):
    receipt = full_order.documents.get(kind="receipt")
    assert logged_in.get(download_url(receipt)).status_code == 404


def test_a_document_under_another_orders_number_is_404(logged_in, customer, full_order):
    mine = make_order(customer)
    document = full_order.documents.get(kind="contract", version=1)
    url = reverse(
        "istok_orders:document_download", kwargs={"number": mine.number, "pk": document.pk}
    )
    assert logged_in.get(url).status_code == 404


def test_staff_without_the_view_permission_see_only_their_own(client, full_order):
    from istok_orders.testing.factories import make_staff

    client.force_login(make_staff(permissions=()))
    assert client.get(detail_url(full_order)).status_code == 404
    document = full_order.documents.first()
    assert client.get(download_url(document)).status_code == 404


def test_unknown_numbers_and_documents_are_404(logged_in, full_order):
    assert logged_in.get("/orders/1999-99999/").status_code == 404
    assert logged_in.get(f"/orders/{full_order.number}/documents/999999/").status_code == 404


def test_an_anonymous_visitor_gets_404_for_orders_and_documents(client, full_order):
    document = full_order.documents.first()
    missing = "/orders/1999-99999/"
    pages = {}
    for url in [detail_url(full_order), download_url(document), missing]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert full_order.delivery_address.encode() not in response.content
        # The same page whether the order exists or not, offering to log in and return.
        pages[url] = response.content.decode().replace(url, "URL")
        assert "/login/?next=" in pages[url]
    assert len(set(pages.values())) == 1


def test_an_anonymous_visitor_is_sent_from_my_orders_to_log_in(client):
    response = client.get(list_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_numbers_with_a_slash_have_working_pages(settings, logged_in, customer):
    settings.ISTOK_ORDERS_ADAPTER = "tests.adapters.PrefixedNumbersAdapter"
    order = make_order(customer)
    document = make_document(order)
    assert "/" in order.number
    assert logged_in.get(detail_url(order)).status_code == 200
    response = logged_in.get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_amounts_read_in_the_customers_language(logged_in, customer, client):
    order = make_order(customer)
    services.add_adjustment(order, "discount", 1200)
    services.add_adjustment(order, "discount", "99.50")
    page = logged_in.get(detail_url(order), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "1\N{NO-BREAK SPACE}200\N{NO-BREAK SPACE}₽" in page
    assert "99,50\N{NO-BREAK SPACE}₽" in page
    assert "RUB" not in page
