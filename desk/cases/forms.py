"""The forms every case app shares: the citizen's fields, asked the same way everywhere, the
one-time submission key, and checked file uploads."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from desk.text import (
    LocalNumber,
    local_digits,
    normalize_mobile,
    normalize_national_code,
    require_text,
)
from desk.uploads import (
    ACCEPTED_FILES,
    ANY_ACCEPTED,
    CHOOSER,
    MAX_UPLOAD_BYTES,
    CheckedUpload,
    check_upload,
)

TOO_LONG = _("This text can be at most %(limit_value)s characters long; it has %(show_value)s.")


def with_local_numbers(error: ValidationError) -> ValidationError:
    """The same error with every number among its parameters written for the reader
    (Django's validators put plain ints there: «بیش از 150 نویسه»)."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {
                field: [with_local_numbers(e) for e in errors]
                for field, errors in error.error_dict.items()
            }
        )
    if len(error.error_list) > 1 or error.error_list[0] is not error:
        return ValidationError([with_local_numbers(e) for e in error.error_list])
    params = error.params
    if isinstance(params, dict):
        params = {
            name: LocalNumber(value)
            if isinstance(value, int) and not isinstance(value, bool)
            else value
            for name, value in params.items()
        }
    return ValidationError(error.message, code=error.code, params=params)


class CountedTextarea(forms.Textarea):
    """A textarea that static/desk/counter.js gives a live «۱۲۳ از ۵۰۰۰ نویسه» counter when
    it has a maxlength: the browser stops a paste at maxlength without a word.

    Line breaks are read as the browser counts them, one character each: a browser posts
    them as CR LF, and 5,000 characters it allowed must not come back as "too long"."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("maxlength"):
            widget_attrs["data-counter"] = _("{count} of {limit} characters")
            widget_attrs["data-counter-full"] = _(
                "You have reached the limit of {limit} characters; nothing more can be added."
            )
        return context

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


AT_MOST = _("At most {limit} characters.")


class PortalBoundField(BoundField):
    """A citizen form's field with Bootstrap's classes on its widget (Django itself adds
    aria-invalid and aria-describedby)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden:
            classes = [attrs.get("class") or widget.attrs.get("class"), _bootstrap_class(widget)]
            if self.errors:
                classes.append("is-invalid")
            attrs["class"] = " ".join(filter(None, classes))
        return attrs


# Django's own templates for a single <input>: django/forms/widgets/input.html and attrs.html.
PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "search", "tel")
)


class PortalFormRenderer(TemplatesSetting):
    """How citizen forms render, on the pages citizens load most: each field through one
    template of ours (templates/desk/forms/field.html: label, widget, errors, help, in
    Bootstrap's markup, via `{{ form.x.as_field_group }}`), and a plain <input> written
    here rather than through Django's three nested widget templates, which cost more than
    the rest of a form's page. Everything else renders as Django renders it."""

    field_template_name = "desk/forms/field.html"
    bound_field_class = PortalBoundField

    def render(self, template_name, context, request=None):
        if template_name in PLAIN_INPUTS:
            return plain_input(context["widget"])
        return super().render(template_name, context, request)


def plain_input(widget: dict) -> str:
    """What django/forms/widgets/input.html writes, attribute for attribute."""
    value = widget["value"]
    shown_value = format_html(' value="{}"', value) if value is not None else ""
    attrs = mark_safe(
        "".join(
            format_html(" {}", name) if given is True else format_html(' {}="{}"', name, given)
            for name, given in widget["attrs"].items()
            if given is not False
        )
    )
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown_value, attrs
    )


class KeptBlankForm:
    """A blank citizen form, on a page that keeps its fields rendered (the view's GET; the
    template's `{% unbound_form_fragment %}`): the form itself (its fields deep-copied, its
    choices read) is built only when that rendering must be drawn again. What the page reads
    of it outside the fragment costs nothing: it is blank, without errors, and its one-time
    submission key is written anew, through the field's own widget, for each page."""

    is_bound = False
    errors: dict = {}
    initial: dict = {}

    def __init__(self, form_class: type[forms.Form], **kwargs):
        self.form_class = form_class
        self._form = SimpleLazyObject(lambda: form_class(**kwargs))

    def __getattr__(self, name: str):
        return getattr(self._form, name)

    def __getitem__(self, name: str):
        # A template looks a name up as a key before it tries it as an attribute: these are
        # this stand-in's own, and must not build the form.
        if name in {"is_bound", "errors", "initial", "non_field_errors", "submission_key"}:
            raise KeyError(name)
        return self._form[name]

    def __iter__(self):
        return iter(self._form)

    def non_field_errors(self) -> list:
        return []

    @property
    def submission_key(self) -> str:
        field = self.form_class.base_fields["submission_key"]
        return field.widget.render(
            "submission_key",
            field.initial(),
            attrs={"id": "id_submission_key"},
            renderer=self.form_class.default_renderer(),
        )


