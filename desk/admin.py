from auditlog.models import LogEntry as AuditLogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps as django_apps
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import DateField, Max, Min
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from desk import finder, registry, services, sms
from desk.jalali import (
    format_jalali_date,
    format_jalali_datetime,
    format_jalali_long,
    jalali_year_bounds,
    parse_jalali_date,
    to_jalali,
)
from desk.models import Department, Holiday, SiteProfile, SmsMessage, TrackingCode
from desk.sms import errors as sms_errors
from desk.text import (
    LocalNumber,
    is_ascii_number,
    local_digits,
    mask_mobile,
    normalize_search,
    to_persian_digits,
)
from desk.widgets import JalaliDateInput


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "working_hours", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description", "location"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_active"]}),
        (_("Contact directory"), {"fields": ["location", "working_hours"]}),
        (None, {"fields": ["staff"]}),
    ]


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["municipality_name", "officer_name", "officer_role", "urgent_phone"]

    @admin.display(description=_("desk officer"))
    def officer_name(self, profile):
        return profile.officer_name

    def has_add_permission(self, request):
        # One profile per portal: the footer and the home page read the first row.
        return not SiteProfile.objects.exists()


class TrackingKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.name, kind.label) for kind in registry.case_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(TrackingCode)
class TrackingCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "kind_label", "issued_at"]
    list_filter = [TrackingKindFilter]
    search_fields = ["code"]
    fields = ["code", "kind_label", "issued_at"]
    readonly_fields = fields

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, tracking_code):
        kind = registry.case_kind_named(tracking_code.kind)
        return kind.label if kind else tracking_code.kind

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JalaliDateField(forms.DateField):
    """A date typed and shown in Jalali (1405/01/12), stored as the Gregorian date; typed in
    any digits or picked from the calendar (desk.widgets.JalaliDateInput)."""

    widget = JalaliDateInput

    def __init__(self, **kwargs):
        # A model's date field without help text of its own (JalaliDatesMixin) still says how.
        kwargs["help_text"] = kwargs.get("help_text") or _("Jalali, e.g. 1405/01/12.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return format_jalali_date(value) if hasattr(value, "isoformat") else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_jalali_date(str(value))
        except ValueError:
            raise forms.ValidationError(
                _("Enter a Jalali date such as 1405/01/12."), code="invalid"
            ) from None


class JalaliDatesMixin:
    """For a ModelAdmin or an inline: the model's date fields in Jalali with the picker,
    instead of Django's Gregorian calendar. A class that sets its own formfield_overrides
    must include these."""

    formfield_overrides = {DateField: {"form_class": JalaliDateField, "widget": JalaliDateInput}}


class HolidayForm(forms.ModelForm):
    date = JalaliDateField(label=_("date"), help_text=_("Jalali, e.g. 1405/01/12."))

    class Meta:
        model = Holiday
        fields = ["date", "title", "is_active"]


class JalaliYearFilter(admin.SimpleListFilter):
    title = _("Jalali year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = Holiday.objects.aggregate(first=Min("date"), last=Max("date"))
        if span["first"] is None:
            return []
        years = range(to_jalali(span["last"]).year, to_jalali(span["first"]).year - 1, -1)
        return [(str(year), to_persian_digits(year)) for year in years]

    def queryset(self, request, queryset):
        if not is_ascii_number(self.value() or ""):
            return queryset
        return queryset.filter(date__range=jalali_year_bounds(int(self.value())))


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    form = HolidayForm
    list_display = ["jalali_date", "title_shown", "source", "is_active"]
    list_display_links = ["jalali_date", "title_shown"]
    list_editable = ["is_active"]
    list_filter = [JalaliYearFilter, "source", "is_active"]
    search_fields = ["title"]
    readonly_fields = ["source"]

    @admin.display(description=_("title"), ordering="title")
    def title_shown(self, holiday):
        return local_digits(holiday.title)

    @admin.display(description=_("date"), ordering="date")
    def jalali_date(self, holiday):
        return format_jalali_long(holiday.date)

    def save_model(self, request, obj, form, change):
        # A holiday the staff touched is theirs: load_holidays never changes it again.
        if not change or form.has_changed():
            obj.source = Holiday.Source.STAFF
        super().save_model(request, obj, form, change)


class SmsKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(registry.sms_kinds().items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """The SMS log: read-only, because only the outbox worker moves a message on; a failed
    one can be queued again with the "retry" action."""

    list_display = ["receiver", "kind_label", "case", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", SmsKindFilter]
    search_fields = ["receiver", "tracking_code"]
    fields = [
        "receiver",
        "kind_label",
        "tracking_code",
        "text",
        "status",
        "attempts",
        "failure",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.has_perm("desk.change_smsmessage"):
            return fields
        return ["receiver_masked" if f == "receiver" else f for f in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "receiver_masked"]

    @admin.display(description=_("receiver"))
    def receiver_masked(self, message):
        return local_digits(mask_mobile(message.receiver))

    @admin.display(description=_("last error"))
    def failure(self, message):
        return sms_errors.explain(message.last_error) or "—"

    actions = ["retry_failed"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, message):
        return registry.sms_kind_label(message.kind)

    @admin.display(description=_("case"), ordering="tracking_code")
    def case(self, message):
        """The case's code; get_list_display links it for staff who may see the case."""
        return local_digits(message.tracking_code) if message.tracking_code else "—"

    def get_list_display(self, request):
        # The case column links only for staff who may see that kind of case: bound to this
        # request's user (the admin object is shared by every request).
        @admin.display(description=_("case"), ordering="tracking_code")
        def case(message):
            if not message.tracking_code:
                return "—"
            kind = registry.case_kind_for(message.tracking_code)
            shown = local_digits(message.tracking_code)
            if kind and kind.staff_url and request.user.has_perm(kind.view_permission):
                return format_html(
                    '<a href="{}">{}</a>', kind.staff_url(message.tracking_code), shown
                )
            return shown

        # The number an SMS went to, whole for staff who may resend it, else masked.
        @admin.display(description=_("receiver"), ordering="receiver")
        def receiver(message):
            if request.user.has_perm("desk.change_smsmessage"):
                return local_digits(message.receiver)
            return local_digits(mask_mobile(message.receiver))

        columns = {"case": case, "receiver": receiver}
        return [columns.get(name, name) for name in super().get_list_display(request)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("desk.change_smsmessage")

    def get_search_results(self, request, queryset, search_term):
        # A mobile typed as +98 912…, ۰۹۱۲… or 0912-… finds the messages sent to it.
        return super().get_search_results(request, queryset, normalize_search(search_term))

    @admin.action(description=_("Retry the selected failed messages"), permissions=["retry"])
    def retry_failed(self, request, queryset):
        failed = queryset.filter(status=SmsMessage.Status.FAILED).values_list("pk", flat=True)
        count = sum(sms.retry_message(pk) for pk in failed)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# --- the case finder: one search box on every back-office page ------------------------------


def _with_case_finder(site_urls):
    """The admin site's URLs with /admin/desk/find/ first: the header's search box
    (desk/finder.py), behind the site's own login and staff check."""

    def get_urls():
        find = admin.site.admin_view(lambda request: finder.find_view(request, admin.site))
        return [path("desk/find/", find, name="desk_find"), *site_urls()]

    return get_urls


admin.site.get_urls = _with_case_finder(admin.site.get_urls)


# --- the audit record of the reference tables (django-auditlog) --------------------------------

admin.site.unregister(AuditLogEntry)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Who changed which reference row (a unit, a category, a card, a user's groups…), when,
    and each field's old and new value: read-only, in Persian, Jalali times."""

    list_display = ["when", "who", "what", "row", "action", "summary"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "actor__username", "actor__first_name", "actor__last_name"]
    fields = ["when", "who", "what", "row", "action", "changes_shown"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("at"), ordering="timestamp")
    def when(self, entry):
        return format_jalali_datetime(entry.timestamp)

    @admin.display(description=_("by"), ordering="actor")
    def who(self, entry):
        if entry.actor is None:
            return "—"
        return entry.actor.get_full_name() or entry.actor.get_username()

    @admin.display(description=_("table"), ordering="content_type")
    def what(self, entry):
        model = entry.content_type.model_class() if entry.content_type_id else None
        return model._meta.verbose_name if model else entry.content_type

    @admin.display(description=_("row"), ordering="object_repr")
    def row(self, entry):
        return entry.object_repr

    @admin.display(description=_("changes"))
    def summary(self, entry):
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in _lines(entry)[:3]))

    @admin.display(description=_("changes"))
    def changes_shown(self, entry):
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in _lines(entry)))


def _lines(entry) -> list[str]:
    """Each changed field as «label: old ← new», values in the reader's digits."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    # The row's own fields (not the id, nor the rows of other tables pointing at it).
    shown = {
        str(field.verbose_name)
        for field in (model._meta.get_fields() if model else [])
        if (field.concrete or field.many_to_many)
        and not field.auto_created
        and field.name not in ("id", "slug")
    }
    lines = []
    for label, values in (entry.changes_display_dict or {}).items():
        if model is not None and str(label) not in shown:
            continue
        old, new = [*values, "", ""][:2]
        lines.append(f"{label}: {_audit_value(old)} ← {_audit_value(new)}")
    return lines


def _audit_value(value) -> str:
    """A value as auditlog stored it (a string), as staff read it."""
    said = {"None": "—", "": "—", "True": gettext("yes"), "False": gettext("no")}
    return said.get(str(value)) or local_digits(value)


# --- permissions named in Persian (roles are edited as groups) ---------------------------------

PERMISSION_ACTIONS = {
    "add": _("add"),
    "change": _("change"),
    "delete": _("delete"),
    "view": _("view"),
}


def permission_label(permission: Permission) -> str:
    """«شکایات | شکایت، انتقاد یا پیشنهاد | ویرایش»: the app, the model and the action in the
    reader's language (a permission's stored name is Django's English)."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    try:
        app = django_apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:
        app = content_type.app_label
    if model is None:
        return f"{app} | {gettext(permission.name)}"
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        said = PERMISSION_ACTIONS[action]
    else:
        said = gettext(permission.name)
    return f"{app} | {model._meta.verbose_name} | {said}"


class PersianPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class GroupAdmin(PersianPermissionsMixin, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(PersianPermissionsMixin, BaseUserAdmin):
    # Recorded by Django, shown in Jalali: not dates anyone types (Django's Gregorian picker).
    readonly_fields = ["last_login", "date_joined"]


# --- background tasks, named for the clerk ------------------------------------------------------

TASK_NAMES = {"send_sms": _("send an SMS")}

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ["task", "status", "enqueued_at", "finished_at"]
    list_filter = ["status"]

    @admin.display(description=_("task"), ordering="task_path")
    def task(self, result):
        name = result.task_path.rpartition(".")[2]
        return TASK_NAMES.get(name, name)


# --- login lock-outs (django-axes), read in Persian ----------------------------------------------


class LoginRecordAdmin(admin.ModelAdmin):
    """A read-only list of one of django-axes' records: who, from where, when (Jalali);
    the rows have no page of their own (their names are the library's English)."""

    list_display_links = None
    actions = None
    search_fields = ["username", "ip_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)

    @admin.display(description=_("at"), ordering="attempt_time")
    def at(self, record):
        return format_jalali_datetime(record.attempt_time)

    @admin.display(description=_("address"), ordering="ip_address")
    def address(self, record):
        return local_digits(record.ip_address or "—")


for axes_model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(axes_model):
        admin.site.unregister(axes_model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(LoginRecordAdmin):
    list_display = ["username", "address", "failures", "at"]

    @admin.display(description=_("failed logins"), ordering="failures_since_start")
    def failures(self, attempt):
        return local_digits(attempt.failures_since_start)

    actions = ["unlock"]

    def has_delete_permission(self, request, obj=None):
        # Deleting an attempt lifts its lock: the administrator's way to let someone in.
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # LoginRecordAdmin turns actions off for the logs; the attempts keep "unlock" only.
        actions = admin.ModelAdmin.get_actions(self, request)
        return {name: action for name, action in actions.items() if name == "unlock"}

    @admin.action(description=_("Let them log in again (lift the lock)"), permissions=["delete"])
    def unlock(self, request, queryset):
        lifted = services.unlock_logins(queryset, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)s lock was lifted; they may log in again now.",
                "%(count)s locks were lifted; they may log in again now.",
                lifted,
            )
            % {"count": LocalNumber(lifted)},
            messages.SUCCESS,
        )


@admin.register(AccessLog)
class AccessLogAdmin(LoginRecordAdmin):
    list_display = ["username", "address", "at", "left"]

    @admin.display(description=_("logged out at"), ordering="logout_time")
    def left(self, record):
        return format_jalali_datetime(record.logout_time) if record.logout_time else "—"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(LoginRecordAdmin):
    list_display = ["username", "address", "at", "locked_out"]

    def has_delete_permission(self, request, obj=None):
        return False
