"""Admin of istok_booking: the lookup tables, designers, working hours and days off edited
as they are; appointments only through the services (booking, confirm, cancel, complete,
no-show), so the admin records the same history, holds the same seats and refuses the same
input as the pages and the API. A refusal is an error message, never a 500.

The staff calendar (``calendar/`` under the appointments) shows a day or a week of
appointments, by designer, with the same actions as buttons.
"""

from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from istok_core.admin import LabelledWidgetsMixin
from istok_core.formatting import format_phone
from istok_core.i18n.admin import TranslationsAdminMixin
from istok_core.transactions import TryAgain

from . import selectors, services
from .forms import ServiceErrorsMixin, SlotField, contact_method_choices
from .models import (
    Appointment,
    AppointmentEvent,
    DayOff,
    Designer,
    Network,
    Purpose,
    VisitKind,
    WorkingHours,
)


class LookupAdmin(LabelledWidgetsMixin, TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(VisitKind)
class VisitKindAdmin(LookupAdmin):
    list_display = [
        "name",
        "code",
        "duration",
        "location",
        "needs_confirmation",
        "at_home",
        "uses_designers",
        "capacity",
        "position",
        "is_active",
    ]


@admin.register(Purpose)
class PurposeAdmin(LookupAdmin):
    pass


@admin.register(Network)
class NetworkAdmin(LookupAdmin):
    list_display = ["name", "code", "value_kind", "position", "is_active"]


class DesignerDayOffInline(LabelledWidgetsMixin, admin.TabularInline):
    model = DayOff
    fields = ["date", "opens", "closes", "reason"]
    extra = 0
    verbose_name_plural = _("days off and changed hours of this designer")


@admin.register(Designer)
class DesignerAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind_names", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "kinds"]
    # Checkboxes, not filter_horizontal (its script leaves ARIA attributes on a <span>).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    raw_id_fields = ["user"]
    inlines = [DesignerDayOffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("kinds")

    @admin.display(description=_("kinds of visit"))
    def kind_names(self, designer):
        return ", ".join(str(kind) for kind in designer.kinds.all()) or "—"


@admin.register(WorkingHours)
class WorkingHoursAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    list_display = ["weekday", "opens", "closes"]
    list_editable = ["opens", "closes"]
    list_display_links = ["weekday"]


@admin.register(DayOff)
class DayOffAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    list_display = ["date", "designer", "opens", "closes", "reason"]
    list_filter = ["designer"]
    date_hierarchy = "date"


class EventInline(LabelledWidgetsMixin, admin.TabularInline):
    model = AppointmentEvent
    fields = ["created", "kind", "status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class AppointmentAddForm(ServiceErrorsMixin, forms.ModelForm):
    """A visit booked by staff (over the phone, or a measurement for an order): checked
    and written by ``services.book``.

    The booking is made when the form is cleaned, inside the admin's transaction, so that
    what the service refuses (a taken time, a bad contact, an order not waiting for its
    measurement) is shown on the form with the staff's input kept; ``save_model`` only
    takes the appointment made."""

    #: Who books (the admin sets it for each request).
    actor = None

    starts_at = SlotField(
        label=_("starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("On the site's clock, on a slot boundary."),
    )
    contact_method = forms.ChoiceField(label=_("contact method"))
    order = forms.IntegerField(
        label=_("order"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("Key of the customer's order waiting for its measurement (istok_orders)."),
    )

    class Meta:
        model = Appointment
        fields = [
            "customer",
            "kind",
            "starts_at",
            "designer",
            "purpose",
            "consultation_wanted",
            "contact_method",
            "contact_value",
            "address",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_method"].choices = contact_method_choices()
        self.fields["contact_value"].required = False
        self.fields["contact_value"].help_text = _(
            "Empty for a call: the phone of the customer's profile."
        )
        self.fields["customer"].required = True
        self.booked = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.booked = services.book(
                kind=data["kind"],
                starts_at=data["starts_at"],
                purpose=data.get("purpose"),
                customer=data["customer"],
                contact_method=data["contact_method"],
                contact_value=data.get("contact_value", ""),
                consultation_wanted=data.get("consultation_wanted", False),
                notes=data.get("notes", ""),
                address=data.get("address", ""),
                designer=data.get("designer"),
                order=data.get("order"),
                actor=self.actor,
            )
        except ValidationError as exc:
            self.add_service_error(exc)
        except TryAgain as exc:
            self.add_error(None, str(exc.message))
        return data

    def _post_clean(self):
        # The service has checked and created the appointment; the model's own
        # validation would ask for what the service fills in (the end, the contact).
        pass


def _refused(exc):
    if isinstance(exc, TryAgain):
        return str(exc.message)
    if isinstance(exc, PermissionDenied):
        return str(exc) or str(_("You may not do this."))
    return " ".join(exc.messages)


#: The appointment actions, by name: (service, label, the status it leads to).
ACTIONS = {
    "confirm": (services.confirm, _("Confirm"), Appointment.Status.CONFIRMED),
    "complete": (services.complete, _("Completed"), Appointment.Status.COMPLETED),
    "no_show": (services.mark_no_show, _("No-show"), Appointment.Status.NO_SHOW),
    "cancel": (services.cancel, _("Cancel the visit"), Appointment.Status.CANCELLED),
}


def run_action(name, appointment, actor):
    """Run the service of action ``name`` on ``appointment``; the refusal's text or
    ``None``."""
    service = ACTIONS[name][0]
    try:
        service(appointment, actor=actor)
    except (ValidationError, PermissionDenied, TryAgain) as exc:
        return _refused(exc)
    return None


def actions_for(appointment, now=None):
    """The names of the actions that may be taken on ``appointment`` now."""
    now = now or timezone.now()
    names = []
    for name, (_service, _label, status) in ACTIONS.items():
        if not appointment.can_move_to(status):
            continue
        if name == "no_show" and appointment.starts_at > now:
            continue
        names.append(name)
    return names


def selected_action(name, description, done):
    """An admin action running the service of action ``name`` on each selected
    appointment; ``done(count)`` words the success message."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        modeladmin.run_selected(request, queryset, name, done)

    action.__name__ = f"{name}_selected"
    return action


@admin.register(Appointment)
class AppointmentAdmin(LabelledWidgetsMixin, admin.ModelAdmin):
    list_display = [
        "starts_at",
        "kind",
        "who",
        "contact",
        "status",
        "designer",
        "purpose",
        "order_number",
    ]
    list_select_related = ["kind", "purpose", "designer__user", "customer", "contact_network"]
    list_filter = ["status", "kind", "designer", "purpose", "starts_at"]
    date_hierarchy = "starts_at"
    search_fields = [
        "guest_name",
        "guest_phone",
        "guest_email",
        "contact_value",
        "order_number",
        "customer__email",
        "customer__first_name",
        "customer__last_name",
    ]
    actions = ["confirm_selected", "complete_selected", "no_show_selected", "cancel_selected"]
    inlines = [EventInline]
    raw_id_fields = ["customer"]
    readonly_fields = [
        "status",
        "kind",
        "starts_at",
        "ends_at",
        "designer",
        "who",
        "contact",
        "purpose",
        "consultation_wanted",
        "address",
        "notes",
        "needs_confirmation",
        "order_number",
        "cancelled_by",
        "cancelled_by_customer",
        "cancel_reason",
        "reminder_sent_at",
        "uid",
        "sequence",
        "created",
        "modified",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AppointmentAddForm
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user  # a class made for this request
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*AppointmentAddForm._meta.fields, "order"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # The history is kept: cancel instead.
        return False

    @admin.display(description=_("customer"))
    def who(self, appointment):
        if appointment.customer_id:
            return appointment.contact_name
        return _("%(name)s (guest)") % {"name": appointment.guest_name}

    @admin.display(description=_("contact"))
    def contact(self, appointment):
        if appointment.contact_network_id:
            return f"{appointment.contact_network.translated.name}: {appointment.contact_value}"
        return format_phone(appointment.contact_value)

    # Writing through the services -----------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id is not None:
            # Nothing here is changed by saving: the actions change an appointment.
            extra_context.update(
                show_save=False, show_save_and_continue=False, show_save_and_add_another=False
            )
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, TryAgain) as exc:
            self.message_user(request, _refused(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        # A new visit was booked when its form was cleaned (AppointmentAddForm.clean).
        if not change:
            obj.pk = form.booked.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass

    def run_selected(self, request, queryset, name, done):
        moved, refused = 0, []
        for appointment in queryset.select_related("kind"):
            problem = run_action(name, appointment, request.user)
            if problem:
                refused.append(f"{appointment}: {problem}")
            else:
                moved += 1
        if moved:
            self.message_user(request, done(moved) % {"count": moved}, messages.SUCCESS)
        for problem in refused:
            self.message_user(request, problem, messages.ERROR)

    confirm_selected = selected_action(
        "confirm",
        _("Confirm the selected requests"),
        lambda n: ngettext("%(count)d visit confirmed.", "%(count)d visits confirmed.", n),
    )
    complete_selected = selected_action(
        "complete",
        _("Mark the selected visits as completed"),
        lambda n: ngettext("%(count)d visit completed.", "%(count)d visits completed.", n),
    )
    no_show_selected = selected_action(
        "no_show",
        _("Mark the selected visits as no-shows"),
        lambda n: ngettext(
            "%(count)d visit marked as a no-show.", "%(count)d visits marked as no-shows.", n
        ),
    )
    cancel_selected = selected_action(
        "cancel",
        _("Cancel the selected visits"),
        lambda n: ngettext("%(count)d visit cancelled.", "%(count)d visits cancelled.", n),
    )

    # The staff calendar ---------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="istok_booking_appointment_calendar",
            ),
            path(
                "calendar/<int:pk>/<str:action>/",
                self.admin_site.admin_view(self.calendar_action_view),
                name="istok_booking_appointment_calendar_action",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "calendar_url": reverse("admin:istok_booking_appointment_calendar"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def calendar_view(self, request):
        """A day (by designer) or a week (by day) of appointments."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = CalendarForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        week = (data.get("view") or "week") == "week"
        day = data.get("date") or timezone.localdate()
        designer = data.get("designer")
        start = day - timedelta(days=day.weekday()) if week else day
        end = start + timedelta(days=6 if week else 0)
        days = selectors.calendar_for(
            start, end, designer=designer, include_cancelled=bool(data.get("cancelled"))
        )
        step = timedelta(days=7 if week else 1)
        designers = list(Designer.objects.filter(is_active=True).select_related("user"))
        now = timezone.now()
        for calendar_day in days:
            for appointment in calendar_day.appointments:
                appointment.calendar_actions = [
                    (name, ACTIONS[name][1]) for name in actions_for(appointment, now)
                ]
        columns = None
        if not week:
            shown = [designer] if designer else designers
            columns = [
                (str(person), [a for a in days[0].appointments if a.designer_id == person.pk])
                for person in shown
            ]
            unassigned = [a for a in days[0].appointments if a.designer_id is None]
            if unassigned or not shown:
                columns.append((_("Without a designer"), unassigned))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Calendar of appointments"),
            "opts": self.model._meta,
            "form": form,
            "week": week,
            "days": days,
            "columns": columns,
            "start": start,
            "end": end,
            "previous_date": (start - step).isoformat(),
            "next_date": (start + step).isoformat(),
            "today": timezone.localdate().isoformat(),
            "may_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/istok_booking/appointment/calendar.html", context)

    def calendar_action_view(self, request, pk, action):
        """A button of the calendar: the action's service, then back to the calendar."""
        if request.method != "POST" or action not in ACTIONS:
            raise PermissionDenied
        if not self.has_change_permission(request):
            raise PermissionDenied
        appointment = get_object_or_404(Appointment.objects.select_related("kind"), pk=pk)
        problem = run_action(action, appointment, request.user)
        if problem:
            self.message_user(request, f"{appointment}: {problem}", messages.ERROR)
        else:
            appointment.refresh_from_db()
            self.message_user(
                request,
                _("%(appointment)s: %(status)s.")
                % {"appointment": appointment, "status": appointment.get_status_display()},
                messages.SUCCESS,
            )
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("admin:istok_booking_appointment_calendar")
        return HttpResponseRedirect(back)


class CalendarForm(forms.Form):
    """The calendar's choices, from the address: day or week, the date, the designer."""

    view = forms.ChoiceField(
        label=_("show"),
        choices=[("week", _("Week")), ("day", _("Day"))],
        required=False,
    )
    date = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    designer = forms.ModelChoiceField(
        label=_("designer"),
        queryset=Designer.objects.select_related("user"),
        required=False,
        empty_label=_("All designers"),
    )
    cancelled = forms.BooleanField(label=_("with cancelled"), required=False)

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value is not None and not date(1970, 1, 1) <= value <= date(9000, 1, 1):
            raise ValidationError(_("Enter a valid date."))
        return value
