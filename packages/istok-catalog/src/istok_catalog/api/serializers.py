"""Serializers of the catalog API: the list row, one detail serializer per kind, facets."""

from django.urls import reverse
from rest_framework import serializers

from ..models import FurnitureProduct, Product, ServiceProduct

#: A slug that stands for each product's in the URLs reversed once per list.
_SLUG = "istok-catalog-slug"


class TaxonomyTermSerializer(serializers.Serializer):
    slug = serializers.CharField()
    # In the request's language (the term's translations, else the site language's).
    name = serializers.CharField(source="translated.name")


class ProductListSerializer(serializers.Serializer):
    """A product in the list: the fields every kind shares (one query for a whole page)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    price_from = serializers.BooleanField()
    thumbnail = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    def _absolute(self, url):
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def _file_url(self, field_file):
        return self._absolute(field_file.url) if field_file else None

    def get_thumbnail(self, product) -> str | None:
        return self._file_url(product.thumbnail)

    def _product_url(self, view_name, slug):
        # Reversed once for a whole list (the same serializer serves each row), not twice
        # a row: slugs are URL-safe, so the slug is put in the place of a stand-in one.
        templates = self.__dict__.setdefault("_url_templates", {})
        if view_name not in templates:
            templates[view_name] = self._absolute(reverse(view_name, kwargs={"slug": _SLUG}))
        head, _stand_in, tail = templates[view_name].rpartition(_SLUG)
        return f"{head}{slug}{tail}"

    def get_url(self, product) -> str:
        return self._product_url("istok_catalog_api:product_detail", product.slug)

    def get_page_url(self, product) -> str:
        if type(product).get_absolute_url is Product.get_absolute_url:
            return self._product_url("istok_catalog:product_detail", product.slug)
        return self._absolute(product.get_absolute_url())


class ProductImageSerializer(serializers.Serializer):
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()
    alt = serializers.CharField()

    def _url(self, field_file):
        request = self.context.get("request")
        if not field_file:
            return None
        return request.build_absolute_uri(field_file.url) if request else field_file.url

    def get_image(self, image) -> str | None:
        return self._url(image.image)

    def get_thumbnail(self, image) -> str | None:
        return self._url(image.thumbnail)


class ProductDetailSerializer(ProductListSerializer):
    """A product of a kind the API has no serializer of its own for."""

    description = serializers.CharField()
    images = ProductImageSerializer(many=True, source="images.all")
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()


class FurnitureProductSerializer(ProductDetailSerializer):
    category = TaxonomyTermSerializer()
    purposes = TaxonomyTermSerializer(many=True, source="purposes.all")
    shape = TaxonomyTermSerializer()
    facade_material = TaxonomyTermSerializer()
    countertop_material = TaxonomyTermSerializer(allow_null=True)
    colour_image = serializers.SerializerMethodField()
    sketch_image = serializers.SerializerMethodField()
    model_3d = serializers.SerializerMethodField()

    def get_colour_image(self, product) -> str | None:
        return self._file_url(product.colour_image)

    def get_sketch_image(self, product) -> str | None:
        return self._file_url(product.sketch_image)

    def get_model_3d(self, product) -> str | None:
        return self._file_url(product.model_3d)


class ServiceProductSerializer(ProductDetailSerializer):
    price_unit = serializers.ChoiceField(choices=ServiceProduct.PriceUnit.choices)
    price_unit_label = serializers.CharField(source="get_price_unit_display")
    duration = serializers.DurationField(allow_null=True)
    duration_minutes = serializers.SerializerMethodField()

    def get_duration_minutes(self, product) -> int | None:
        if product.duration is None:
            return None
        return int(product.duration.total_seconds() // 60)


#: The detail serializer of each kind; a project adds its own kinds here.
DETAIL_SERIALIZERS = {
    FurnitureProduct.KIND: FurnitureProductSerializer,
    ServiceProduct.KIND: ServiceProductSerializer,
}


def detail_serializer_class(product):
    return DETAIL_SERIALIZERS.get(product.kind, ProductDetailSerializer)


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetDimensionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class PriceRangeSerializer(serializers.Serializer):
    min = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    max = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class FacetsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    price = PriceRangeSerializer()
    dimensions = FacetDimensionSerializer(many=True)


def _amount(value):
    return None if value is None else str(value)


def facets_data(facets):
    """What ``FacetsSerializer(facets).data`` gives, built directly: the list answers it on
    every request, and the serializer's machinery would cost more than the counts."""
    return {
        "count": facets["count"],
        "price": {"min": _amount(facets["price"]["min"]), "max": _amount(facets["price"]["max"])},
        "dimensions": [
            {
                "name": dimension["name"],
                "label": str(dimension["label"]),
                "options": [
                    {
                        "value": str(option["value"]),
                        "label": str(option["label"]),
                        "count": option["count"],
                        "selected": option["selected"],
                    }
                    for option in dimension["options"]
                ],
            }
            for dimension in facets["dimensions"]
        ],
    }


class ProductPageSerializer(serializers.Serializer):
    """The list response (documentation only: the view builds it)."""

    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProductListSerializer(many=True)
    facets = FacetsSerializer(allow_null=True)
