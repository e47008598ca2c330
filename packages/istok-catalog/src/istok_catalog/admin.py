"""Admin of istok_catalog: products of every kind (django-polymorphic), taxonomy, gallery.

Products and gallery images are saved through ``services``, so the admin scales images,
draws sketches and makes thumbnails the same way a project's own code does.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from polymorphic.admin import (
    PolymorphicChildModelAdmin,
    PolymorphicChildModelFilter,
    PolymorphicParentModelAdmin,
)

from istok_core.formatting import format_money

from . import services
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


class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


for _model in (Category, Purpose, Shape, FacadeMaterial, CountertopMaterial):
    admin.site.register(_model, TaxonomyTermAdmin)


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    fields = ["image", "alt", "position"]
    extra = 1


class PriceColumnMixin:
    @admin.display(description=_("price"), ordering="price")
    def price_amount(self, product):
        """The price as customers read it (istok_core.formatting): one format everywhere."""
        return format_money(product.price)


class ProductChildAdmin(PriceColumnMixin, PolymorphicChildModelAdmin):
    """Shared by the admins of every product kind."""

    base_model = Product
    inlines = [ProductImageInline]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "description"]
    list_display = ["name", "price_amount", "is_published", "position"]
    list_filter = ["is_published"]
    readonly_fields = ["created", "modified"]
    base_fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (_("Price"), {"fields": ["price", "price_from"]}),
        (_("Publishing"), {"fields": ["is_published", "position", "created", "modified"]}),
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
        "is_published",
        "category",
        "purposes",
        "shape",
        "facade_material",
        "countertop_material",
    ]
    list_select_related = ["category", "shape", "facade_material"]


@admin.register(ServiceProduct)
class ServiceProductAdmin(ProductChildAdmin):
    base_fieldsets = [
        ProductChildAdmin.base_fieldsets[0],
        (_("Price"), {"fields": ["price", "price_from", "price_unit", "duration"]}),
        ProductChildAdmin.base_fieldsets[2],
    ]
    list_display = ["name", "price_amount", "price_unit", "duration", "is_published"]
    list_filter = ["is_published", "price_unit"]


@admin.register(Product)
class ProductAdmin(PriceColumnMixin, PolymorphicParentModelAdmin):
    base_model = Product
    child_models = [FurnitureProduct, ServiceProduct]
    list_display = [
        "name",
        "kind",
        "price_amount",
        "price_from",
        "is_published",
        "position",
        "modified",
    ]
    list_filter = [
        PolymorphicChildModelFilter,
        "is_published",
        "furnitureproduct__category",
        "furnitureproduct__shape",
        "furnitureproduct__facade_material",
    ]
    list_editable = ["is_published", "position"]
    search_fields = ["name", "slug", "description"]
    date_hierarchy = "created"
