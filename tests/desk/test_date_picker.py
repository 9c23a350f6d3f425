"""The Jalali date picker of the back office: every date staff type is Jalali with the picker
on it (desk.widgets.JalaliDateInput, the case lists' date range filter, the survey results'
period), from our own static files, and typing it stays possible (the picker is JavaScript on
top of a plain text box). The picker itself, clicked in a browser: tests/browser/test_date_picker.py."""

from datetime import date

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.test import RequestFactory

from desk.admin import JalaliDateField
from desk.cases.admin import CaseStepsAdmin
from desk.roles import CONTENT_EDITOR
from desk.widgets import JalaliDateInput
from processes.models import Service, ServiceCategory
from surveys.models import Follows, Survey

PICKER_FILES = (
    "vendor/jalalidatepicker/jalalidatepicker.min.js",
    "vendor/jalalidatepicker/jalalidatepicker.min.css",
    "desk/js/jalali-date-picker.js",
    "desk/css/jalali-date-picker.css",
)
CARD_ADD = "/admin/processes/service/add/"


def test_the_date_input_opens_the_picker_and_shows_a_persian_example():
    html = JalaliDateInput().render("day", "۱۴۰۵/۰۱/۱۲")
    for attribute in (
        " data-jdp",
        'dir="ltr"',
        'inputmode="numeric"',
        'autocomplete="off"',
        'placeholder="۱۴۰۵/۰۱/۱۲"',
        'value="۱۴۰۵/۰۱/۱۲"',
    ):
        assert attribute in html
    assert 'type="text"' in html


def test_a_jalali_date_field_uses_it_and_says_how_to_type_the_date():
    field = JalaliDateField(required=False)
    assert isinstance(field.widget, JalaliDateInput)
    assert str(field.help_text) == "شمسی، مانند ۱۴۰۵/۰۱/۱۲."
    assert JalaliDateField(help_text="روز تعطیل").help_text == "روز تعطیل"


@pytest.mark.parametrize("name", PICKER_FILES)
def test_the_picker_is_served_from_our_own_static_files(name):
    assert finders.find(name) is not None


# --- every date field of the back office --------------------------------------------------------


def _admin_forms(request) -> list[tuple[str, type[forms.BaseForm]]]:
    """Every form class the admin shows staff: each model's form and its inlines' forms, the
    walk-in registration and every staff step of the case pages."""
    found = []
    for model, model_admin in admin.site._registry.items():
        name = model._meta.label
        if isinstance(model_admin, CaseStepsAdmin):
            # A case's change page is read-only: staff type only into its steps.
            found += [(f"{name} step", step) for step in model_admin.step_forms.values()]
            if add_form := getattr(model_admin, "add_form", None):
                found.append((f"{name} walk-in", add_form))
            continue
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue  # a read-only list: no form is ever shown
        found.append((name, model_admin.get_form(request)))
        for inline in model_admin.get_inline_instances(request):
            found.append((f"{name} inline", inline.get_formset(request).form))
    return found


def test_every_date_field_of_every_admin_form_is_jalali_with_the_picker(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    date_fields = [
        (form_name, field_name, field)
        for form_name, form_class in _admin_forms(request)
        for field_name, field in form_class.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    not_jalali = [
        f"{form_name}.{field_name}"
        for form_name, field_name, field in date_fields
        if not (isinstance(field, JalaliDateField) and isinstance(field.widget, JalaliDateInput))
    ]
    assert not_jalali == []
    # No date-and-time field left for staff to type in Django's Gregorian split widget: the
    # moments Django or the portal record are read-only, shown in Jalali.
    date_times = [
        f"{form_name}.{field_name}"
        for form_name, form_class in _admin_forms(request)
        for field_name, field in form_class.base_fields.items()
        if isinstance(field, (forms.DateTimeField, forms.SplitDateTimeField))
    ]
    assert date_times == []
    # The holiday, the meeting session, the card's last review, the ready date, an inquiry's
    # sending and answer at least: the walk over the admin found them.
    assert len(date_fields) >= 6


# --- the service card's "last reviewed", end to end ----------------------------------------------


@pytest.fixture
def editor(django_user_model, db):
    """A content editor: edits the service cards."""
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=CONTENT_EDITOR.name))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def typed_card(streets):
    """What the editor types on a new card, as the add page posts it (no steps, documents,
    fees or questions yet)."""
    trade = ServiceCategory.objects.create(title="کسب و پیشه", slug="trade")
    data = {
        "title": "صدور پروانه کسب",
        "slug": "business-licence",
        "summary": "پروانه کسب برای واحدهای صنفی تازه.",
        "category": trade.pk,
        "department": streets.pk,
        "order": "0",
        "duration_days": "7",
        "delivery_channel": "in_person",
        "published": "on",
    }
    for prefix in ("steps", "documents", "fees", "questions"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_the_card_form_takes_a_jalali_review_date_and_shows_it_back_with_the_picker(
    editor_client, typed_card
):
    response = editor_client.post(CARD_ADD, typed_card | {"last_reviewed": "۱۴۰۵/۰۱/۱۲"})

    assert response.status_code == 302
    card = Service.objects.get()
    assert card.last_reviewed == date(2026, 4, 1)
    page = editor_client.get(f"/admin/processes/service/{card.pk}/change/").content.decode()
    [field] = [tag for tag in page.split("<input") if 'name="last_reviewed"' in tag]
    assert 'value="۱۴۰۵/۰۱/۱۲"' in field
    assert " data-jdp" in field
    assert "vDateField" not in page  # no Gregorian calendar of Django's beside it


@pytest.mark.parametrize("typed", ["1405/1/12", "١٤٠٥/٠١/١٢", "۱۴۰۵-۰۱-۱۲"])
def test_the_review_date_may_be_typed_in_any_digits(editor_client, typed_card, typed):
    editor_client.post(CARD_ADD, typed_card | {"last_reviewed": typed})
    assert Service.objects.get().last_reviewed == date(2026, 4, 1)


def test_a_bad_review_date_is_refused_in_persian_and_the_rest_is_kept(editor_client, typed_card):
    response = editor_client.post(CARD_ADD, typed_card | {"last_reviewed": "۱۴۰۵/۱۳/۰۱"})

    assert response.status_code == 200
    assert not Service.objects.exists()
    page = response.content.decode()
    assert "تاریخ را به شمسی وارد کنید، مانند ۱۴۰۵/۰۱/۱۲." in page
    assert 'value="۱۴۰۵/۱۳/۰۱"' in page
    assert 'value="صدور پروانه کسب"' in page
    assert "پروانه کسب برای واحدهای صنفی تازه." in page


def test_the_editor_may_leave_the_review_date_empty(editor_client, typed_card):
    editor_client.post(CARD_ADD, typed_card | {"last_reviewed": ""})
    assert Service.objects.get().last_reviewed is None


# --- the pages with date inputs load the picker ---------------------------------------------------


@pytest.fixture
def survey(db):
    # The surveys' migration has made one survey for each kind of case.
    return Survey.objects.get(follows=Follows.COMPLAINT)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/desk/holiday/add/",
        "/admin/appointments/meetingsession/add/",
        CARD_ADD,
        "/admin/complaints/complaint/",  # the "filed between" range filter
        "/admin/processes/servicerequest/",
        "results",
    ],
)
def test_the_pages_with_date_inputs_load_the_picker(admin_client, survey, url):
    if url == "results":
        url = f"/admin/surveys/survey/{survey.pk}/results/"
    page = admin_client.get(url).content.decode()

    assert " data-jdp" in page
    for name in PICKER_FILES:
        assert f"/static/{name}" in page
