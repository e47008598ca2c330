"""The customer's pages: "My orders", an order, a document download.

"My orders" sends an anonymous visitor to log in. An order or a document answers 404 to
anyone who may not open it, an anonymous visitor included, whether it exists or not:
its number tells a stranger nothing. The anonymous visitor's 404 page offers to log in
and come back, for the customer who follows a link from an email while logged out.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.views import View
from django.views.generic import DetailView, ListView

from istok_core import uploads
from istok_core.files import private_file_response

from . import selectors


class SignedInOr404Mixin:
    """An anonymous visitor gets a 404 that offers to log in (and come back here)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            login = redirect_to_login(request.get_full_path())["Location"]
            return render(request, "istok_orders/not_found.html", {"login_url": login}, status=404)
        return super().dispatch(request, *args, **kwargs)


class OrderListView(LoginRequiredMixin, ListView):
    template_name = "istok_orders/order_list.html"
    context_object_name = "orders"
    paginate_by = 20

    def get_queryset(self):
        return selectors.customer_orders(self.request.user)


class OrderDetailView(SignedInOr404Mixin, DetailView):
    template_name = "istok_orders/order_detail.html"
    context_object_name = "order"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_queryset(self):
        return selectors.order_detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        order = self.object
        documents = selectors.visible_documents(self.request.user, order)
        return super().get_context_data(
            progress=selectors.order_progress(order),
            timeline=order.timeline,
            lines=list(order.lines.all()),
            adjustments=list(order.adjustments.all()),
            document_groups=selectors.document_groups(documents),
            links=selectors.order_links(order, self.request.user),
            **kwargs,
        )


class DocumentDownloadView(SignedInOr404Mixin, View):
    """Stream a document to its order's customer (or staff) as an attachment."""

    def get(self, request, number, pk):
        try:
            order = selectors.order_for_user(request.user, number)
            document = selectors.visible_documents(request.user, order).get(pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None
        return document_response(document)


def document_response(document):
    """The file of ``document`` as a private attachment (404 when it is missing), named
    and typed by what the upload check found: a PDF sent as ``evil.html`` downloads as
    ``evil.pdf``, ``application/pdf``, and the browser is told not to guess otherwise.
    The page and the API both answer with it (istok_core.files: served by Django, or by
    the web server with ``ISTOK_PRIVATE_FILES_SERVER``)."""
    upload_type = uploads.type_for_content_type(document.content_type)
    return private_file_response(
        document.file,
        filename=uploads.typed_filename(
            document.original_name, upload_type, default=document.kind
        ),
        content_type=upload_type.content_type if upload_type else "application/octet-stream",
    )
