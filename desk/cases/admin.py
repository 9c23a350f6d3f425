"""Back-office machinery every case app shares: one form per allowed transition posting to
its own URL and calling the service, registering a walk-in or phone case through the same
service as the web, the read-only timeline inline, and a Jalali date-range list filter.
Complaints and meeting requests subclass these; `desk` imports no app."""

from datetime import timedelta
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from desk import sms
from desk.cases import receipts
from desk.cases.forms import submission_key_field
from desk.cases.models import Channel, Flow, IllegalTransition, Transition
from desk.cases.services import add_internal_note
from desk.jalali import format_jalali_datetime, local_midnight, parse_jalali_date
from desk.models import SmsMessage
from desk.sms import errors as sms_errors
from desk.text import (
    file_size,
    local_digits,
    mask_mobile,
    normalize_mobile,
    normalize_national_code,
    normalize_search,
    require_text,
)
from desk.uploads import private_file_response


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 60})


class StepForm(forms.Form):
    """A transition staff can take from a case's change page. Subclasses name the service's
    `transition` (to know when it is allowed) and call the service in `perform`."""

    transition: ClassVar[Transition]
    title: ClassVar[Any]
    done_message: ClassVar[Any]
    # The field a reply template of this step's action fills (None: the step takes none).
    text_field: ClassVar[str | None] = None

    def __init__(self, *args: Any, case: Any, user: Any, **kwargs: Any):
        self.case, self.user = case, user
        kwargs.setdefault("prefix", self.action())
        super().__init__(*args, **kwargs)

    @classmethod
    def action(cls) -> str:
        return cls.transition.action

    @classmethod
    def allowed_for(cls, case: Any) -> bool:
        return cls.transition.allowed_from(case.status)

    def perform(self) -> Any:
        raise NotImplementedError

    def with_template(self, template: Any) -> "StepForm":
        if self.text_field:
            self.initial[self.text_field] = template.text
        return self


class InternalNoteForm(StepForm):
    """A note only staff read, on any kind of case's timeline. Subclasses name the app's
    `transition` (its internal-note move)."""

    title = _("Internal note")
    done_message = _("The note was added to the timeline.")

    note = forms.CharField(
        label=_("note"),
        widget=textarea(),
        help_text=_("Seen by staff only; the citizen is not told."),
    )

    def perform(self) -> Any:
        with transaction.atomic():
            return add_internal_note(
                self.case,
                transition=self.transition,
                actor=self.user,
                note=self.cleaned_data["note"],
            )


