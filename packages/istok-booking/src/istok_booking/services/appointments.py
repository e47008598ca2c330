"""Booking a visit and moving it along: confirm, cancel, reschedule, complete, no-show.

Each service runs in one transaction (run again by :func:`istok_core.transactions.retrying`
when PostgreSQL picks it as a deadlock victim), checks everything it is given before it
writes, locks the appointment's row before it decides on its status, records the change
in the appointment's history and, after commit, sends its signal and emails the customer.
"""

from datetime import UTC

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from istok_core.transactions import retrying

from .. import signals
from ..integrations.accounts import contact_phone_for
from ..models import Appointment, Designer
from ._common import (
    MAX_TEXT,
    Errors,
    Event,
    Status,
    announce,
    announce_staff,
    aware,
    deadline_passed,
    email,
    error,
    is_staff,
    lock,
    phone,
    record,
    resolve_kind,
    resolve_network,
    resolve_purpose,
    sync,
    text,
)
from ._common import contact_value as check_contact
from .slots import check_time, hold_seats, release_seats


def _designer(value, kind, errors):
    if value in (None, ""):
        return None
    designers = Designer.objects.select_related("user").filter(is_active=True, kinds=kind)
    pk = getattr(value, "pk", value)
    try:
        return designers.get(pk=int(pk))
    except (Designer.DoesNotExist, TypeError, ValueError, OverflowError):
        errors.add("designer", _("Choose one of the designers offered."), "unknown")
        return None


def _collect(errors, check, *args):
    """Run a checking helper; a field error it raises is added to ``errors``."""
    try:
        return check(*args)
    except ValidationError as exc:
        errors.take(exc)
        return None


@retrying
@transaction.atomic
def book(
    *,
    kind,
    starts_at,
    purpose=None,
    customer=None,
    guest_name="",
    guest_phone="",
    guest_email="",
    consent=False,
    contact_method="phone",
    contact_value="",
    consultation_wanted=False,
    notes="",
    address="",
    designer=None,
    order=None,
    actor=None,
    now=None,
):
    """Book a visit of ``kind`` (a ``VisitKind``, its code or key) at ``starts_at`` (an
    aware datetime, or a naive one / ISO string read on the site's clock) and return the
    new :class:`~istok_booking.models.Appointment`.

    For a ``customer`` (a user), or, with ``ISTOK_BOOKING_ALLOW_GUESTS``, a guest who gives
    ``guest_name``, a valid ``guest_phone`` and ``consent`` to the processing of personal
    data (``guest_email`` optional: where the emails go). ``contact_method`` is
    ``"phone"`` or the code of a messenger (``Network``); ``contact_value`` is checked as
    the messenger needs (a phone number, ``@user_name`` or link). Without a value the
    phone of the customer's profile, or the guest's phone, is taken. ``purpose`` is
    required unless the visit is a measurement for an ``order`` (istok_orders installed:
    an order of the customer waiting for its measurement, locked first). A kind at the
    customer's home needs the ``address``. ``designer``: a particular designer of the
    kind; otherwise the first one free.

    Every input is checked before anything is written: a ``ValidationError`` with field
    keys lists what is wrong (kind, purpose, starts_at, contact_method, contact_value,
    guest_name, guest_phone, guest_email, consent, address, notes, designer, order).
    :class:`SlotTaken` (a field error on ``starts_at`` with ``fresh_slots``) when the slot
    is full, or was taken a moment ago by a concurrent booking: the seats are held by a
    unique constraint, so of two bookings of the last seat exactly one succeeds.

    The visit is ``requested``, or ``confirmed`` at once when its kind needs no
    confirmation. After commit: ``appointment_booked`` (and ``appointment_confirmed``),
    the "request received" (or "confirmed") email with the ``.ics``, and the managers'
    email.
    """
    now = now or timezone.now()
    errors = Errors()
    kind = _collect(errors, resolve_kind, kind)
    if purpose in (None, "") and order is not None:
        purpose = None
    else:
        purpose = _collect(errors, resolve_purpose, purpose)
    starts_at = _collect(errors, aware, starts_at)
    network = _collect(errors, resolve_network, contact_method)
    notes = _collect(errors, text, notes, "notes") or ""
    if not isinstance(consultation_wanted, bool):
        errors.add("consultation_wanted", _("Answer yes or no."), "invalid")
    address = _collect(errors, text, address, "address") or ""
    guest = {}
    if customer is None or not getattr(customer, "is_authenticated", False):
        customer = None
        if not settings.ISTOK_BOOKING_ALLOW_GUESTS:
            errors.add("customer", _("Sign in to book a visit."), "sign_in_required")
        else:
            guest["guest_name"] = _collect(errors, text, guest_name, "guest_name", 150)
            if not guest["guest_name"] and "guest_name" not in errors.errors:
                errors.add("guest_name", _("Tell us your name."), "required")
            guest["guest_phone"] = _collect(errors, phone, guest_phone, "guest_phone")
            guest["guest_email"] = _collect(errors, email, guest_email, "guest_email") or ""
            if consent is not True:
                errors.add(
                    "consent",
                    _("Agree to the processing of your personal data to book a visit."),
                    "required",
                )
            guest["guest_consent_at"] = now
    if "contact_method" not in errors.errors:
        value = contact_value
        if network is None and not str(value or "").strip():
            value = contact_phone_for(customer) if customer else guest.get("guest_phone")
        if value is not None or "guest_phone" not in errors.errors:
            # (A guest's wrong phone is reported once, on guest_phone.)
            contact = _collect(errors, check_contact, network, value)
    if kind is not None:
        if kind.at_home and not address:
            errors.add("address", _("Give the address where we should come."), "required")
        designer = _designer(designer, kind, errors)
    order_ref = None
    if order is not None:
        from ..integrations.orders import lock_order_for_booking

        order_ref = _collect(errors, lock_order_for_booking, order, customer)
    errors.raise_if_any()

    slot = check_time(kind, starts_at, designer=designer, now=now)
    appointment = Appointment.objects.create(
        customer=customer,
        **guest,
        contact_network=network,
        contact_value=contact,
        kind=kind,
        purpose=purpose,
        consultation_wanted=consultation_wanted,
        needs_confirmation=kind.needs_confirmation,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        address=address if kind.at_home else "",
        notes=notes,
        status=Status.REQUESTED if kind.needs_confirmation else Status.CONFIRMED,
        order_id=order_ref[0] if order_ref else None,
        order_number=order_ref[1] if order_ref else "",
    )
    if hold_seats(appointment, slot, designer=designer, now=now) is not None:
        appointment.save(update_fields=["designer"])
    record(appointment, Event.REQUESTED, actor)
    if appointment.status == Status.CONFIRMED:
        record(appointment, Event.CONFIRMED, actor)
    announce(
        signals.appointment_booked,
        appointment,
        actor,
        "requested" if appointment.status == Status.REQUESTED else "confirmed",
    )
    if appointment.status == Status.CONFIRMED:
        announce(signals.appointment_confirmed, appointment, actor)
    announce_staff(appointment)
    return appointment


