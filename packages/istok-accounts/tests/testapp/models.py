from django.db import models

from istok_accounts.models import AbstractIstokUser


class Customer(AbstractIstokUser):
    """A project's own user model with a field of its own."""

    loyalty_card = models.CharField(max_length=20, blank=True)

    class Meta(AbstractIstokUser.Meta):
        swappable = "AUTH_USER_MODEL"
