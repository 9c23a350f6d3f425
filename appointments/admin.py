"""The mayor's office back office: hosts, sessions with their free places and printable
agenda, the booking window, and the requests, changed only through one form per decision."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from appointments import services
from appointments.admin_forms import STEP_FORMS, MeetingRequestAddForm, MeetingSessionForm
from appointments.models import (
    HOLDS_PLACE,
    PENDING_TOO_LONG,
    BookingWindow,
    Host,
    MeetingRequest,
    MeetingRequestEvent,
    MeetingSession,
    ReplyTemplate,
    Status,
    clock,
)
from desk.cases.admin import (
    CaseEventInline,
    CaseStepsAdmin,
    FiledBetweenFilter,
    JalaliDateRangeFilter,
    WalkInAddMixin,
)
from desk.cases.admin import ReplyTemplateAdmin as BaseReplyTemplateAdmin
from desk.jalali import format_jalali_datetime, format_jalali_long
from desk.text import local_digits, to_persian_digits


@admin.register(Host)
class HostAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "title"]


@admin.register(BookingWindow)
class BookingWindowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "open_days_ahead", "close_hours_before"]

    def has_add_permission(self, request):
        # One row: the booking rules read the first.
        return not BookingWindow.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class SessionDateFilter(JalaliDateRangeFilter):
    title = _("session date")
    field = "date"
    parameters = ("date_from", "date_to")
    is_datetime = False


@admin.register(MeetingSession)
class MeetingSessionAdmin(admin.ModelAdmin):
    form = MeetingSessionForm
    list_display = [
        "jalali_date",
        "hours",
        "host",
        "place",
        "places",
        "minutes",
        "free",
        "is_published",
        "agenda",
    ]
    list_filter = [SessionDateFilter, "host", "is_published"]
    list_select_related = ["host"]
    ordering = ["-date", "-start_time"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_taken()

    @admin.display(description=_("date"), ordering="date")
    def jalali_date(self, session):
        return format_jalali_long(session.date)

    @admin.display(description=_("hours"))
    def hours(self, session):
        return session.hours

    @admin.display(description=_("capacity"), ordering="capacity")
    def places(self, session):
        return to_persian_digits(session.capacity)

    @admin.display(description=_("minutes per meeting"), ordering="slot_minutes")
    def minutes(self, session):
        return to_persian_digits(session.slot_minutes)

    @admin.display(description=_("free places"), ordering="taken")
    def free(self, session):
        return to_persian_digits(session.free_places)

    @admin.display(description=_("agenda"))
    def agenda(self, session):
        url = reverse("admin:appointments_meetingsession_agenda", args=[session.pk])
        return format_html('<a href="{}">{}</a>', url, _("print"))

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/agenda/",
                self.admin_site.admin_view(self.agenda_view),
                name="appointments_meetingsession_agenda",
            )
        ]
        return own + super().get_urls()

    def agenda_view(self, request, object_id):
        """The printable agenda of a session: who comes when, about what, with which code."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        session = get_object_or_404(MeetingSession.objects.select_related("host"), pk=object_id)
        # Each citizen at their own time; a pending request (no time yet) comes last.
        meetings = session.requests.filter(status__in=HOLDS_PLACE).order_by(
            F("meeting_time").asc(nulls_last=True), "created_at"
        )
        context = {
            **self.admin_site.each_context(request),
            "session": session,
            "meetings": meetings,
            "free_times": [clock(moment) for moment in session.free_times()],
            "title": _("Agenda"),
        }
        return render(request, "admin/appointments/agenda.html", context)


class MeetingRequestEventInline(CaseEventInline):
    model = MeetingRequestEvent
    flow = services.FLOW
    statuses = Status
    view_permission = "appointments.view_meetingrequest"


class RequestSessionDateFilter(JalaliDateRangeFilter):
    title = _("session date")
    field = "session__date"
    parameters = ("session_from", "session_to")
    is_datetime = False


class MeetingDayFilter(admin.SimpleListFilter):
    """The approved meetings of today's or tomorrow's sessions: the desk's day."""

    title = _("approved meetings")
    parameter_name = "meeting"

    def lookups(self, request, model_admin):
        return [("today", _("today")), ("tomorrow", _("tomorrow"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        days = {"today": today, "tomorrow": today + timedelta(days=1)}
        day = days.get(self.value() or "")
        return queryset.meetings_on(day) if day else queryset


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting for a decision")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            (
                "long",
                _("more than %(days)s days") % {"days": local_digits(PENDING_TOO_LONG.days)},
            )
        ]

    def queryset(self, request, queryset):
        return queryset.waiting_too_long() if self.value() == "long" else queryset


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(BaseReplyTemplateAdmin):
    pass


@admin.register(MeetingRequest)
class MeetingRequestAdmin(WalkInAddMixin, CaseStepsAdmin):
    step_forms = STEP_FORMS
    reply_template_model = ReplyTemplate
    add_form = MeetingRequestAddForm
    list_display = [
        "tracking_code",
        "citizen_name",
        "subject",
        "host",
        "status",
        "meeting",
        "filed",
    ]
    list_select_related = ["host", "session"]
    list_filter = [
        "status",
        MeetingDayFilter,
        WaitingFilter,
        RequestSessionDateFilter,
        FiledBetweenFilter,
        "host",
        "channel",
    ]
    search_fields = ["tracking_code", "mobile", "national_code", "citizen_name", "subject"]

    def get_queryset(self, request):
        # The mayor's office and the desk see every request; a unit's staff, those sent on to
        # their unit.
        return super().get_queryset(request).for_staff(request.user)

    fieldsets = [
        (
            None,
            {"fields": ["tracking_code", "status", "host", "subject", "description", "channel"]},
        ),
        (_("Citizen"), {"fields": ["citizen_name", "mobile", "national_code"]}),
        (
            _("Decision"),
            {
                "fields": [
                    "preferred_session",
                    "session",
                    "meeting_time",
                    "referred_to_host",
                    "referred_to_department",
                    "decline_reason",
                    "cancel_reason",
                    "outcome",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (_("Citizen"), {"fields": ["citizen_name", "mobile", "national_code", "channel"]}),
        (
            _("Request"),
            {"fields": ["host", "session", "subject", "description", "submission_key"]},
        ),
    ]
    inlines = [MeetingRequestEventInline]

    @admin.display(description=_("meeting"), ordering="session__date")
    def meeting(self, meeting):
        return format_jalali_datetime(meeting.meeting_at)

    @admin.display(description=_("filed"), ordering="created_at")
    def filed(self, meeting):
        return format_jalali_datetime(meeting.created_at)
