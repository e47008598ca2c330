"""What the services share: reading and checking input, errors, locking, history, and
what happens after commit."""

import logging
import re
from datetime import UTC, date, datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from istok_core.formatting import phone_example, phone_region

from ..adapter import get_adapter
from ..models import Appointment, AppointmentEvent, Network, Purpose, VisitKind

logger = logging.getLogger("istok_booking")

Status = Appointment.Status
Event = AppointmentEvent.Kind

#: Longest notes, address and reason accepted (characters).
MAX_TEXT = 2000
#: A Telegram-like user name: 5 to 32 letters, digits and underscores, starting with a letter.
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
#: A short name of a social network page (vk.com/<name>).
SHORT_NAME = re.compile(r"^[A-Za-z0-9_.]{2,64}$")


class SlotTaken(ValidationError):
    """The time chosen is no longer free (another booking took its last seat a moment
    ago, or it was full already). A field error on ``starts_at``; ``fresh_slots`` are the
    free slots of that day and the next days, as :func:`available_slots` returns them, so
    the page can offer them at once."""

    message_text = gettext_lazy("This time was just taken. Please choose another one.")

    def __init__(self, fresh_slots=()):
        super().__init__({"starts_at": ValidationError(self.message_text, code="taken")})
        self.fresh_slots = list(fresh_slots)


def error(field, message, code):
    """A ``ValidationError`` on ``field`` whose error carries ``code``."""
    return ValidationError({field: ValidationError(message, code=code)})


class Errors:
    """Field errors collected while checking several inputs, raised together."""

    def __init__(self):
        self.errors = {}

    def add(self, field, message, code):
        self.errors.setdefault(field, []).append(ValidationError(message, code=code))

    def take(self, exc):
        """Add the errors of a ``ValidationError`` raised by a checking helper."""
        for field, errors in exc.error_dict.items():
            self.errors.setdefault(field, []).extend(errors)

    def __bool__(self):
        return bool(self.errors)

    def raise_if_any(self):
        if self.errors:
            raise ValidationError(self.errors)


def text(value, field, max_length=MAX_TEXT):
    value = "" if value is None else str(value).strip()
    if "\x00" in value:
        raise error(field, _("Remove the control characters."), "invalid")
    if len(value) > max_length:
        raise error(
            field, _("Use at most %(limit)s characters.") % {"limit": max_length}, "max_length"
        )
    return value


def _lookup(model, value, field, unknown):
    """An active row of ``model`` given as an instance, its code or its primary key."""
    if isinstance(value, model):
        if value.pk is not None and value.is_active:
            return value
        raise error(field, unknown, "unknown")
    if value in (None, ""):
        raise error(field, _("This field is required."), "required")
    rows = model.objects.filter(is_active=True)
    row = None
    if isinstance(value, str):
        row = rows.filter(code=value.strip()).first()
    numeric = isinstance(value, int) or (isinstance(value, str) and value.isdigit())
    if row is None and numeric and not isinstance(value, bool) and int(value) < 2**63:
        row = rows.filter(pk=int(value)).first()
    if row is None:
        raise error(field, unknown, "unknown")
    return row


def resolve_kind(value):
    """The active ``VisitKind`` given as an instance, a code or a primary key."""
    return _lookup(VisitKind, value, "kind", _("Choose one of the kinds of visit offered."))


def resolve_purpose(value):
    """The active ``Purpose`` given as an instance, a code or a primary key."""
    return _lookup(Purpose, value, "purpose", _("Choose one of the purposes offered."))


def resolve_network(value):
    """``None`` for ``"phone"`` (or nothing), else the active ``Network``."""
    if value in (None, "", "phone"):
        return None
    return _lookup(
        Network, value, "contact_method", _("Choose the phone or one of the messengers offered.")
    )


def aware(value, field="starts_at"):
    """``value`` (an aware or naive datetime, or an ISO string) as an aware datetime; a
    naive one is read in the site's time zone."""
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        value = parsed
    if isinstance(value, date) and not isinstance(value, datetime):
        value = None
    if not isinstance(value, datetime):
        raise error(field, _("Enter a valid date and time."), "invalid")
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
        value.astimezone(UTC)  # out of range at the edges of the calendar
    except (OverflowError, ValueError):
        raise error(field, _("Enter a valid date and time."), "invalid") from None
    return value


