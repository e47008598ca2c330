from django.db import models

from istok_core.i18n import Translatable


class Colour(Translatable):
    """A lookup value as the istok packages have them: a code, a name and a description."""

    translated_fields = ("name", "description")

    slug = models.SlugField(unique=True)
    name = models.CharField("name", max_length=100)
    description = models.TextField("description", blank=True)

    def __str__(self):
        return self.translated.name
