"""Models of istok_catalog.

``Product`` is a polymorphic base (django-polymorphic): a row of it is a
``FurnitureProduct`` or a ``ServiceProduct`` (or a kind a project adds by subclassing).
The taxonomy is made of lookup tables the business edits in the admin.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from model_utils.models import TimeStampedModel
from polymorphic.models import PolymorphicModel

from istok_core.i18n import Translatable

from .validators import TypedUploadTo, validate_image, validate_model_3d


class TaxonomyTerm(Translatable):
    """A value of one catalog dimension (a category, a shape, ...) the business edits,
    its name in every language of the site (``translations``)."""

    translated_fields = ("name",)

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        db_index=True,
        help_text=_("Inactive values are not offered in the catalog filters."),
    )

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.translated.name


class Category(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Purpose(TaxonomyTerm):
    #: How many purposes there can be: each has a bit of the facet table's 64-bit mask.
    MAX_COUNT = 63

    bit = models.PositiveSmallIntegerField(
        unique=True,
        null=True,
        editable=False,
        help_text="Its bit in ProductFacet.purposes, given on the first save.",
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bit__lt=63), name="istok_catalog_purpose_bit_lt_63"
            )
        ]

    def save(self, *args, **kwargs):
        if self.bit is not None:
            return super().save(*args, **kwargs)
        attempts = 10
        for attempt in range(attempts):
            self.bit = self._free_bit()
            try:
                # Two purposes created at once may pick the same free bit: the unique
                # constraint refuses the second, which takes the next one.
                with transaction.atomic(using=kwargs.get("using") or self._state.db):
                    return super().save(*args, **kwargs)
            except IntegrityError:
                self.bit = None
                if attempt == attempts - 1:
                    raise

    def clean(self):
        super().clean()
        if self.bit is None and self._free_bit() is None:
            raise ValidationError(
                _("There can be at most %(count)s purposes: delete one you no longer use."),
                params={"count": self.MAX_COUNT},
                code="too_many_purposes",
            )

    def _free_bit(self):
        taken = set(
            Purpose.objects.using(self._state.db or "default")
            .exclude(bit=None)
            .values_list("bit", flat=True)
        )
        return next((bit for bit in range(self.MAX_COUNT) if bit not in taken), None)


class Shape(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("shape")
        verbose_name_plural = _("shapes")


class FacadeMaterial(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("facade material")
        verbose_name_plural = _("facade materials")


class CountertopMaterial(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("countertop material")
        verbose_name_plural = _("countertop materials")


class Product(PolymorphicModel, TimeStampedModel):
    """What the catalog lists: the fields every kind of product shares.

    ``kind`` is filled from the class's ``KIND`` when a row is inserted, so lists filter
    and count kinds on the product table alone, without joining the kinds' own tables.
    """

    KIND = "product"
    KIND_LABEL = _("Product")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    price_from = models.BooleanField(
        _("price is a minimum"),
        default=False,
        help_text=_('Show the price as "from ...": the final price is quoted per order.'),
    )
    is_published = models.BooleanField(_("published"), default=True)
    position = models.IntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in the catalog.")
    )
    kind = models.CharField(_("kind"), max_length=32, editable=False, default=KIND)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="istok_catalog/thumbnails/", blank=True, editable=False
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="istok_catalog_product_price_gte_0",
                violation_error_message=_("The price cannot be negative."),
            )
        ]
        indexes = [
            models.Index(fields=["is_published", "position"], name="istok_cat_prod_pub_pos_idx"),
            models.Index(fields=["kind"], name="istok_cat_prod_kind_idx"),
            models.Index(fields=["price"], name="istok_cat_prod_price_idx"),
            models.Index(fields=["created"], name="istok_cat_prod_created_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding:
            # Only on insert: the admin's list saves rows as base ``Product`` instances.
            self.kind = type(self).KIND
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("istok_catalog:product_detail", kwargs={"slug": self.slug})

    @property
    def kind_label(self):
        from .selectors import product_kinds

        model = product_kinds().get(self.kind)
        return model.KIND_LABEL if model else self.kind


class FurnitureProduct(Product):
    """A piece of made-to-order furniture: a kitchen, a wardrobe, a hallway, ..."""

    KIND = "furniture"
    KIND_LABEL = _("Furniture")

    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="furniture_products",
        verbose_name=_("category"),
    )
    purposes = models.ManyToManyField(
        Purpose, blank=True, related_name="furniture_products", verbose_name=_("purposes")
    )
    shape = models.ForeignKey(
        Shape, on_delete=models.PROTECT, related_name="furniture_products", verbose_name=_("shape")
    )
    facade_material = models.ForeignKey(
        FacadeMaterial,
        on_delete=models.PROTECT,
        related_name="furniture_products",
        verbose_name=_("facade material"),
    )
    countertop_material = models.ForeignKey(
        CountertopMaterial,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="furniture_products",
        verbose_name=_("countertop material"),
        help_text=_("Kitchens and bathroom furniture with a countertop."),
    )
    colour_image = models.ImageField(
        _("colour image"),
        upload_to=TypedUploadTo("istok_catalog/colour/", "colour_image"),
        blank=True,
        validators=[validate_image],
    )
    sketch_image = models.ImageField(
        _("sketch"),
        upload_to=TypedUploadTo("istok_catalog/sketch/", "sketch_image"),
        blank=True,
        validators=[validate_image],
        help_text=_("Black and white drawing. Left empty, it is made from the colour image."),
    )
    sketch_is_generated = models.BooleanField(default=False, editable=False)
    model_3d = models.FileField(
        _("3D model"),
        upload_to=TypedUploadTo("istok_catalog/models/", "model_3d"),
        blank=True,
        validators=[validate_model_3d],
        help_text=_("A GLB or glTF file."),
    )

    class Meta:
        verbose_name = _("furniture product")
        verbose_name_plural = _("furniture products")


class ServiceProduct(Product):
    """A service the business sells: measuring, design, assembly, delivery, ..."""

    KIND = "service"
    KIND_LABEL = _("Service")

    class PriceUnit(models.TextChoices):
        VISIT = "visit", _("per visit")
        ITEM = "item", _("per item")
        RUNNING_METRE = "running_metre", _("per running metre")
        SQUARE_METRE = "square_metre", _("per square metre")
        PROJECT = "project", _("per project")

    price_unit = models.CharField(
        _("price unit"), max_length=20, choices=PriceUnit.choices, default=PriceUnit.ITEM
    )
    duration = models.DurationField(
        _("duration"),
        null=True,
        blank=True,
        help_text=_("How long the service usually takes, as hh:mm:ss. Empty: not stated."),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")


class ProductImage(models.Model):
    """One picture of a product's gallery."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(
        _("image"),
        upload_to=TypedUploadTo("istok_catalog/gallery/", "image"),
        validators=[validate_image],
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="istok_catalog/thumbnails/", blank=True, editable=False
    )
    alt = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, for screen readers."),
    )
    position = models.IntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery images")
        indexes = [
            models.Index(fields=["product", "position"], name="istok_cat_image_prod_pos_idx")
        ]

    def __str__(self):
        return self.alt or self.image.name


