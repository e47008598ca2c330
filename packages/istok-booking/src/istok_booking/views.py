"""The customer's pages: book a visit, "My appointments", one appointment, cancel it, move
it, download it as an ``.ics`` file.

The booking page works without JavaScript: the first form (sent with GET) chooses the kind
of visit and the day, the second (POST) one of that day's free times and the details; the
free days of a fortnight are links. ``?product=<slug>`` (the catalog's "Book a
consultation") chooses the purpose of the product's category, ``?order=<pk>`` a
measurement at home for that order (with istok_orders; ignored without it).

An appointment's pages answer 404 to anyone but its customer (and staff who may view
appointments), an anonymous visitor included, whether it exists or not; the anonymous
visitor's 404 page offers to log in and come back.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from istok_core.transactions import TryAgain

from . import selectors, services
from .forms import (
    BookingForm,
    CancelForm,
    DaySearchForm,
    SlotForm,
    SlotSearchForm,
    last_bookable_day,
    local_today,
)
from .ics import calendar_for, filename_for
from .integrations.accounts import contact_phone_for
from .integrations.catalog import purpose_for_product

#: The days shown together as links (each with its number of free times).
DAYS_SHOWN = 14
#: The session key of the visits a guest booked in this browser (for the "thank you" page).
GUEST_SESSION_KEY = "istok_booking_guest_appointment"


@dataclass
class DayLink:
    """A day of the fortnight shown as a link: its date, its free times, whether it is
    the one chosen."""

    date: date
    free: int
    current: bool


class Fortnight:
    """The free times of ``kind`` over the fortnight holding ``day`` (fortnights counted
    from today), read with one call of ``available_slots``: the links to its days, the
    chosen day's times, the links to the fortnights before and after."""

    def __init__(self, kind, day=None, *, appointment=None):
        today = local_today()
        offset = ((day - today).days // DAYS_SHOWN) * DAYS_SHOWN if day else 0
        self.start = today + timedelta(days=offset)
        self.end = min(self.start + timedelta(days=DAYS_SHOWN - 1), last_bookable_day())
        slots = services.available_slots(kind, self.start, self.end)
        if appointment is not None:
            slots = [slot for slot in slots if slot.starts_at != appointment.starts_at]
        by_day = {}
        for slot in slots:
            by_day.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
        if day is None:
            day = min(by_day, default=self.start)
        self.day = day
        self.slots = by_day.get(day, [])
        self.days = [
            DayLink(self.start + timedelta(days=n), 0, False)
            for n in range((self.end - self.start).days + 1)
        ]
        for link in self.days:
            link.free = len(by_day.get(link.date, ()))
            link.current = link.date == day
        self.previous = self.start - timedelta(days=DAYS_SHOWN) if offset > 0 else None
        following = self.start + timedelta(days=DAYS_SHOWN)
        self.next = following if following <= last_bookable_day() else None
        self.next_free = next((d for d in sorted(by_day) if d > day), None)


def not_found(request):
    """The 404 of an appointment's page; for an anonymous visitor, with a link to log in
    and come back."""
    context = {}
    if not request.user.is_authenticated:
        context["login_url"] = redirect_to_login(request.get_full_path())["Location"]
    return render(request, "istok_booking/not_found.html", context, status=404)


class AppointmentMixin:
    """The appointment of the URL when the user may open it, else the 404 page."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.appointment = selectors.get_appointment_for(request.user, kwargs["pk"])
        except ObjectDoesNotExist:
            return not_found(request)
        return super().dispatch(request, *args, **kwargs)


def may_change(appointment, user, setting):
    """Whether ``user`` may still cancel (``CANCEL_DEADLINE_HOURS``) or move
    (``RESCHEDULE_DEADLINE_HOURS``) the appointment online."""
    if not appointment.is_active:
        return False
    if user.is_staff:
        return True
    hours = getattr(settings, f"ISTOK_BOOKING_{setting}")
    return timezone.now() <= appointment.starts_at - timedelta(hours=hours)


def show_day(search, fortnight):
    """Put the day shown in the first form's date field when the address named none (the
    first day with a free time was chosen)."""
    if not search.cleaned_data.get("day"):
        search.data = search.data.copy()
        search.data["day"] = fortnight.day.isoformat()


def capacity_of(kind):
    """How many visits of ``kind`` a slot takes, as the customer sees it: one with a
    designer (which designers are free is not shown), else the kind's capacity."""
    return 1 if kind.uses_designers else kind.capacity


