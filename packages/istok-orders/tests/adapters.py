"""Adapters the tests swap in through ISTOK_ORDERS_ADAPTER."""

from decimal import Decimal

from istok_orders.adapter import DefaultOrdersAdapter


class PrefixedNumbersAdapter(DefaultOrdersAdapter):
    number_format = "IS-{year}/{sequence}"


class FreeDeliveryAbove100kAdapter(DefaultOrdersAdapter):
    def delivery_cost(self, zone, order):
        if order.subtotal >= Decimal("100000"):
            return Decimal("0.00")
        return super().delivery_cost(zone, order)


class RecordingAdapter(DefaultOrdersAdapter):
    """Sends nothing; remembers what it was asked to send (a project routing to SMS)."""

    sent = []

    def notify_customer(self, order, event):
        self.sent.append((order.number, event.kind, event.new_status))


class BrokenAdapter(DefaultOrdersAdapter):
    def notify_customer(self, order, event):
        raise RuntimeError("the SMS gateway is down")
