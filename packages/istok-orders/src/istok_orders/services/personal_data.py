"""What the account erasure asks of the orders."""

from django.db import transaction
from django.utils import timezone

from ..models import Order, OrderEvent


@transaction.atomic
def anonymise_customer_orders(user):
    """Remove the personal data in ``user``'s orders: the delivery address, contact phone,
    notes and the notes of their timelines. Numbers, dates, lines, amounts and documents
    stay: accounting needs them. Returns how many orders were touched."""
    orders = Order.objects.select_for_update().filter(customer=user)
    count = orders.update(delivery_address="", phone="", notes="", modified=timezone.now())
    OrderEvent.objects.filter(order__customer=user).exclude(note="").update(note="")
    return count