def _bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)):
        return "form-check-input"
    return "form-select" if isinstance(widget, forms.Select) else "form-control"


class CitizenFacingForm(forms.Form):
    """A form citizens fill in: its error messages write their numbers in Persian digits,
    each long text field says its limit and counts what is typed (CountedTextarea), and its
    fields render in Bootstrap's markup (PortalFormRenderer)."""

    default_renderer = PortalFormRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None):
                count_characters(field)

    def add_error(self, field, error):
        if isinstance(error, ValidationError):
            error = with_local_numbers(error)
        super().add_error(field, error)


def count_characters(field: forms.CharField) -> None:
    # The help says the limit for a browser without JavaScript, where nothing counts.
    field.widget = CountedTextarea(attrs=field.widget.attrs)
    at_most = format_lazy(AT_MOST, limit=LocalNumber(field.max_length))
    field.help_text = format_lazy("{} {}", field.help_text, at_most) if field.help_text else at_most


def submission_key_field(*, required: bool = False) -> forms.UUIDField:
    """A hidden one-time key, new on every blank form and posted back with it: the service
    returns the case already filed with it, so a double click or back-and-resubmit files one
    case, not two."""
    return forms.UUIDField(
        label=_("form key"), required=required, widget=forms.HiddenInput, initial=uuid.uuid4
    )


class CitizenForm(CitizenFacingForm):
    """The citizen's name, mobile and national code, asked the same way by every case form.

    Subclasses put their own fields first with `field_order` and may set `mobile_help`.
    """

    mobile_help = _("The tracking code is sent to this number by SMS.")

    citizen_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": TOO_LONG},
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "tel",
                "autocomplete": "tel",
                "dir": "ltr",
                "placeholder": lazy(local_digits, str)("09…"),
            }
        ),
    )
    national_code = forms.CharField(
        label=_("National code (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].help_text = self.mobile_help

    def clean_citizen_name(self) -> str:
        return require_text(self.cleaned_data["citizen_name"])

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_national_code(self) -> str:
        code = self.cleaned_data["national_code"]
        return normalize_national_code(code) if code else ""


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.Field):
    """Up to `max_files` files from one `<input type=file multiple>`, each checked by
    desk.uploads; cleans to a list of CheckedUpload. Every bad file gets its own message,
    naming it, so the citizen knows which ones to replace."""

    widget = MultipleFileInput

    def __init__(self, *, max_files: int, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPTED_FILES)

    def to_python(self, data) -> list:
        return [upload for upload in (data or []) if upload]

    def validate(self, value: list) -> None:
        super().validate(value)
        if len(value) > self.max_files:
            raise ValidationError(
                _("You can attach at most %(count)s files."),
                code="too_many",
                params={"count": LocalNumber(self.max_files)},
            )

    def clean(self, data) -> list[CheckedUpload]:
        uploads = super().clean(data)
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return checked


def files_field(max_files: int, **kwargs) -> CheckedFilesField:
    """The optional photos-or-documents field of a citizen's form, with its Persian help."""
    kwargs.setdefault("label", _("Photos or documents (optional)"))
    kwargs.setdefault(
        "help_text",
        format_lazy(
            _("Up to {count} JPEG or PNG photos or PDF documents, each at most {mb} MB."),
            count=LocalNumber(max_files),
            mb=LocalNumber(MAX_UPLOAD_BYTES // (1024 * 1024)),
        ),
    )
    return CheckedFilesField(max_files=max_files, **kwargs)


class CheckedFileField(forms.FileField):
    """One file, checked by desk.uploads (of the content types in `accept`); cleans to a
    CheckedUpload, or None when left empty."""

    def __init__(self, *, accept: frozenset[str] = ANY_ACCEPTED, **kwargs):
        self.accept = accept
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", CHOOSER[accept])

    def clean(self, data, initial=None) -> CheckedUpload | None:
        upload = super().clean(data, initial)
        return check_upload(upload, accept=self.accept) if upload else None
