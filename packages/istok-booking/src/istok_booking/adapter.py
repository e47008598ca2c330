"""The adapter: the policy a business may want to change, in one class.

Subclass :class:`DefaultBookingAdapter`, override what differs and name your class in
``ISTOK_BOOKING_ADAPTER``. :func:`get_adapter` returns an instance of it.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, mail_managers
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from istok_core.adapters import load_adapter

logger = logging.getLogger("istok_booking")

#: The customer emails, by the name of their templates (``istok_booking/email/<name>.txt``
#: and ``<name>_subject.txt``).
EMAILS = ("requested", "confirmed", "cancelled", "rescheduled", "reminder")


class DefaultBookingAdapter:
    """Emails to the customer (with the visit as an ``.ics`` file) and to the managers."""

    def get_customer_language(self, appointment):
        """The language of the customer's messages: their ``language`` attribute when the
        user model has one and it is set, else ``LANGUAGE_CODE``."""
        customer = appointment.customer
        return getattr(customer, "language", "") or settings.LANGUAGE_CODE

    def get_appointment_url(self, appointment):
        """The link to the appointment's page, absolute when ``ISTOK_BOOKING_SITE_URL`` is
        set; ``""`` when the project has no such page (or for a guest, who has no
        account to open it with)."""
        if appointment.is_guest:
            return ""
        try:
            path = reverse("istok_booking:appointment_detail", kwargs={"pk": appointment.pk})
        except NoReverseMatch:
            return ""
        return settings.ISTOK_BOOKING_SITE_URL.rstrip("/") + path

    def get_email_context(self, appointment, email, **extra):
        """What the email templates get: ``appointment``, ``kind`` (the visit's kind),
        ``status_label``, ``customer_name``, ``appointment_url``, ``email`` (the name of
        the email) and whatever the service passed (``old_starts_at`` of a move)."""
        return {
            "appointment": appointment,
            "kind": appointment.kind,
            "status_label": appointment.get_status_display(),
            "customer_name": appointment.contact_name,
            "appointment_url": self.get_appointment_url(appointment),
            "email": email,
            **extra,
        }

    def render_email(self, template, context):
        """``(subject, body)`` rendered from ``<template>_subject.txt`` and ``<template>.txt``."""
        subject = " ".join(render_to_string(template + "_subject.txt", context).split())
        body = render_to_string(template + ".txt", context)
        return subject, body

    def notify_customer(self, appointment, email, **extra):
        """Send the customer the email ``email`` (one of :data:`EMAILS`) about
        ``appointment``, with the visit as an ``.ics`` attachment. Called after the change
        has committed. A failure is logged, never raised: the change stays."""
        from .ics import calendar_for, filename_for

        address = appointment.contact_email
        if not address:
            return False
        try:
            with translation.override(self.get_customer_language(appointment)):
                context = self.get_email_context(appointment, email, **extra)
                subject, body = self.render_email("istok_booking/email/" + email, context)
                ics = calendar_for(appointment)
            message = EmailMessage(
                subject,
                body,
                settings.ISTOK_BOOKING_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
                [address],
            )
            message.attach(filename_for(appointment), ics, "text/calendar")
            message.send()
        except Exception:
            logger.exception("Could not email the customer of appointment %s", appointment.pk)
            return False
        return True

    def notify_staff(self, appointment):
        """Tell the managers (``MANAGERS``) about a new request, when
        ``ISTOK_BOOKING_NOTIFY_MANAGERS`` is on. Called after commit; failures are logged."""
        if not settings.ISTOK_BOOKING_NOTIFY_MANAGERS:
            return
        try:
            with translation.override(settings.LANGUAGE_CODE):
                context = self.get_email_context(appointment, "new_request")
                subject, body = self.render_email("istok_booking/email/new_request", context)
            mail_managers(subject, body)
        except Exception:
            logger.exception("Could not tell the managers about appointment %s", appointment.pk)


def get_adapter():
    """An instance of the class ``ISTOK_BOOKING_ADAPTER`` names (normally a subclass of
    :class:`DefaultBookingAdapter`), imported on first use."""
    return load_adapter("ISTOK_BOOKING_ADAPTER")