def phone(value, field):
    """``value`` as a valid phone number in E.164 (``+79123456789``), or a field error."""
    message = _("Enter a valid phone number, for example %(example)s.") % {
        "example": phone_example()
    }
    value = text(value, field, 64)
    if not value:
        raise error(field, message, "required")
    try:
        number = phonenumbers.parse(value, phone_region())
    except phonenumbers.NumberParseException:
        raise error(field, message, "invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise error(field, message, "invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contact_value(network, value, field="contact_value"):
    """The contact in the form the network needs: a phone number, a ``@user_name`` or a
    link (``https://vk.com/name``, or a short name)."""
    kind = network.value_kind if network else Network.ValueKind.PHONE
    if kind == Network.ValueKind.PHONE:
        return phone(value, field)
    value = text(value, field, 255)
    if not value:
        raise error(field, _("Enter how to reach you there."), "required")
    if kind == Network.ValueKind.USERNAME:
        name = re.sub(r"^(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me)/", "", value)
        name = name.lstrip("@")
        if not USERNAME.match(name):
            raise error(
                field,
                _(
                    "Enter a user name of 5 to 32 Latin letters, digits or underscores, "
                    "for example @ivan_petrov."
                ),
                "invalid",
            )
        return "@" + name
    if SHORT_NAME.match(value):
        return value
    parts = urlsplit(value if "://" in value else "https://" + value)
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or "") or " " in value:
        raise error(
            field,
            _("Enter a link to your page (https://…) or its short name."),
            "invalid",
        )
    return value if "://" in value else "https://" + value


def email(value, field):
    value = text(value, field, 254)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise error(field, _("Enter a valid email address."), "invalid") from None
    return value


def actor_id(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor.pk


def is_staff(actor):
    """Staff powers: a member of staff, or no actor at all (a command, the system)."""
    return actor is None or bool(getattr(actor, "is_staff", False))


def lock(appointment):
    """The appointment's row, locked until the transaction ends, as it is now (a new
    instance; a no-op lock on SQLite, which runs one writer at a time)."""
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("kind", "purpose", "contact_network", "customer", "designer__user")
        .get(pk=appointment.pk)
    )


def sync(target, source):
    """Copy the saved state of ``source`` onto the caller's instance ``target``."""
    if target is source:
        return
    for field in Appointment._meta.concrete_fields:
        value = getattr(source, field.attname)
        if field.is_relation and field.is_cached(target):
            cached = field.get_cached_value(target)
            if cached is None or cached.pk != value:
                field.delete_cached_value(target)
        setattr(target, field.attname, value)


def record(appointment, kind, actor, note="", **data):
    """One line of the appointment's history."""
    return AppointmentEvent.objects.create(
        appointment=appointment,
        kind=kind,
        status=appointment.status,
        actor_id=actor_id(actor),
        note=note,
        data=data,
    )


def after_commit(function, *args, **kwargs):
    """Call ``function`` once the transaction commits. Robust: a receiver of a signal that
    fails is logged (by Django) and the others still run; the change has committed and
    the person who made it is not shown an error for it."""
    transaction.on_commit(_callable(function, *args, **kwargs), robust=True)


def _callable(function, *args, **kwargs):
    """``function`` with its arguments, named as Django's log of a failure wants."""
    call = partial(function, *args, **kwargs)

    def run():
        return call()

    run.__qualname__ = getattr(function, "__qualname__", repr(function))
    return run


def _notify(appointment, email_name, **extra):
    try:
        get_adapter().notify_customer(appointment, email_name, **extra)
    except Exception:
        # The change has committed; a mail server or an adapter failing must not undo it.
        logger.exception("Could not notify about appointment %s", appointment.pk)


def _notify_staff(appointment):
    try:
        get_adapter().notify_staff(appointment)
    except Exception:
        logger.exception("Could not notify the managers about appointment %s", appointment.pk)


def announce(signal, appointment, actor, email_name=None, **extra):
    """After commit: send ``signal`` and email the customer ``email_name``."""
    after_commit(signal.send, sender=Appointment, appointment=appointment, actor=actor, **extra)
    if email_name:
        after_commit(_notify, appointment, email_name, **extra)


def announce_staff(appointment):
    after_commit(_notify_staff, appointment)


def hours(number):
    return timedelta(hours=number)


def deadline_passed(appointment, setting, now):
    """Whether fewer than ``ISTOK_BOOKING_<setting>`` hours remain before the visit."""
    return now > appointment.starts_at - hours(getattr(settings, f"ISTOK_BOOKING_{setting}"))
