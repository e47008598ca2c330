from django.db import models


class Product(models.Model):
    """The smallest product an order line can point at: a name and a price."""

    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    def __str__(self):
        return self.name