def service_failed(form, exc):
    """Show a service's refusal on ``form``: its field errors, or "try again"."""
    if isinstance(exc, TryAgain):
        form.add_error(None, str(exc.message))
    else:
        form.add_service_error(exc)


class AppointmentCreateView(View):
    """Book a visit (the nav's "Book a visit", the catalog's "Book a consultation")."""

    template_name = "istok_booking/appointment_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and not settings.ISTOK_BOOKING_ALLOW_GUESTS:
            return redirect_to_login(request.get_full_path())
        self.guest = not request.user.is_authenticated
        return super().dispatch(request, *args, **kwargs)

    def search(self):
        """The first form, from the address; its defaults: the first kind of visit (for
        ``?order=``, ``ISTOK_BOOKING_ORDER_MEASUREMENT_KIND``), the first day with a free
        time."""
        data = self.request.GET.copy()
        if not apps.is_installed("istok_orders"):
            data.pop("order", None)  # no orders to book a measurement for
        kinds = selectors.active_kinds()
        if not data.get("kind"):
            wanted = (
                kinds.filter(code=settings.ISTOK_BOOKING_ORDER_MEASUREMENT_KIND)
                if data.get("order")
                else kinds
            )
            first = wanted.first() or kinds.first()
            if first is not None:
                data["kind"] = first.code
        return SlotSearchForm(data, kinds=kinds)

    def get(self, request):
        return self.render(self.search())

    def post(self, request):
        search = self.search()
        if not search.is_valid():
            return self.render(search)
        fortnight = self.fortnight(search)
        form = self.booking_form(search, fortnight, data=request.POST)
        if form.is_valid():
            try:
                appointment = services.book(
                    kind=search.cleaned_data["kind"],
                    customer=None if self.guest else request.user,
                    order=search.cleaned_data["order"],
                    actor=None if self.guest else request.user,
                    **form.booking_arguments(),
                )
            except (ValidationError, TryAgain) as exc:
                service_failed(form, exc)
                # The times offered again: another visit may have just taken one.
                fortnight = self.fortnight(search, day=fortnight.day)
                form.offer(fortnight.slots, capacity_of(search.cleaned_data["kind"]))
            else:
                return self.booked(appointment)
        return self.render(search, fortnight, form)

    def booked(self, appointment):
        if self.guest:
            self.request.session[GUEST_SESSION_KEY] = appointment.pk
            return HttpResponseRedirect(reverse("istok_booking:appointment_booked"))
        if appointment.status == appointment.Status.CONFIRMED:
            message = _("Your visit is booked. We have sent you the details.")
        else:
            message = _(
                "Your request is received. A manager will confirm it; we will let you know."
            )
        messages.success(self.request, message)
        return HttpResponseRedirect(
            reverse("istok_booking:appointment_detail", kwargs={"pk": appointment.pk})
        )

    def fortnight(self, search, day=None):
        return Fortnight(search.cleaned_data["kind"], day or search.cleaned_data["day"])

    def booking_form(self, search, fortnight, data=None):
        kind = search.cleaned_data["kind"]
        initial = {}
        product = search.cleaned_data["product"]
        if product:
            purpose = purpose_for_product(product)
            if purpose is not None:
                initial["purpose"] = purpose.code
        return BookingForm(
            data,
            initial=initial,
            kind=kind,
            slots=fortnight.slots,
            capacity=capacity_of(kind),
            guest=self.guest,
            for_order=bool(search.cleaned_data["order"]),
            phone=contact_phone_for(self.request.user),
        )

    def render(self, search, fortnight=None, form=None):
        context = {"search_form": search, "guest": self.guest}
        if search.is_valid():
            fortnight = fortnight or self.fortnight(search)
            show_day(search, fortnight)
            context.update(
                kind=search.cleaned_data["kind"],
                fortnight=fortnight,
                form=form or self.booking_form(search, fortnight),
                for_order=bool(search.cleaned_data["order"]),
            )
        return render(self.request, self.template_name, context)