def _move(appointment, status, actor, *, staff_only=True):
    """The locked appointment, checked that ``actor`` may touch it (staff, or with
    ``staff_only=False`` also its customer) and that it may move to ``status``."""
    if staff_only and not is_staff(actor):
        raise PermissionDenied(_("Only staff may do this."))
    locked = lock(appointment)
    if not staff_only:
        _owner_or_staff(locked, actor)
    if locked.status == status:
        raise error(
            "status",
            _("The appointment is already “%(status)s”.")
            % {"status": locked.get_status_display()},
            "same_status",
        )
    if not locked.can_move_to(status):
        raise error(
            "status",
            _("An appointment that is “%(old)s” cannot become “%(new)s”.")
            % {"old": locked.get_status_display(), "new": Status(status).label},
            "transition_not_allowed",
        )
    return locked


def _owner_or_staff(locked, actor):
    if is_staff(actor):
        return True
    if locked.customer_id is None or locked.customer_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This is not your appointment."))
    return False


def _too_late(setting, action):
    count = getattr(settings, f"ISTOK_BOOKING_{setting}")
    message = {
        "cancel": ngettext(
            "It is too late to cancel online: less than %(count)s hour is left before the "
            "visit. Please call us.",
            "It is too late to cancel online: less than %(count)s hours are left before the "
            "visit. Please call us.",
            count,
        ),
        "reschedule": ngettext(
            "It is too late to move the visit online: less than %(count)s hour is left "
            "before it. Please call us.",
            "It is too late to move the visit online: less than %(count)s hours are left "
            "before it. Please call us.",
            count,
        ),
    }[action]
    return error("starts_at", message % {"count": count}, "too_late")


@retrying
@transaction.atomic
def confirm(appointment, *, actor=None):
    """A manager confirms the request: ``requested`` → ``confirmed``. After commit:
    ``appointment_confirmed`` and the "confirmed" email."""
    locked = _move(appointment, Status.CONFIRMED, actor)
    locked.status = Status.CONFIRMED
    locked.save(update_fields=["status", "modified"])
    record(locked, Event.CONFIRMED, actor)
    announce(signals.appointment_confirmed, locked, actor, "confirmed")
    sync(appointment, locked)
    return appointment


