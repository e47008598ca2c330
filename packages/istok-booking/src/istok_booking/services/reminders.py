"""Reminders before a visit, each sent exactly once."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from istok_core.transactions import retrying

from ..models import Appointment
from ._common import Event, Status, _notify, after_commit, record


def due_reminders(now=None):
    """The confirmed visits whose reminder is due: within ``ISTOK_BOOKING_REMINDER_HOURS``
    from ``now``, not started, not reminded yet."""
    now = now or timezone.now()
    return Appointment.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=settings.ISTOK_BOOKING_REMINDER_HOURS),
    )


@retrying
@transaction.atomic
def send_due_reminders(*, now=None, limit=500):
    """Mark the due reminders (at most ``limit``) as sent and, after commit, email each
    customer the reminder with the ``.ics``; return how many were due.

    Exactly once, even when two copies run at the same moment (two cron hosts, a slow
    run overlapping the next): the due rows are locked with ``SKIP LOCKED``, so a second
    copy passes over the rows the first is sending and finds them marked once it commits;
    the mark is a conditional update (``reminder_sent_at`` still empty), so a database
    without row locks gives the same answer. A reminder whose email fails is logged and
    not sent again.
    """
    now = now or timezone.now()
    rows = due_reminders(now).order_by("starts_at", "pk")
    pks = list(
        rows.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:limit]
    )
    if not pks:
        return 0
    Appointment.objects.filter(pk__in=pks, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now
    )
    appointments = list(
        Appointment.objects.filter(pk__in=pks, reminder_sent_at=now).select_related(
            "kind", "purpose", "contact_network", "customer", "designer__user"
        )
    )
    for appointment in appointments:
        record(appointment, Event.REMINDED, None)
        after_commit(_notify, appointment, "reminder")
    return len(appointments)
