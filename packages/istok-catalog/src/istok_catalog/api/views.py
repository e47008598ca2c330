"""Public read-only catalog API: product list (with facets), product detail, facets.

Filtering is the same ``ProductFilterSet`` the pages use, through django-filter's DRF
backend. Bad parameters answer 400 with the field errors; a page past the end, 404.
"""

from django.core.paginator import EmptyPage
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from istok_core.api.exceptions import NotFoundMixin
from istok_core.api.parsers import SafeParsersMixin

from .. import selectors
from ..filters import ProductFilterSet
from ..forms import PageForm
from ..models import Product
from .serializers import (
    DETAIL_SERIALIZERS,
    FacetsSerializer,
    ProductDetailSerializer,
    ProductListSerializer,
    ProductPageSerializer,
    detail_serializer_class,
    facets_data,
)

try:
    from drf_spectacular.openapi import AutoSchema
    from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
except ImportError:  # pragma: no cover  (drf-spectacular is optional at run time)
    AutoSchema = extend_schema = None


def _schema(**kwargs):
    if extend_schema is None:  # pragma: no cover
        return lambda view: view
    return extend_schema(**kwargs)


if AutoSchema is not None:

    class FilteredObjectSchema(AutoSchema):
        """The schema of a view that filters as a list does but answers one object (a page
        with its facets, the facets): drf-spectacular gives filter parameters to list views
        only, and would document the page as an array of pages."""

        def get_filter_backends(self):
            return getattr(self.view, "filter_backends", [])


class CatalogFilterMixin:
    permission_classes = [AllowAny]
    if AutoSchema is not None:
        schema = FilteredObjectSchema()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProductFilterSet

    def get_queryset(self):
        return selectors.listed_products()

    def get_filterset(self):
        """The validated FilterSet of this request; invalid input raises a 400."""
        backend = DjangoFilterBackend()
        filterset = backend.get_filterset(self.request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset


def _page_parameters():
    if extend_schema is None:  # pragma: no cover
        return []
    return [
        OpenApiParameter("page", int, description=str(_("Page number, from 1."))),
        OpenApiParameter("page_size", int, description=str(_("Products per page."))),
        OpenApiParameter(
            "facets",
            bool,
            description=str(
                _(
                    "false: the products and their count only, without the facet counts "
                    '("facets" is null). Default: true.'
                )
            ),
        ),
    ]


def _wants_facets(params):
    value = params.get("facets", "true").strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValidationError({"facets": [_("Must be true or false.")]})


@_schema(responses=ProductPageSerializer, parameters=_page_parameters())
class ProductListAPIView(
    NotFoundMixin, SafeParsersMixin, CatalogFilterMixin, generics.GenericAPIView
):
    """Published products, filtered, one page, with the facet counts of the result
    (``?facets=false``: without them, for clients that show cards only)."""

    serializer_class = ProductListSerializer
    pagination_class = None

    # The name it had as a list view, which clients' generated code may use.
    @_schema(operation_id="catalog_products_list")
    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        page_form = PageForm(request.query_params)
        if not page_form.is_valid():
            raise ValidationError(page_form.errors)
        with_facets = _wants_facets(request.query_params)
        facets = selectors.facets(filterset) if with_facets else None
        count = facets["count"] if with_facets else selectors.product_count(filterset)
        page_size = page_form.get_page_size()
        paginator = selectors.product_paginator(filterset, page_size, count=count)
        try:
            page = paginator.page(page_form.get_page_number())
        except EmptyPage:
            raise NotFound(_("Invalid page.")) from None
        serializer = self.get_serializer(page.object_list, many=True)
        url = request.build_absolute_uri()
        return Response(
            {
                "count": paginator.count,
                "page": page.number,
                "page_size": page_size,
                "num_pages": paginator.num_pages,
                "next": replace_query_param(url, "page", page.next_page_number())
                if page.has_next()
                else None,
                "previous": _previous_url(url, page),
                "results": serializer.data,
                "facets": facets_data(facets) if with_facets else None,
            }
        )


def _previous_url(url, page):
    if not page.has_previous():
        return None
    number = page.previous_page_number()
    return (
        remove_query_param(url, "page")
        if number == 1
        else replace_query_param(url, "page", number)
    )


@_schema(responses=FacetsSerializer)
class FacetsAPIView(NotFoundMixin, SafeParsersMixin, CatalogFilterMixin, generics.GenericAPIView):
    """The facet counts and price range for the filters given, without the products."""

    serializer_class = FacetsSerializer
    pagination_class = None

    def get(self, request, *args, **kwargs):
        return Response(facets_data(selectors.facets(self.get_filterset())))


def _detail_schema():
    if extend_schema is None:  # pragma: no cover
        return lambda view: view
    return extend_schema(
        responses=PolymorphicProxySerializer(
            component_name="CatalogProduct",
            serializers=DETAIL_SERIALIZERS,
            resource_type_field_name="kind",
        )
    )


@_detail_schema()
class ProductDetailAPIView(NotFoundMixin, SafeParsersMixin, generics.RetrieveAPIView):
    """One published product by slug, with the fields of its kind."""

    permission_classes = [AllowAny]
    serializer_class = ProductDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.published_products()

    def get_object(self):
        try:
            return selectors.get_published_product(self.kwargs["slug"])
        except Product.DoesNotExist:
            raise Http404 from None

    def retrieve(self, request, *args, **kwargs):
        product = self.get_object()
        serializer_class = detail_serializer_class(product)
        return Response(serializer_class(product, context=self.get_serializer_context()).data)
