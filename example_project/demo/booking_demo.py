"""The booking part of ``load_demo`` (istok_booking): the showroom's designers and
measurer, the working hours, and the demo order's measurement visit.

Designers, their kinds of visit and the hours are what a manager sets up in the admin (no
service writes them); the visit is booked and confirmed through istok_booking's services,
as the order page and the admin book one. Safe to run again: the staff are found by
username, the visit is booked only while the order has none.
"""

from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

#: (username, first name, last name, kinds of visit): two designers in the showroom (and on
#: video calls) and a measurer who goes to the customers' homes.
STAFF = [
    ("designer-olga", "Ольга", "Соколова", ["showroom", "video"]),
    ("designer-maria", "Мария", "Ким", ["showroom", "video"]),
    ("measurer-ivan", "Иван", "Петров", ["measurement"]),
]

#: The showroom's hours when none are set: Monday to Friday 10:00–19:00, Saturday
#: 11:00–17:00 (what istok_booking's migration seeds).
HOURS = [(day, time(10), time(19)) for day in range(5)] + [(5, time(11), time(17))]


@transaction.atomic
def ensure_staff():
    """The designers and the measurer, each taking their kinds of visit (which then take
    one designer per visit); the working hours when there are none. Returns the
    designers."""
    from istok_booking.models import Designer, VisitKind, WorkingHours

    User = get_user_model()
    designers = []
    for username, first_name, last_name, kinds in STAFF:
        user = User._default_manager.filter(username=username).first()
        if user is None:
            user = User._default_manager.create_user(
                username=username,
                email=f"{username}@example.com",
                password=None,  # they do not sign in in the demo
                first_name=first_name,
                last_name=last_name,
                is_staff=True,
            )
        designer, _created = Designer.objects.get_or_create(user=user)
        chosen = list(VisitKind.objects.filter(code__in=kinds))
        designer.kinds.add(*chosen)
        VisitKind.objects.filter(pk__in=[k.pk for k in chosen], uses_designers=False).update(
            uses_designers=True
        )
        designers.append(designer)
    if not WorkingHours.objects.exists():
        WorkingHours.objects.bulk_create(
            WorkingHours(weekday=day, opens=opens, closes=closes) for day, opens, closes in HOURS
        )
    return designers


def next_weekday(weekday, today=None):
    """The first date after ``today`` (the site's) that falls on ``weekday`` (0: Monday)."""
    today = today or timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def ensure_measurement(order, customer, manager):
    """The demo order's measurement visit, booked and confirmed while the order waits for
    it: next Wednesday at 10:00 as the order's note says, else the first free time of
    the fortnight after. ``None`` when the order does not wait for a measurement."""
    from istok_booking import selectors, services

    if order is None or order.status != settings.ISTOK_BOOKING_ORDER_MEASUREMENT_STATUS:
        return None
    booked = (
        selectors.appointments_for(customer)
        .filter(order_id=order.pk)
        .exclude(status="cancelled")
        .first()
    )
    if booked is not None:
        return booked
    kind = settings.ISTOK_BOOKING_ORDER_MEASUREMENT_KIND
    wednesday = next_weekday(2)
    slots = services.available_slots(kind, wednesday, wednesday + timedelta(days=14))
    if not slots:
        return None
    at_ten = timezone.make_aware(timezone.datetime.combine(wednesday, time(10)))
    slot = next((s for s in slots if s.starts_at == at_ten), slots[0])
    appointment = services.book(
        kind=kind,
        starts_at=slot.starts_at,
        purpose="kitchen",
        customer=customer,
        order=order,
        contact_method="phone",
        contact_value=str(order.phone),
        address=order.delivery_address,
        notes="Домофон 52, третий этаж.",
        actor=manager,
    )
    services.confirm(appointment, actor=manager)
    return appointment


def load(stdout, *, manager, customer, order=None):
    """Everything above, with a line each on ``stdout``."""
    designers = ensure_staff()
    stdout.write(
        "istok_booking: designers "
        + ", ".join(str(designer) for designer in designers)
        + " (/admin/istok_booking/appointment/calendar/)"
    )
    visit = ensure_measurement(order, customer, manager)
    if visit is not None:
        when = timezone.localtime(visit.starts_at).strftime("%Y-%m-%d %H:%M")
        stdout.write(
            f"istok_booking: the measurement for order {order.number} on {when} "
            f"(/booking/appointments/{visit.pk}/)"
        )
