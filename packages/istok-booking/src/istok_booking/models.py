"""Appointments and what they are made of: kinds of visit, purposes, messengers, designers,
working hours and days off, and the seat rows that hold the capacity.

Every write goes through :mod:`istok_booking.services`; the models hold the rules about one
row (choices, constraints, what the admin checks in ``clean()``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from istok_core.i18n import Translatable


class OrderedLookup(Translatable):
    """A row of a lookup table the business edits in the admin: a code that code refers
    to, a name people see (with its translations, see :mod:`istok_core.i18n`), whether it
    is offered and where it stands in lists."""

    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return str(self.translated.name)


class VisitKind(OrderedLookup):
    """A kind of visit: a consultation in the showroom, a video call, a measurement at the
    customer's home. Seeded by a data migration; edited in the admin."""

    translated_fields = ("name", "description", "location")

    description = models.TextField(_("description"), blank=True)
    duration = models.PositiveSmallIntegerField(
        _("duration, minutes"), default=60, validators=[MinValueValidator(5)]
    )
    location = models.CharField(
        _("location"),
        max_length=255,
        blank=True,
        help_text=_("Where the visit takes place (the showroom's address, “video call”)."),
    )
    needs_confirmation = models.BooleanField(
        _("needs confirmation"),
        default=True,
        help_text=_("A manager confirms each request; otherwise it is confirmed at once."),
    )
    at_home = models.BooleanField(
        _("at the customer's home"),
        default=False,
        help_text=_("The customer gives the address (a measurement)."),
    )
    uses_designers = models.BooleanField(
        _("with a designer"),
        default=False,
        help_text=_(
            "Each visit takes one of the designers who take this kind; otherwise the "
            "capacity below is the number of visits per slot."
        ),
    )
    capacity = models.PositiveSmallIntegerField(
        _("visits at a time"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many visits of this kind may take place at the same time."),
    )

    class Meta(OrderedLookup.Meta):
        verbose_name = _("kind of visit")
        verbose_name_plural = _("kinds of visit")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="istok_booking_kind_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=5), name="istok_booking_kind_duration_positive"
            ),
        ]


class Purpose(OrderedLookup):
    """What the customer wants furniture for (a kitchen, a wardrobe...)."""

    class Meta(OrderedLookup.Meta):
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")


class Network(OrderedLookup):
    """A messenger or social network a customer may be contacted in instead of a call."""

    class ValueKind(models.TextChoices):
        PHONE = "phone", _("Phone number")
        USERNAME = "username", _("User name (@name)")
        LINK = "link", _("Link or short name")

    value_kind = models.CharField(
        _("contact is a"),
        max_length=16,
        choices=ValueKind.choices,
        default=ValueKind.USERNAME,
        help_text=_("What the customer types: checked accordingly."),
    )

    class Meta(OrderedLookup.Meta):
        verbose_name = _("messenger or social network")
        verbose_name_plural = _("messengers and social networks")


class Designer(models.Model):
    """A member of staff who takes visits (a designer, a measurer)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="istok_designer",
        verbose_name=_("user"),
    )
    kinds = models.ManyToManyField(
        VisitKind,
        related_name="designers",
        verbose_name=_("kinds of visit"),
        blank=True,
        help_text=_("The kinds of visit this person takes."),
    )
    is_active = models.BooleanField(_("takes visits"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("designer")
        verbose_name_plural = _("designers")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


def _check_hours(opens, closes):
    """Refuse hours that end before they start or fall between slot boundaries."""
    if opens is None or closes is None:
        return
    errors = {}
    if closes <= opens:
        errors["closes"] = _("The closing time must be after the opening time.")
    slot = settings.ISTOK_BOOKING_SLOT_MINUTES
    for name, value in (("opens", opens), ("closes", closes)):
        if value.second or value.microsecond or (value.hour * 60 + value.minute) % slot:
            errors.setdefault(
                name,
                _("Use a time on a slot boundary (every %(minutes)s minutes).")
                % {"minutes": slot},
            )
    if errors:
        raise ValidationError(errors)


class WorkingHours(models.Model):
    """When visits take place on a day of the week, in the site's time zone. A day may have
    several periods (a lunch break between two); a day without any is a day off."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="istok_booking_hours_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="istok_booking_hours_weekday_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        _check_hours(self.opens, self.closes)


class DayOff(models.Model):
    """A date that differs from the week's working hours, in the site's time zone: a
    holiday (no hours: closed), or a shortened or changed day (its own hours). With a
    designer it is that person's day only (a holiday, sick leave); without one, the
    whole showroom's."""

    date = models.DateField(_("date"))
    designer = models.ForeignKey(
        Designer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="days_off",
        verbose_name=_("designer"),
        help_text=_("Empty: the whole showroom."),
    )
    opens = models.TimeField(
        _("opens"), null=True, blank=True, help_text=_("Empty: closed all day.")
    )
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("day off or changed hours")
        verbose_name_plural = _("days off and changed hours")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(designer__isnull=True),
                name="istok_booking_one_showroom_day_off_per_date",
            ),
            models.UniqueConstraint(
                fields=["date", "designer"],
                condition=Q(designer__isnull=False),
                name="istok_booking_one_designer_day_off_per_date",
            ),
            models.CheckConstraint(
                condition=(Q(opens__isnull=True) & Q(closes__isnull=True))
                | (Q(opens__isnull=False) & Q(closes__gt=models.F("opens"))),
                name="istok_booking_day_off_hours_valid",
            ),
        ]

    def __str__(self):
        if self.is_closed:
            return f"{self.date:%Y-%m-%d}"
        return f"{self.date:%Y-%m-%d} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def is_closed(self):
        return self.opens is None

    def clean(self):
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(
                {"closes": _("Give both the opening and the closing time, or neither.")}
            )
        _check_hours(self.opens, self.closes)


