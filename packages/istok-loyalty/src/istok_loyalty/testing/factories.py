"""Factories for tests: plain functions, no extra dependency. Points are given through
the services, so what they make is what a real account looks like.

    from istok_loyalty.testing.factories import make_customer, give_points, make_promotion
    customer = make_customer()
    give_points(customer, 1000)
    gift = make_promotion(program="referral")
"""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from .. import services
from ..models import News, Promotion

DEFAULT_PASSWORD = "correct-horse-battery-42"
_numbers = itertools.count(1)


def make_customer(*, password=DEFAULT_PASSWORD, **fields):
    """Create and return a user of ``AUTH_USER_MODEL`` with a usable ``password``."""
    number = next(_numbers)
    User = get_user_model()
    fields.setdefault(User.USERNAME_FIELD, f"loyalty-customer{number}")
    if "email" in {f.name for f in User._meta.get_fields()}:
        fields.setdefault("email", f"loyalty-customer{number}@example.com")
    return User._default_manager.create_user(password=password, **fields)


def make_staff(**fields):
    """A superuser (the admin's tests need every permission)."""
    fields.setdefault("is_staff", True)
    fields.setdefault("is_superuser", True)
    return make_customer(**fields)


def give_points(user, points, *, reason="other", **kwargs):
    """Award ``points`` to ``user`` (``services.earn``) and return the ledger row."""
    return services.earn(user, points, reason=reason, **kwargs)


def make_promotion(title=None, *, program=Promotion.Program.GENERAL, **fields):
    """A promotion on offer today unless its dates or ``is_active`` say otherwise."""
    number = next(_numbers)
    fields.setdefault("start_date", timezone.localdate() - timedelta(days=1))
    return Promotion.objects.create(
        title=title or f"Promotion {number}", program=program, **fields
    )


def make_news(title=None, **fields):
    """A published news item."""
    number = next(_numbers)
    title = title or f"News {number}"
    fields.setdefault("slug", f"{slugify(title)}-{number}")
    fields.setdefault("content", f"What happened: {title}.")
    return News.objects.create(title=title, **fields)
