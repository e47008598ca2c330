"""Read queries shared by the pages, the API, the admin and other apps."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.db.models import Prefetch
from django.utils import timezone

from .models import Appointment, AppointmentEvent, Designer, Network, Purpose, Seat, VisitKind
from .schedule import cells_of, resource_of_designer, resource_of_kind, zone

RELATED = ("kind", "purpose", "contact_network", "customer", "designer__user")


def active_kinds():
    return VisitKind.objects.filter(is_active=True)


def active_purposes():
    return Purpose.objects.filter(is_active=True)


def active_networks():
    return Network.objects.filter(is_active=True)


def designers_for(kind):
    """The active designers who take ``kind``, in their order."""
    return Designer.objects.filter(is_active=True, kinds=kind).select_related("user")


def appointments_for(user):
    """The appointments of ``user`` (none for an anonymous visitor), with their kind,
    purpose, messenger and designer, soonest first."""
    if not getattr(user, "is_authenticated", False):
        return Appointment.objects.none()
    return Appointment.objects.filter(customer=user).select_related(*RELATED)


def upcoming_for(user, now=None):
    """The visits of ``user`` still to come and not cancelled, soonest first."""
    now = now or timezone.now()
    return (
        appointments_for(user)
        .filter(status__in=Appointment.ACTIVE, ends_at__gt=now)
        .order_by("starts_at", "pk")
    )


def past_for(user, now=None):
    """The other appointments of ``user``: over, cancelled, completed, missed; latest
    first."""
    now = now or timezone.now()
    upcoming = upcoming_for(user, now).values("pk")
    return appointments_for(user).exclude(pk__in=upcoming).order_by("-starts_at", "-pk")


def next_appointment_for(user, now=None):
    """The next visit of ``user`` (for the portal's dashboard), or ``None``."""
    return upcoming_for(user, now).first()


def get_appointment_for(user, pk):
    """The appointment ``pk`` when ``user`` is its customer, or any for staff who may view
    appointments (``istok_booking.view_appointment``), with its history. Raises
    ``Appointment.DoesNotExist`` otherwise, so a view answers 404 alike for another
    customer's appointment and for one that does not exist."""
    try:
        pk = int(pk)
    except (TypeError, ValueError, OverflowError):
        raise Appointment.DoesNotExist from None
    if can_see_any_appointment(user):
        appointments = Appointment.objects.select_related(*RELATED)
    else:
        appointments = appointments_for(user)
    events = AppointmentEvent.objects.select_related("actor").order_by("created", "pk")
    return appointments.prefetch_related(Prefetch("events", queryset=events)).get(pk=pk)


def can_see_any_appointment(user):
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_staff
        and user.has_perm("istok_booking.view_appointment")
    )


def history(appointment):
    """The appointment's history, oldest first, with who made each change."""
    return appointment.events.select_related("actor").order_by("created", "pk")


@dataclass
class CalendarDay:
    """One day of the staff calendar: its date and its appointments, by designer."""

    date: date
    appointments: list


def _bounds(start, end):
    if isinstance(start, datetime):
        return start, end
    return (
        datetime.combine(start, time(), zone()),
        datetime.combine(end + timedelta(days=1), time(), zone()),
    )


def calendar_for(start, end, designer=None, *, include_cancelled=False):
    """The appointments from ``start`` to ``end`` (dates, both included, on the site's
    calendar; or aware datetimes) for the staff calendar, one :class:`CalendarDay` per
    date, each day's appointments by time; of one ``designer`` (a ``Designer`` or its
    key) when given. One query whatever the range."""
    lower, upper = _bounds(start, end)
    appointments = Appointment.objects.filter(starts_at__gte=lower, starts_at__lt=upper)
    if not include_cancelled:
        appointments = appointments.exclude(status=Appointment.Status.CANCELLED)
    if designer is not None:
        appointments = appointments.filter(designer_id=getattr(designer, "pk", designer))
    by_day = {}
    for appointment in appointments.select_related(*RELATED).order_by("starts_at", "pk"):
        day = timezone.localtime(appointment.starts_at, zone()).date()
        by_day.setdefault(day, []).append(appointment)
    first = timezone.localtime(lower, zone()).date()
    last = timezone.localtime(upper - timedelta(microseconds=1), zone()).date()
    days = []
    day = first
    while day <= last:
        days.append(CalendarDay(day, by_day.get(day, [])))
        day += timedelta(days=1)
    return days


def personal_data(user):
    """What istok_booking holds about ``user``, for the account's data export."""
    return [
        {
            "kind": str(appointment.kind),
            "purpose": str(appointment.purpose) if appointment.purpose_id else "",
            "starts_at": appointment.starts_at,
            "ends_at": appointment.ends_at,
            "status": appointment.status,
            "contact_method": appointment.contact_method,
            "contact_value": appointment.contact_value,
            "consultation_wanted": appointment.consultation_wanted,
            "address": appointment.address,
            "notes": appointment.notes,
            "cancel_reason": appointment.cancel_reason,
            "created": appointment.created,
        }
        for appointment in appointments_for(user).order_by("starts_at", "pk")
    ]


def seat_mismatches():
    """What does not add up between the appointments and the seats they hold, as a list
    of sentences (empty when all is well): an active visit without exactly the seats of
    its slots, a cancelled one still holding seats, a seat number beyond its kind's
    capacity. The slots are counted with today's slot length and buffer. For a
    consistency check after an incident; reads every seat."""
    problems = []
    seats = {}
    for appointment_id, resource, starts_at, number in Seat.objects.values_list(
        "appointment_id", "resource", "starts_at", "number"
    ):
        seats.setdefault(appointment_id, []).append((resource, starts_at, number))
    capacities = dict(VisitKind.objects.values_list("pk", "capacity"))
    for appointment in Appointment.objects.select_related("kind"):
        held = seats.pop(appointment.pk, [])
        if appointment.status == Appointment.Status.CANCELLED:
            if held:
                problems.append(f"Cancelled appointment {appointment.pk} holds {len(held)} seats.")
            continue
        kind = appointment.kind
        # Its own length, not the kind's today (the kind may have changed since).
        length = SimpleNamespace(
            duration=int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
        )
        if kind.uses_designers or appointment.designer_id:
            resource = resource_of_designer(appointment.designer_id)
        else:
            resource = resource_of_kind(kind)
        expected = {(resource, cell) for cell in cells_of(length, appointment.starts_at)}
        if {(r, s) for r, s, _n in held} != expected or len(held) != len(expected):
            problems.append(f"Appointment {appointment.pk} does not hold the seats of its time.")
        for resource_held, _starts_at, number in held:
            limit = 1
            if resource_held.startswith("kind:"):
                limit = capacities.get(int(resource_held.split(":")[1]), 0)
            if not 1 <= number <= limit:
                problems.append(f"Appointment {appointment.pk} holds seat {number} of {limit}.")
    for appointment_id in seats:
        problems.append(f"Seats of a missing appointment {appointment_id}.")
    return problems