class CorrectDetailsForm(StepForm):
    """Fix what was mistyped at filing: the citizen's name, mobile and national code, and
    the app's own `model_fields` (a complaint's category…), filled with today's values.
    Subclasses name the `transition` and call the app's service in `perform` with
    `changes()`."""

    model_fields: ClassVar[list[str]] = []
    title = _("Correct the details")
    done_message = _("The details were corrected; the timeline keeps the old values.")

    citizen_name = forms.CharField(label=_("full name"), max_length=120)
    mobile = forms.CharField(
        label=_("mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        help_text=_("Later SMS go to this number."),
    )
    national_code = forms.CharField(
        label=_("national code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        case = self.case
        self.fields.update(forms.fields_for_model(type(case), fields=self.model_fields))
        for name in ("citizen_name", "mobile", "national_code", *self.model_fields):
            value = getattr(case, f"{name}_id", None) if name in self.model_fields else None
            self.initial.setdefault(name, value if value is not None else getattr(case, name))

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_national_code(self) -> str:
        value = self.cleaned_data["national_code"]
        return normalize_national_code(value) if value else ""

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("citizen_name", "mobile", "national_code", *self.model_fields)
        }


def not_possible_message(form_class: type[StepForm], case: Any) -> str:
    return gettext("“%(action)s” is not possible while the case is “%(status)s”.") % {
        "action": form_class.title,
        "status": case.get_status_display(),
    }


class ReplyTemplateAdmin(admin.ModelAdmin):
    """The list of an app's reply templates."""

    list_display = ["title", "use", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["use", "is_active"]
    search_fields = ["title", "text"]


class CaseStepsAdmin(admin.ModelAdmin):
    """A case admin whose change page is read-only and offers the `step_forms` allowed from
    the case's status; each posts to `<pk>/do/<action>/`, which validates, calls the
    service and reports. `get_queryset` decides what a staff member may see."""

    step_forms: ClassVar[dict[str, type[StepForm]]] = {}
    # The app's reply templates (a desk.cases.models.ReplyTemplate), offered in the steps.
    reply_template_model: ClassVar[Any] = None
    change_form_template = "admin/desk/case_change_form.html"
    change_list_template = "admin/desk/case_change_list.html"

    def has_change_permission(self, request, obj=None):
        # A case changes only through the step forms, so its main form is read-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # A case and its timeline are the record of what the municipality did.
        return False

    def changelist_view(self, request, extra_context=None):
        # Above the list: how many of the cases one may see are past their deadline, for
        # a case app whose queryset knows `overdue()`.
        cases = self.get_queryset(request)
        if hasattr(cases, "overdue"):
            extra_context = {"overdue_count": cases.overdue().count(), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def may_act(self, request) -> bool:
        return super().has_change_permission(request)

    # --- what a read-only role sees of the citizen ---------------------------------------------

    MASKED = {"mobile": "mobile_masked", "national_code": "national_code_masked"}

    def get_fieldsets(self, request, obj=None):
        """Staff who may only read cases (a manager) see the citizen's mobile and national
        code masked: enough to tell two citizens apart, not to call one."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.may_act(request):
            return fieldsets
        return [
            (name, {**options, "fields": [self.MASKED.get(f, f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.MASKED.values()]

    @admin.display(description=_("mobile number"))
    def mobile_masked(self, case):
        return local_digits(case.masked_mobile)

    @admin.display(description=_("national code"))
    def national_code_masked(self, case):
        code = case.national_code
        return local_digits(f"{code[:3]}*****{code[-2:]}") if code else "—"

    def get_object(self, request, object_id, from_field=None):
        # Staff without the permission learn nothing, not even whether a case exists (a
        # 403 before the look-up); a case one may not see does not exist: 404.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        case = super().get_object(request, object_id, from_field)
        if case is None:
            raise Http404
        return case

    def _get_case_for_user(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def case_steps(self, request, case) -> list[dict]:
        """The step forms allowed from the case's status, each with the reply templates of
        its action; `?reply_template=<id>` fills the form the template is for (without
        JavaScript: with it, the template's text is added to what was typed)."""
        templates = self.reply_templates_for(case)
        chosen = request.GET.get("reply_template", "")
        steps = []
        for form_class in self.step_forms.values():
            if not form_class.allowed_for(case):
                continue
            form = form_class(case=case, user=request.user)
            offered = [t for t in templates if form.text_field and t.use == form.action()]
            picked = next((t for t in offered if str(t.pk) == chosen), None)
            if picked:
                form.with_template(picked)
            steps.append({"form": form, "templates": offered, "picked": picked})
        return steps

    def reply_templates_for(self, case) -> list:
        model = self.reply_template_model
        return list(model.offered_for(case)) if model else []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["receipt_url"] = self._receipt_url(obj.pk)
            context["case_sms"] = self.case_sms(request, obj)
        if obj is not None and self.may_act(request):
            steps = self.case_steps(request, obj)
            for step in steps:
                step["url"] = self._transition_url(obj.pk, step["form"].action())
            context["steps"] = steps
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_search_results(self, request, queryset, search_term):
        # Codes, mobiles and national codes typed in any digits and spacing, words with
        # Arabic or Persian letters: all in the stored spelling.
        return super().get_search_results(request, queryset, normalize_search(search_term))

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/do/<slug:action>/",
                self.admin_site.admin_view(require_POST(self.transition_view)),
                name=f"{self._url_prefix()}_transition",
            ),
            path(
                "<int:object_id>/sms/<int:sms_id>/resend/",
                self.admin_site.admin_view(require_POST(self.resend_sms_view)),
                name=f"{self._url_prefix()}_resend_sms",
            ),
            path(
                "<int:object_id>/receipt/",
                self.admin_site.admin_view(self.receipt_view),
                name=f"{self._url_prefix()}_receipt",
            ),
            path(
                "<int:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name=f"{self._url_prefix()}_attachment",
            ),
        ]
        return own + super().get_urls()

    def case_sms(self, request, case) -> list[dict]:
        """The case's SMS, oldest first, each with its status, attempts, the reason of a
        failure in Persian, and a resend link for a failed one (for staff who may resend)."""
        may_resend = request.user.has_perm("desk.change_smsmessage")
        whole = self.may_act(request)
        return [
            {
                "message": message,
                "receiver": local_digits(
                    message.receiver if whole else mask_mobile(message.receiver)
                ),
                "error": sms_errors.explain(message.last_error),
                "resend_url": reverse(
                    f"admin:{self._url_prefix()}_resend_sms", args=[case.pk, message.pk]
                )
                if may_resend and message.status == SmsMessage.Status.FAILED
                else "",
            }
            for message in SmsMessage.objects.filter(tracking_code=case.tracking_code).order_by(
                "created_at", "pk"
            )
        ]

    def resend_sms_view(self, request, object_id, sms_id):
        """Queue a failed SMS of this case again (to the case's number as it is now: a
        corrected mobile gets it)."""
        case = self._get_case_for_user(request, object_id)
        if not request.user.has_perm("desk.change_smsmessage"):
            raise PermissionDenied
        message = get_object_or_404(SmsMessage, pk=sms_id, tracking_code=case.tracking_code)
        if sms.retry_message(message.pk, receiver=case.mobile):
            messages.success(request, gettext("The SMS was queued to be sent again."))
        else:
            messages.error(request, gettext("Only an SMS that failed can be sent again."))
        return HttpResponseRedirect(self._change_url(case.pk) + "#case-sms")

    def receipt_view(self, request, object_id):
        """The receipt a walk-in client takes home (A5, or `?layout=thermal` for an 80 mm
        roll): the code, what happens next, the desk's phone and address, a QR code that
        opens the tracking page. Printed again from the case page at any time."""
        case = self._get_case_for_user(request, object_id)
        return TemplateResponse(
            request,
            "admin/desk/receipt.html",
            receipts.receipt_context(
                case,
                thermal=request.GET.get("layout") == "thermal",
                change_url=self._change_url(case.pk),
                receipt_url=self._receipt_url(case.pk),
            ),
        )

    def attachment_view(self, request, object_id, attachment_id):
        """A file of a case the staff member may see; 404 for any other."""
        case = self._get_case_for_user(request, object_id)
        if not hasattr(case, "attachments"):
            raise Http404
        attachment = get_object_or_404(case.attachments, pk=attachment_id)
        return private_file_response(
            attachment.file,
            content_type=attachment.content_type,
            download_name=attachment.original_name,
        )

    def transition_view(self, request, object_id, action):
        case = self._get_case_for_user(request, object_id)
        form_class = self.step_forms.get(action)
        if form_class is None:
            raise Http404
        if not self.may_act(request):
            raise PermissionDenied
        form = form_class(request.POST, case=case, user=request.user)
        if not form.is_valid():
            messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        else:
            try:
                form.perform()
            except IllegalTransition as error:
                messages.error(request, not_possible_message(form_class, error.case))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, form_class.done_message)
        if not self.get_queryset(request).filter(pk=case.pk).exists():
            # Referred to another unit: out of this clerk's sight now; back to the list.
            return HttpResponseRedirect(reverse(f"admin:{self._url_prefix()}_changelist"))
        return HttpResponseRedirect(self._change_url(case.pk))

    def _url_prefix(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def _transition_url(self, pk, action: str) -> str:
        return reverse(f"admin:{self._url_prefix()}_transition", args=[pk, action])

    def _receipt_url(self, pk) -> str:
        return reverse(f"admin:{self._url_prefix()}_receipt", args=[pk])

    def _change_url(self, pk) -> str:
        return reverse(f"admin:{self._url_prefix()}_change", args=[pk])


class WalkInAddForm(forms.Form):
    """A case a clerk registers for a citizen at the desk or on the phone. Subclasses name
    the `model` and which of its fields to ask (`model_fields`, with the model's labels and
    widgets), declare any other fields, and file the case through the app's service in
    `submit`; the case is never built from the form by hand."""

    model: ClassVar[type[models.Model]]
    model_fields: ClassVar[list[str]] = []

    citizen_name = forms.CharField(label=_("full name"), max_length=120)
    # Longer than the stored forms: clerks type spaces, dashes and Persian digits.
    mobile = forms.CharField(
        label=_("mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    national_code = forms.CharField(
        label=_("national code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(Channel.WALK_IN, Channel.WALK_IN.label), (Channel.PHONE, Channel.PHONE.label)],
        initial=Channel.WALK_IN,
    )
    # A double click or a re-posted form files one case, not two.
    submission_key = submission_key_field(required=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(self.model, fields=self.model_fields))

    def clean_citizen_name(self) -> str:
        return require_text(self.cleaned_data["citizen_name"])

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_national_code(self) -> str:
        value = self.cleaned_data["national_code"]
        return normalize_national_code(value) if value else ""

    def submit(self, *, actor: Any) -> Any:
        raise NotImplementedError


class WalkInAddMixin:
    """The add page of a case admin: a plain form view that validates `add_form`, files the
    case through the form's service call as the signed-in clerk, and lays the form out with
    `add_fieldsets`. What the service refuses (an open request, a full session…) shows on
    the form with everything typed kept; the success message gives the new tracking code."""

    add_form: ClassVar[type[WalkInAddForm]]
    add_fieldsets: ClassVar[list]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.add_form(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                case = form.submit(actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_addition(request, case, [{"added": {}}])
                return self.response_add(request, case)
        admin_form = helpers.AdminForm(form, self.add_fieldsets, {}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add %s") % self.opts.verbose_name,
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, add=True, form_url=form_url)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            gettext("Registered with tracking code %(code)s; the citizen was sent an SMS.")
            % {"code": obj.tracking_code},
            messages.SUCCESS,
        )
        if "_addanother" in request.POST:
            return HttpResponseRedirect(request.path)
        prefix = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        if self.get_queryset(request).filter(pk=obj.pk).exists():
            # The registration ends on the receipt the citizen takes home.
            return HttpResponseRedirect(reverse(f"{prefix}_receipt", args=[obj.pk]))
        return HttpResponseRedirect(reverse(f"{prefix}_changelist"))


class ReadOnlyCaseInline(admin.TabularInline):
    """A part of a case's record on its change page: seen with the case's `view_permission`,
    never added to or changed by hand (only services write it)."""

    view_permission: ClassVar[str]
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.view_permission)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyCaseInline):
    """A case's timeline, read-only, internal notes marked. Subclasses set `model`, `flow`
    (the app's transitions, which name the events) and `statuses` (its TextChoices)."""

    flow: ClassVar[Flow]
    statuses: ClassVar[Any]
    fields = ["when", "who", "what", "change", "note", "visibility"]
    readonly_fields = fields
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("at"))
    def when(self, event):
        return format_jalali_datetime(event.created_at)

    @admin.display(description=_("by"))
    def who(self, event):
        if event.by_citizen:
            return gettext("the citizen")
        if event.actor is None:
            return "—"
        return event.actor.get_full_name() or event.actor.get_username()

    @admin.display(description=_("action"))
    def what(self, event):
        transition = self.flow.get(event.action)
        return transition.staff_label if transition else event.action

    @admin.display(description=_("status"))
    def change(self, event):
        if event.from_status == event.to_status:
            return ""
        labels = [self.statuses(s).label for s in (event.from_status, event.to_status) if s]
        return " ← ".join(str(label) for label in labels)

    @admin.display(description=_("seen by"))
    def visibility(self, event):
        if event.is_public:
            return gettext("citizen and staff")
        return format_html('<span class="badge badge-internal">{}</span>', gettext("internal"))


class JalaliDateRangeFilter(admin.ListFilter):
    """A date from / to typed in Jalali (۱۴۰۵/۰۱/۱۲) in a plain GET form; either bound may
    stay empty, both are included. Subclasses set `title`, `field` (a DateTimeField or a
    DateField lookup) and the two `parameters`."""

    template = "admin/desk/jalali_range_filter.html"
    field: ClassVar[str]
    parameters: ClassVar[tuple[str, str]]
    is_datetime: ClassVar[bool] = True

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.bounds = {}
        for name in self.parameters:
            if name not in params:
                continue
            typed = self.used_parameters[name] = params.pop(name)[-1]
            try:
                self.bounds[name] = parse_jalali_date(typed) if typed.strip() else None
            except ValueError:
                messages.warning(
                    request,
                    gettext("“%(date)s” is not a Jalali date; it was left out.") % {"date": typed},
                )

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def queryset(self, request, queryset):
        first_name, last_name = self.parameters
        if first := self.bounds.get(first_name):
            start = local_midnight(first) if self.is_datetime else first
            queryset = queryset.filter(**{f"{self.field}__gte": start})
        if last := self.bounds.get(last_name):
            if self.is_datetime:
                queryset = queryset.filter(
                    **{f"{self.field}__lt": local_midnight(last + timedelta(days=1))}
                )
            else:
                queryset = queryset.filter(**{f"{self.field}__lte": last})
        return queryset

    def choices(self, changelist):
        # One "choice": what the template needs to draw the form and keep the other filters,
        # the search and the ordering.
        yield {
            "hidden": [
                (name, value)
                for name, values in changelist.filter_params.items()
                if name not in self.parameters
                for value in values
            ],
            "names": self.parameters,
            "values": [self.used_parameters.get(name, "") for name in self.parameters],
            "selected": any(self.used_parameters.values()),
            "clear": changelist.get_query_string(remove=list(self.parameters)),
        }


class FiledBetweenFilter(JalaliDateRangeFilter):
    """Cases filed between two Jalali dates."""

    title = _("filing date")
    field = "created_at"
    parameters = ("filed_from", "filed_to")


FILE_KINDS = {
    "image/jpeg": _("JPEG photo"),
    "image/png": _("PNG photo"),
    "application/pdf": _("PDF document"),
}


class CaseAttachmentInline(ReadOnlyCaseInline):
    """A case's files, read-only, each a link to the case admin's checked download view
    (never a public media URL). Subclasses set `model` and `view_permission`."""

    fields = ["link", "kind", "size_shown", "by_citizen", "uploaded"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def link(self, attachment):
        opts = self.parent_model._meta
        case_id = getattr(attachment, f"{self._case_field()}_id")
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_attachment", args=[case_id, attachment.pk]
        )
        return format_html('<a href="{}" translate="no">{}</a>', url, attachment.original_name)

    @admin.display(description=_("type"))
    def kind(self, attachment):
        return FILE_KINDS.get(attachment.content_type, attachment.content_type)

    @admin.display(description=_("size"))
    def size_shown(self, attachment):
        return file_size(attachment.size)

    @admin.display(description=_("uploaded at"))
    def uploaded(self, attachment):
        return format_jalali_datetime(attachment.created_at)

    def _case_field(self) -> str:
        return self.parent_model.attachments.field.name