@retrying
@transaction.atomic
def cancel(appointment, *, actor=None, reason="", now=None):
    """Cancel the visit, by its customer until ``ISTOK_BOOKING_CANCEL_DEADLINE_HOURS``
    before it, by staff at any time; ``reason`` is kept and shown. The seats are given
    back. After commit: ``appointment_cancelled`` and the cancellation email (the
    ``.ics`` cancels the event in the customer's calendar)."""
    now = now or timezone.now()
    reason = text(reason, "reason", MAX_TEXT)
    locked = _move(appointment, Status.CANCELLED, actor, staff_only=False)
    staff = is_staff(actor)
    if not staff and deadline_passed(locked, "CANCEL_DEADLINE_HOURS", now):
        raise _too_late("CANCEL_DEADLINE_HOURS", "cancel")
    release_seats(locked)
    locked.status = Status.CANCELLED
    locked.cancelled_by_id = getattr(actor, "pk", None) if actor is not None else None
    locked.cancelled_by_customer = not staff
    locked.cancel_reason = reason
    locked.sequence += 1
    locked.save(
        update_fields=[
            "status",
            "cancelled_by",
            "cancelled_by_customer",
            "cancel_reason",
            "sequence",
            "modified",
        ]
    )
    record(locked, Event.CANCELLED, actor, note=reason, by_customer=not staff)
    announce(signals.appointment_cancelled, locked, actor, "cancelled", reason=reason)
    sync(appointment, locked)
    return appointment


@retrying
@transaction.atomic
def reschedule(appointment, *, starts_at, actor=None, now=None):
    """Move the visit to ``starts_at``, by its customer until
    ``ISTOK_BOOKING_RESCHEDULE_DEADLINE_HOURS`` before it, by staff at any time. The new
    time is checked as in :func:`book` (its own seats do not count, so it may overlap the
    old time); the same designer is kept when free. The calendar ``sequence`` grows, so
    the ``.ics`` replaces the event; a customer's move of a confirmed visit that needs
    confirmation goes back to ``requested``. After commit: ``appointment_rescheduled``
    (with ``old_starts_at``) and the "rescheduled" email."""
    now = now or timezone.now()
    starts_at = aware(starts_at).astimezone(UTC)
    locked = lock(appointment)
    staff = _owner_or_staff(locked, actor)
    if not locked.is_active:
        raise error(
            "status",
            _("An appointment that is “%(status)s” cannot be moved.")
            % {"status": locked.get_status_display()},
            "transition_not_allowed",
        )
    if not staff and deadline_passed(locked, "RESCHEDULE_DEADLINE_HOURS", now):
        raise _too_late("RESCHEDULE_DEADLINE_HOURS", "reschedule")
    if starts_at == locked.starts_at:
        raise error("starts_at", _("Choose another time than the current one."), "same_time")
    slot = check_time(locked.kind, starts_at, exclude=locked, now=now)
    old_starts_at = locked.starts_at
    release_seats(locked)
    locked.starts_at, locked.ends_at = slot.starts_at, slot.ends_at
    hold_seats(locked, slot, preferred=locked.designer_id, now=now)
    locked.sequence += 1
    locked.reminder_sent_at = None
    if not staff and locked.needs_confirmation and locked.status == Status.CONFIRMED:
        locked.status = Status.REQUESTED
    locked.save(
        update_fields=[
            "starts_at",
            "ends_at",
            "designer",
            "sequence",
            "reminder_sent_at",
            "status",
            "modified",
        ]
    )
    record(
        locked,
        Event.RESCHEDULED,
        actor,
        old_starts_at=old_starts_at.isoformat(),
        new_starts_at=starts_at.isoformat(),
    )
    announce(
        signals.appointment_rescheduled,
        locked,
        actor,
        "rescheduled",
        old_starts_at=old_starts_at,
    )
    sync(appointment, locked)
    return appointment


@retrying
@transaction.atomic
def complete(appointment, *, actor=None, note=""):
    """The visit took place: ``confirmed`` → ``completed`` (staff). A measurement linked
    to an order that waits for it moves the order on, in the same transaction, through
    istok_orders' ``set_status`` (the order's row is locked first: see the lock order in
    the architecture documentation). After commit: ``appointment_completed``."""
    note = text(note, "note")
    if not is_staff(actor):
        raise PermissionDenied(_("Only staff may do this."))
    if appointment.order_id and apps.is_installed("istok_orders"):
        from ..integrations.orders import lock_order

        order = lock_order(appointment.order_id)
    else:
        order = None
    locked = _move(appointment, Status.COMPLETED, actor)
    locked.status = Status.COMPLETED
    locked.save(update_fields=["status", "modified"])
    record(locked, Event.COMPLETED, actor, note=note)
    if order is not None:
        from ..integrations.orders import measurement_completed

        measurement_completed(order, locked, actor=actor)
    announce(signals.appointment_completed, locked, actor)
    sync(appointment, locked)
    return appointment


@retrying
@transaction.atomic
def mark_no_show(appointment, *, actor=None, note="", now=None):
    """The customer did not come: ``confirmed`` → ``no_show`` (staff, once the visit's
    time has come). After commit: ``appointment_no_show``."""
    now = now or timezone.now()
    note = text(note, "note")
    locked = _move(appointment, Status.NO_SHOW, actor)
    if now < locked.starts_at:
        raise error(
            "status", _("The visit has not started yet: wait for its time."), "not_started"
        )
    locked.status = Status.NO_SHOW
    locked.save(update_fields=["status", "modified"])
    record(locked, Event.NO_SHOW, actor, note=note)
    announce(signals.appointment_no_show, locked, actor)
    sync(appointment, locked)
    return appointment
