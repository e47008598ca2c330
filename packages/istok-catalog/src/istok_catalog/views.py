"""Catalog pages. They read through ``selectors``; filtering is the shared FilterSet.

The list works without JavaScript: the filter sidebar is a GET form, so every result is
a shareable URL. Parameters it cannot use are ignored and named in a notice; the page
never fails on them.
"""

from django.conf import settings
from django.http import Http404
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from . import selectors
from .forms import PageForm
from .models import Product


def _problems(form):
    """One line per refused parameter: "Price to: The highest price ..."."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        lines.extend(f"{label}: {error}" for error in errors)
    return lines


class ProductListView(TemplateView):
    template_name = "istok_catalog/product_list.html"

    def get_context_data(self, **kwargs):
        request = self.request
        filterset = selectors.filter_products(request.GET, request=request)
        page_form = PageForm(request.GET)
        problems = _problems(filterset.form) + _problems(page_form)
        facets = selectors.facets(filterset)
        paginator = selectors.product_paginator(
            filterset, page_form.get_page_size(), count=facets["count"]
        )
        page = paginator.get_page(page_form.get_page_number())
        # Read the cards now, in the request's transaction, not later while the template
        # renders (after an ATOMIC_REQUESTS transaction has committed).
        page.object_list = list(page.object_list)
        if page_form.is_valid() and page.number != page_form.get_page_number():
            problems.append(
                _("There is no page %(page)s; here is the last one.")
                % {"page": page_form.get_page_number()}
            )
        return super().get_context_data(
            filterset=filterset,
            facets=facets,
            page_obj=page,
            paginator=paginator,
            products=page.object_list,
            problems=problems,
            ordering_choices=filterset.filters["ordering"].extra["choices"],
            ordering=filterset.form.cleaned_data.get("ordering") or "position",
            query=filterset.form.cleaned_data.get("q") or "",
            price_min=filterset.form.cleaned_data.get("price_min"),
            price_max=filterset.form.cleaned_data.get("price_max"),
            page_size=page_form.get_page_size(),
            default_page_size=settings.ISTOK_CATALOG_PAGE_SIZE,
            **kwargs,
        )


def booking_url(product):
    """The booking page for ``product`` when istok_booking is installed, else ``None``."""
    try:
        url = reverse("istok_booking:appointment_create")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'product': product.slug})}"


def support_url(product):
    """The page to ask about ``product`` when istok_support is installed, else ``None``."""
    try:
        url = reverse("istok_support:conversation")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'product': product.slug})}"


def model_viewer_url():
    """``ISTOK_CATALOG_MODEL_VIEWER_URL`` as a URL: a static path resolved, a URL kept."""
    value = settings.ISTOK_CATALOG_MODEL_VIEWER_URL
    if not value or value.startswith(("/", "http://", "https://")):
        return value
    return static(value)


class ProductDetailView(TemplateView):
    template_name = "istok_catalog/product_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            self.product = selectors.get_published_product(kwargs["slug"])
        except Product.DoesNotExist:
            raise Http404(_("No such product.")) from None
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        product = self.product
        return super().get_context_data(
            product=product,
            images=list(product.images.all()),
            booking_url=booking_url(product),
            support_url=support_url(product),
            contacts=settings.ISTOK_CATALOG_CONTACTS,
            model_viewer_url=model_viewer_url(),
            **kwargs,
        )

    def get_template_names(self):
        # A kind may have a page of its own: istok_catalog/product_detail_furniture.html.
        return [f"istok_catalog/product_detail_{self.product.kind}.html", self.template_name]