class ProductFacet(models.Model):
    """What the catalog filters, counts and orders by: one narrow row per product.

    Kept equal to the product tables by ``services.refresh_facets`` in the transaction that
    writes the product (its own receivers call it for every save, purposes change and
    delete); ``manage.py istok_catalog_facets`` rebuilds or verifies the whole table.
    ``purposes`` is a bit mask: bit ``Purpose.bit`` is set for each of the product's
    purposes. Only the catalog's selectors read it.
    """

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="facet"
    )
    is_published = models.BooleanField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    position = models.IntegerField()
    kind = models.CharField(max_length=32)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+"
    )
    shape = models.ForeignKey(
        Shape, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+"
    )
    facade_material = models.ForeignKey(
        FacadeMaterial, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+"
    )
    countertop_material = models.ForeignKey(
        CountertopMaterial, on_delete=models.SET_NULL, null=True, db_index=False, related_name="+"
    )
    purposes = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("product facet")
        verbose_name_plural = _("product facets")
        indexes = [
            # The page order, covering what the filters read: an index-only scan walks it.
            models.Index(
                fields=["is_published", "position", "product"],
                include=[
                    "price",
                    "kind",
                    "category",
                    "shape",
                    "facade_material",
                    "countertop_material",
                    "purposes",
                ],
                name="istok_cat_facet_page_idx",
            ),
            models.Index(
                fields=["is_published", "price", "product"], name="istok_cat_facet_price_idx"
            ),
        ]

    def __str__(self):
        return f"facets of product {self.product_id}"