class AppointmentBookedView(TemplateView):
    """The guest's "thank you" page: the visit just booked in this browser."""

    template_name = "istok_booking/appointment_booked.html"

    def get(self, request, *args, **kwargs):
        pk = request.session.get(GUEST_SESSION_KEY)
        self.appointment = (
            selectors.Appointment.objects.select_related(*selectors.RELATED)
            .filter(pk=pk, customer__isnull=True)
            .first()
            if isinstance(pk, int)
            else None
        )
        if self.appointment is None:
            return not_found(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(appointment=self.appointment, **kwargs)


class AppointmentListView(LoginRequiredMixin, TemplateView):
    """ "My appointments": the visits to come, soonest first, then the others."""

    template_name = "istok_booking/appointment_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            upcoming=list(selectors.upcoming_for(user)),
            past=list(selectors.past_for(user)[:50]),
            **kwargs,
        )


class AppointmentDetailView(AppointmentMixin, TemplateView):
    template_name = "istok_booking/appointment_detail.html"

    def get_context_data(self, **kwargs):
        appointment, user = self.appointment, self.request.user
        return super().get_context_data(
            appointment=appointment,
            events=list(appointment.events.all()),
            can_cancel=may_change(appointment, user, "CANCEL_DEADLINE_HOURS"),
            can_reschedule=may_change(appointment, user, "RESCHEDULE_DEADLINE_HOURS"),
            **kwargs,
        )


class AppointmentCancelView(AppointmentMixin, View):
    template_name = "istok_booking/appointment_cancel.html"

    def get(self, request, pk):
        return self.render(CancelForm())

    def post(self, request, pk):
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.cancel(
                    self.appointment, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except (ValidationError, TryAgain) as exc:
                service_failed(form, exc)
            else:
                messages.success(request, _("The visit is cancelled."))
                return HttpResponseRedirect(
                    reverse("istok_booking:appointment_detail", kwargs={"pk": pk})
                )
        return self.render(form)

    def render(self, form):
        context = {
            "appointment": self.appointment,
            "form": form,
            "allowed": may_change(self.appointment, self.request.user, "CANCEL_DEADLINE_HOURS"),
        }
        return render(self.request, self.template_name, context)


class AppointmentRescheduleView(AppointmentMixin, View):
    """Move the visit: a day (GET), then one of its free times (POST)."""

    template_name = "istok_booking/appointment_reschedule.html"

    def search(self):
        return DaySearchForm(self.request.GET)

    def get(self, request, pk):
        return self.render(self.search())

    def post(self, request, pk):
        search = self.search()
        if not search.is_valid():
            return self.render(search)
        fortnight = self.fortnight(search)
        form = self.slot_form(fortnight, data=request.POST)
        if form.is_valid():
            try:
                services.reschedule(
                    self.appointment, starts_at=form.cleaned_data["starts_at"], actor=request.user
                )
            except (ValidationError, TryAgain) as exc:
                service_failed(form, exc)
                fortnight = self.fortnight(search)
                form.offer(fortnight.slots, capacity_of(self.appointment.kind))
            else:
                messages.success(request, _("The visit is moved. We have sent you the details."))
                return HttpResponseRedirect(
                    reverse("istok_booking:appointment_detail", kwargs={"pk": pk})
                )
        return self.render(search, fortnight, form)

    def fortnight(self, search):
        return Fortnight(
            self.appointment.kind, search.cleaned_data["day"], appointment=self.appointment
        )

    def slot_form(self, fortnight, data=None):
        kind = self.appointment.kind
        return SlotForm(
            data,
            slots=fortnight.slots,
            capacity=capacity_of(kind),
        )

    def render(self, search, fortnight=None, form=None):
        appointment = self.appointment
        context = {
            "appointment": appointment,
            "search_form": search,
            "allowed": may_change(appointment, self.request.user, "RESCHEDULE_DEADLINE_HOURS"),
        }
        if context["allowed"] and search.is_valid():
            fortnight = fortnight or self.fortnight(search)
            show_day(search, fortnight)
            context.update(fortnight=fortnight, form=form or self.slot_form(fortnight))
        return render(self.request, self.template_name, context)


class AppointmentCalendarView(AppointmentMixin, View):
    """The visit as an ``.ics`` file, to add to a calendar."""

    def get(self, request, pk):
        return ics_response(self.appointment)


def ics_response(appointment):
    """The ``.ics`` file of ``appointment`` as an attachment (the page and the API)."""
    response = HttpResponse(calendar_for(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename_for(appointment)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def appointment_or_404(user, pk):
    """For the API: the appointment ``user`` may open, else ``Http404``."""
    try:
        return selectors.get_appointment_for(user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
