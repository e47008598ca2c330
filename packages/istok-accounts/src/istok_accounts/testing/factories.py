"""Factories for tests: plain functions, no extra dependency.

from istok_accounts.testing.factories import make_customer
customer = make_customer(first_name="Anna")
"""

import itertools

from django.contrib.auth import get_user_model

from .. import services
from ..models import Consent

DEFAULT_PASSWORD = "correct-horse-battery-42"
_numbers = itertools.count(1)


def make_customer(*, password=DEFAULT_PASSWORD, consent=True, **fields):
    """Create and return a customer with a usable ``password`` and, by default, the
    personal data consent recorded. Any user model field can be given."""
    number = next(_numbers)
    User = get_user_model()
    fields.setdefault(User.USERNAME_FIELD, f"customer{number}")
    fields.setdefault("email", f"customer{number}@example.com")
    rooms = fields.pop("rooms", None)
    user = User._default_manager.create_user(password=password, **fields)
    if rooms:
        user.rooms.set(rooms)
    if consent:
        services.give_consent(user, Consent.Purpose.PERSONAL_DATA)
    return user
