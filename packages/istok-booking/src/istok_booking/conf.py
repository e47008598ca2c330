"""Settings of istok_booking, each with its default.

Every setting is read as ``settings.ISTOK_BOOKING_<NAME>`` (django-appconf fills in the
default when the project does not set it). Times are in the site's time zone,
``TIME_ZONE``: working hours, days off and slot boundaries are wall-clock times there, so a
change to or from summer time moves nothing a customer sees.
"""

from appconf import AppConf
from django.conf import settings  # noqa: F401  (AppConf needs settings imported here)


class IstokBookingConf(AppConf):
    #: Length of one slot, in minutes: visits start on a slot boundary (counted from
    #: midnight) and hold whole slots. Must divide a day (5, 10, 15, 20, 30, 60...).
    #: Changing it while visits are booked leaves their slots as they were booked.
    SLOT_MINUTES = 30

    #: Minutes kept free after each visit (travel, tidying up). A visit holds the slots of
    #: its duration plus this buffer, rounded up to whole slots.
    BUFFER_MINUTES = 0

    #: How many hours ahead a visit must be booked at least.
    MIN_NOTICE_HOURS = 2

    #: How many days ahead a visit may be booked at most.
    HORIZON_DAYS = 60

    #: A customer may cancel until this many hours before the visit (staff any time).
    CANCEL_DEADLINE_HOURS = 24

    #: A customer may move a visit until this many hours before it (staff any time).
    RESCHEDULE_DEADLINE_HOURS = 24

    #: The reminder is sent this many hours before the visit (``send_due_reminders``).
    REMINDER_HOURS = 24

    #: Whether a visitor without an account may book (name, phone and the personal data
    #: consent); they claim the booking later by signing up with that phone or email.
    ALLOW_GUESTS = False

    #: Dotted path to the adapter class: emails, the site's links, staff notifications.
    ADAPTER = "istok_booking.adapter.DefaultBookingAdapter"

    #: Scheme and host put before links in emails (``"https://example.com"``). Empty: the
    #: links are paths.
    SITE_URL = ""

    #: Sender of the emails. ``None``: ``DEFAULT_FROM_EMAIL``.
    FROM_EMAIL = None

    #: Whether the managers (``MANAGERS``) get an email for each new request.
    NOTIFY_MANAGERS = True

    #: With istok_orders: the order status in which a measurement visit may be booked for
    #: the order.
    ORDER_MEASUREMENT_STATUS = "measurement"
    #: With istok_orders: the status completing the order's measurement visit moves the
    #: order to (through istok_orders' own ``set_status``, so it is on the order's
    #: timeline).
    ORDER_AFTER_MEASUREMENT_STATUS = "correction"

    #: With istok_orders: the code of the kind of visit the order page offers to book
    #: ("Book the measurement").
    ORDER_MEASUREMENT_KIND = "measurement"

    #: With istok_catalog: the purpose of a visit (its code) booked from a product page,
    #: by the code of the product's category. A category not listed here picks the
    #: purpose with the same code (``-`` read as ``_``), if there is one.
    CATALOG_PURPOSES = {
        "kitchen": "kitchen",
        "wardrobe": "wardrobe",
        "hallway": "hallway",
        "dresser": "living_room",
        "shelving": "living_room",
        "kids-furniture": "kids_room",
        "bathroom-furniture": "bathroom",
        "living-room": "living_room",
    }

    class Meta:
        prefix = "ISTOK_BOOKING"
