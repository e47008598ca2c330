"""Admin of istok_catalog: products of every kind (django-polymorphic), taxonomy, gallery.

Products and gallery images are saved through ``services``, so the admin scales images,
draws sketches and makes thumbnails the same way a project's own code does.
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from polymorphic.admin import (
    PolymorphicChildModelAdmin,
    PolymorphicChildModelFilter,
    PolymorphicParentModelAdmin,
)
from polymorphic.admin.forms import PolymorphicModelChoiceForm

from istok_core.admin import LabelledWidgetsMixin
from istok_core.formatting import format_money
from istok_core.i18n.admin import TranslationsAdminMixin

from . import services
from .filters import FACET_PURPOSE_LABEL
from .models import (
    Category,
    CountertopMaterial,
    FacadeMaterial,
    FurnitureProduct,
    Product,
    ProductImage,
    Purpose,
    ServiceProduct,
    Shape,
)


def titled(field_path, title=None):
    """A ``list_filter`` entry for ``field_path`` whose title reads as a heading: the
    field's name capitalised ("Категория", not "категория"), or ``title``."""

    class TitledFilter(admin.FieldListFilter):
        def __new__(cls, field, request, params, model, model_admin, field_path):
            # The filter Django would pick for the field (boolean, related, ...), retitled.
            spec = admin.FieldListFilter.create(
                field, request, params, model, model_admin, field_path=field_path
            )
            spec.title = title or capfirst(spec.title)
            return spec

    return (field_path, TitledFilter)


class KindFilter(PolymorphicChildModelFilter):
    """Products by kind, named as the catalog names them ("Мебель", "Услуга")."""

    title = _("Kind")


class KindChoiceForm(PolymorphicModelChoiceForm):
    """The first step of adding a product: which kind (django-polymorphic says "Type")."""

    type_label = _("Kind")


class TimestampsMixin:
    """When a row was created and last changed, labelled in the admin's language (the
    fields come from django-model-utils, whose labels are not translated here)."""

    @admin.display(description=_("Created"), ordering="created")
    def created_at(self, obj):
        return obj.created

    @admin.display(description=_("Modified"), ordering="modified")
    def modified_at(self, obj):
        return obj.modified


class TaxonomyTermAdmin(LabelledWidgetsMixin, TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = [titled("is_active")]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


for _model in (Category, Purpose, Shape, FacadeMaterial, CountertopMaterial):
    admin.site.register(_model, TaxonomyTermAdmin)


class ProductImageInline(LabelledWidgetsMixin, admin.TabularInline):
    model = ProductImage
    fields = ["image", "alt", "position"]
    extra = 1


class PriceColumnMixin:
    @admin.display(description=_("price"), ordering="price")
    def price_amount(self, product):
        """The price as customers read it (istok_core.formatting): one format everywhere."""
        return format_money(product.price)


class ProductChildAdmin(
    LabelledWidgetsMixin, TimestampsMixin, PriceColumnMixin, PolymorphicChildModelAdmin
):
    """Shared by the admins of every product kind."""

    base_model = Product
    inlines = [ProductImageInline]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "description"]
    list_display = ["name", "price_amount", "is_published", "position"]
    list_filter = [titled("is_published")]
    readonly_fields = ["created_at", "modified_at"]
    base_fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (_("Price"), {"fields": ["price", "price_from"]}),
        (_("Publishing"), {"fields": ["is_published", "position", "created_at", "modified_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_product(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProductImage:
            return super().save_formset(request, form, formset, change)
        images = formset.save(commit=False)
        for image in formset.deleted_objects:
            services.delete_product_image(image)
        for image in images:
            services.save_product_image(image)
        formset.save_m2m()


@admin.register(FurnitureProduct)
class FurnitureProductAdmin(ProductChildAdmin):
    base_fieldsets = [
        ProductChildAdmin.base_fieldsets[0],
        ProductChildAdmin.base_fieldsets[1],
        (
            _("Taxonomy"),
            {
                "fields": [
                    "category",
                    "purposes",
                    "shape",
                    "facade_material",
                    "countertop_material",
                ]
            },
        ),
        (_("Pictures and 3D model"), {"fields": ["colour_image", "sketch_image", "model_3d"]}),
        ProductChildAdmin.base_fieldsets[2],
    ]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_display = [
        "name",
        "category",
        "shape",
        "facade_material",
        "price_amount",
        "is_published",
    ]
    list_filter = [
        titled("is_published"),
        titled("category"),
        titled("purposes", FACET_PURPOSE_LABEL),
        titled("shape"),
        titled("facade_material"),
        titled("countertop_material"),
    ]
    list_select_related = ["category", "shape", "facade_material"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "purposes":
            # One name for the facet everywhere: "Назначение" here, in the catalog and API.
            kwargs["label"] = FACET_PURPOSE_LABEL
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ServiceProduct)
class ServiceProductAdmin(ProductChildAdmin):
    base_fieldsets = [
        ProductChildAdmin.base_fieldsets[0],
        (_("Price"), {"fields": ["price", "price_from", "price_unit", "duration"]}),
        ProductChildAdmin.base_fieldsets[2],
    ]
    list_display = ["name", "price_amount", "price_unit", "duration", "is_published"]
    list_filter = [titled("is_published"), titled("price_unit")]


@admin.register(Product)
class ProductAdmin(
    LabelledWidgetsMixin, TimestampsMixin, PriceColumnMixin, PolymorphicParentModelAdmin
):
    base_model = Product
    child_models = [FurnitureProduct, ServiceProduct]
    add_type_form = KindChoiceForm
    list_display = [
        "name",
        "kind_label",
        "price_amount",
        "price_from",
        "is_published",
        "position",
        "modified_at",
    ]
    list_filter = [
        KindFilter,
        titled("is_published"),
        titled("furnitureproduct__category"),
        titled("furnitureproduct__shape"),
        titled("furnitureproduct__facade_material"),
    ]
    list_editable = ["is_published", "position"]
    search_fields = ["name", "slug", "description"]
    date_hierarchy = "created"

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, product):
        """The kind as the catalog names it ("Мебель"), not its code ("furniture")."""
        return product.kind_label

    def get_child_type_choices(self, request, action):
        # The kinds by their catalog names, for the "add" step and the kind filter.
        labels = {model: model.KIND_LABEL for model in self.child_models}
        return [
            (pk, labels.get(ContentType.objects.get_for_id(pk).model_class(), name))
            for pk, name in super().get_child_type_choices(request, action)
        ]