class Appointment(models.Model):
    """A visit booked by a customer (or a guest): when, what for, how to reach them, and
    where it stands."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")

    #: The statuses each status may move to (``services`` refuse anything else).
    TRANSITIONS = {
        Status.REQUESTED: (Status.CONFIRMED, Status.CANCELLED),
        Status.CONFIRMED: (Status.CANCELLED, Status.COMPLETED, Status.NO_SHOW),
        Status.CANCELLED: (),
        Status.COMPLETED: (),
        Status.NO_SHOW: (),
    }
    #: Statuses that hold their slot.
    ACTIVE = (Status.REQUESTED, Status.CONFIRMED)

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="istok_appointments",
        verbose_name=_("customer"),
    )
    guest_name = models.CharField(_("guest's name"), max_length=150, blank=True)
    guest_phone = PhoneNumberField(_("guest's phone"), blank=True)
    guest_email = models.EmailField(_("guest's email"), blank=True)
    guest_consent_at = models.DateTimeField(
        _("personal data consent given"), null=True, blank=True
    )
    contact_network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("messenger or social network"),
        help_text=_("Empty: by phone."),
    )
    contact_value = models.CharField(
        _("contact"), max_length=255, help_text=_("The phone number, user name or link.")
    )
    kind = models.ForeignKey(
        VisitKind,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("kind of visit"),
    )
    purpose = models.ForeignKey(
        Purpose,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("purpose"),
    )
    consultation_wanted = models.BooleanField(
        _("expert consultation on furnishing the home first"), default=False
    )
    needs_confirmation = models.BooleanField(_("needs confirmation"), default=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    designer = models.ForeignKey(
        Designer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("designer"),
    )
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_by_customer = models.BooleanField(_("cancelled by the customer"), default=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    sequence = models.PositiveIntegerField(
        _("calendar sequence"),
        default=0,
        editable=False,
        help_text=_("Grows with each change, so calendars replace the event."),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # istok_orders is optional: the order is kept by its key, not a foreign key, so the
    # migrations do not depend on an app that may not be installed.
    order_id = models.PositiveBigIntegerField(_("order"), null=True, blank=True, db_index=True)
    order_number = models.CharField(_("order number"), max_length=64, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="istok_booking_appointment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="istok_booking_due")]

    def __str__(self):
        if self.kind_id is None or self.starts_at is None:  # not booked yet
            return self.contact_name or str(_("New appointment"))
        when = timezone.localtime(self.starts_at, timezone.get_default_timezone())
        return f"{self.kind} {when:%Y-%m-%d %H:%M} ({self.contact_name})"

    @property
    def contact_method(self):
        """``"phone"`` or the code of the messenger the customer is reached in."""
        return self.contact_network.code if self.contact_network_id else "phone"

    @property
    def contact_name(self):
        """Who booked it: the customer's name, or the guest's."""
        if self.customer_id:
            user = self.customer
            return user.get_full_name() or user.get_username()
        return self.guest_name

    @property
    def contact_email(self):
        """Where the emails go: the customer's address, or the guest's."""
        if self.customer_id:
            return getattr(self.customer, "email", "") or ""
        return self.guest_email

    @property
    def is_guest(self):
        return self.customer_id is None

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, ())


class AppointmentEvent(models.Model):
    """One change of an appointment, who made it and when: its history."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        RESCHEDULED = "rescheduled", _("Moved to another time")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("Marked as a no-show")
        CLAIMED = "claimed", _("Added to the customer's account")
        REMINDED = "reminded", _("Reminder sent")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="events", verbose_name=_("appointment")
    )
    kind = models.CharField(_("what happened"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=16, choices=Appointment.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment history")
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created:%Y-%m-%d %H:%M}"


class Seat(models.Model):
    """One slot of one resource held by an active appointment: the database's guard
    against overbooking.

    A resource is a designer (``"designer:<pk>"``, one seat per slot) or a kind of visit
    without designers (``"kind:<pk>"``, seats 1 to its capacity per slot). A visit holds one
    seat in each slot its duration and buffer cover. The unique constraint on
    (resource, slot, seat number) makes a second booking of the same seat fail in the
    database, whatever the application checked before, on SQLite as on PostgreSQL. A
    cancelled visit's seats are deleted; its appointment row stays.
    """

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="seats", verbose_name=_("appointment")
    )
    resource = models.CharField(_("resource"), max_length=40)
    starts_at = models.DateTimeField(_("slot"))
    number = models.PositiveSmallIntegerField(_("seat"))

    class Meta:
        verbose_name = _("held seat")
        verbose_name_plural = _("held seats")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "starts_at", "number"], name="istok_booking_one_visit_per_seat"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="istok_booking_seat_slot")]

    def __str__(self):
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M} #{self.number}"
