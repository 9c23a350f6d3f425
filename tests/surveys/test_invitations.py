"""The invitation a citizen gets by SMS once a case ends: one per case, on every kind of
ending (failures included), never to a mobile that opted out nor without an active survey;
a short link with an unguessable token that fits two Persian SMS parts; valid two weeks."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from appointments import services as appointments
from appointments.models import Host
from complaints import services as complaints
from desk.text import to_persian_digits
from processes import services as processes
from surveys import services
from surveys.models import Follows, Invitation, OptOut, Survey
from tests.surveys.conftest import MEETING_DAY_TEN, MOBILE

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,}$")


def invitations_sent(sms_outbox):
    return [m for m in sms_outbox if m.kind == "survey_invitation"]


def check_invitation(invitation, case, *, kind, outcome, unit, label, sms_outbox):
    assert (invitation.case_kind, invitation.case_code) == (kind, case.tracking_code)
    assert invitation.outcome == outcome
    assert invitation.unit_id == (unit.pk if unit else None)
    assert invitation.service_label == label
    assert invitation.mobile == MOBILE
    [sms] = invitations_sent(sms_outbox)
    assert sms.receiver == MOBILE
    assert services.short_link(invitation.token) in sms.text
    assert to_persian_digits(case.tracking_code) in sms.text


# --- an invitation on every kind of ending ------------------------------------------------------


def test_a_closed_complaint_is_invited(
    close_a_complaint, potholes, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = close_a_complaint()
    invitation = Invitation.objects.get()
    check_invitation(
        invitation,
        complaint,
        kind="complaint",
        outcome="resolved",
        unit=potholes.department,
        label=potholes.title,
        sms_outbox=sms_outbox,
    )
    assert invitation.survey == Survey.objects.active().get(follows=Follows.COMPLAINT)


def test_a_complaint_out_of_jurisdiction_is_invited_too(
    file_complaint, desk_clerk, potholes, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaints.mark_out_of_jurisdiction(
            file_complaint(), actor=desk_clerk, guidance="به اداره برق مراجعه کنید."
        )
    check_invitation(
        Invitation.objects.get(),
        complaint,
        kind="complaint",
        outcome="out_of_jurisdiction",
        unit=potholes.department,
        label=potholes.title,
        sms_outbox=sms_outbox,
    )


def test_a_held_meeting_is_invited(
    approved_meeting,
    mayor,
    office_clerk,
    time_machine,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    meeting = approved_meeting()
    time_machine.move_to(MEETING_DAY_TEN, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        appointments.mark_held(meeting, actor=office_clerk)
    check_invitation(
        Invitation.objects.get(),
        meeting,
        kind="appointment",
        outcome="held",
        unit=None,
        label=str(mayor),
        sms_outbox=sms_outbox,
    )


def test_a_declined_meeting_is_invited(
    request_meeting, mayor, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = appointments.decline_meeting(
            request_meeting(), actor=office_clerk, reason="در حوزه شورای شهر است"
        )
    check_invitation(
        Invitation.objects.get(),
        meeting,
        kind="appointment",
        outcome="declined",
        unit=None,
        label=str(mayor),
        sms_outbox=sms_outbox,
    )


def test_a_meeting_sent_on_to_a_unit_is_invited_under_that_unit(
    request_meeting, mayor, streets, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = appointments.refer_meeting(
            request_meeting(), department=streets, actor=office_clerk
        )
    check_invitation(
        Invitation.objects.get(),
        meeting,
        kind="appointment",
        outcome="referred",
        unit=streets,
        label=str(mayor),
        sms_outbox=sms_outbox,
    )


def test_a_completed_service_request_is_invited(
    ready_request, reviewer, online_card, sms_outbox, django_capture_on_commit_callbacks
):
    request = ready_request()
    with django_capture_on_commit_callbacks(execute=True):
        processes.complete_request(request, actor=reviewer)
    check_invitation(
        Invitation.objects.get(),
        request,
        kind="service_request",
        outcome="completed",
        unit=online_card.department,
        label=online_card.title,
        sms_outbox=sms_outbox,
    )
    assert Invitation.objects.get().service_key == f"service-{online_card.slug}"


def test_a_rejected_service_request_is_invited(
    file_request, reviewer, online_card, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = processes.reject_request(
            file_request(), actor=reviewer, reason="ملک در طرح تعریض قرار دارد."
        )
    check_invitation(
        Invitation.objects.get(),
        request,
        kind="service_request",
        outcome="rejected",
        unit=online_card.department,
        label=online_card.title,
        sms_outbox=sms_outbox,
    )


def test_a_meeting_with_a_host_of_long_title_and_name_still_ends_and_is_invited(
    request_meeting, office_clerk
):
    host = Host.objects.create(
        title="معاون برنامه‌ریزی، توسعه سرمایه انسانی و فناوری اطلاعات و سرپرست سازمان "
        "فناوری اطلاعات و ارتباطات شهرداری قشم و دبیر شورا"[:120],
        name="سید محمدحسین میرحسینی طباطبائی نژاد حسینی قشمی زاده کرمانشاهی اصفهانی شیرازی خراسانی",
    )
    assert len(str(host)) > 200  # each field within its own limit
    meeting = appointments.decline_meeting(
        request_meeting(host=host), actor=office_clerk, reason="در حوزه شورای شهر است"
    )
    assert meeting.status == "declined"
    invitation = Invitation.objects.get()
    assert len(invitation.service_label) <= Invitation._meta.get_field("service_label").max_length


# --- when there is none -------------------------------------------------------------------------


def test_a_complaint_closed_reopened_and_closed_again_is_invited_once(
    close_a_complaint, desk_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = close_a_complaint()
        complaints.reopen_complaint(complaint, reason="چاله هنوز ترمیم نشده است.")
        complaints.close_complaint(complaint, actor=desk_clerk, outcome="resolved")
    assert Invitation.objects.filter(case_code=complaint.tracking_code).count() == 1
    assert len(invitations_sent(sms_outbox)) == 1


def test_an_already_answered_case_is_not_invited_again_when_it_ends_again(
    close_a_complaint, desk_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    complaint = close_a_complaint()
    first = Invitation.objects.get()
    services.answer_invitation(first, answers=_complaint_answers(first.survey))
    complaints.reopen_complaint(complaint, reason="چاله هنوز ترمیم نشده است.")
    with django_capture_on_commit_callbacks(execute=True):
        complaints.close_complaint(complaint, actor=desk_clerk, outcome="resolved")
    assert list(Invitation.objects.all()) == [first]
    assert invitations_sent(sms_outbox) == []


def _complaint_answers(survey):
    return {q.pk: 5 if q.kind == "rating" else True for q in survey.questions.all() if q.required}


def test_a_mobile_that_opted_out_is_not_invited(
    close_a_complaint, sms_outbox, django_capture_on_commit_callbacks
):
    services.opt_out("۰۹۱۲ ۱۲۳ ۴۵۶۷")
    with django_capture_on_commit_callbacks(execute=True):
        close_a_complaint()
    assert not Invitation.objects.exists()
    assert invitations_sent(sms_outbox) == []
    # Only surveys stop: the complaint's own SMS still come.
    assert [m.kind for m in sms_outbox][-1] == "complaint_closed"


def test_opting_out_does_not_stop_other_mobiles(
    close_a_complaint, sms_outbox, django_capture_on_commit_callbacks
):
    OptOut.objects.create(mobile="09350001122")
    with django_capture_on_commit_callbacks(execute=True):
        close_a_complaint()
    assert len(invitations_sent(sms_outbox)) == 1


def test_no_invitation_without_an_active_survey_for_that_kind(
    close_a_complaint, request_meeting, office_clerk, sms_outbox, django_capture_on_commit_callbacks
):
    Survey.objects.filter(follows=Follows.COMPLAINT).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        close_a_complaint()
        meeting = appointments.decline_meeting(
            request_meeting(), actor=office_clerk, reason="در حوزه شورای شهر است"
        )
    # The complaint got none; the meeting (its survey still active) got its own.
    assert list(Invitation.objects.values_list("case_code", flat=True)) == [meeting.tracking_code]
    assert len(invitations_sent(sms_outbox)) == 1


# --- the token, the link, the SMS ---------------------------------------------------------------


def test_the_token_is_url_safe_at_least_128_bits_and_new_each_time(invite):
    tokens = [invite().token for _ in range(20)]
    assert all(TOKEN.match(token) for token in tokens), tokens
    assert len(set(tokens)) == len(tokens)


@pytest.mark.parametrize(
    "portal_url",
    [
        "https://mizekhedmat.qeshm.ir",
        # 30 characters, and with a trailing slash as an administrator might write it.
        "https://mizekhedmat.qeshm.info",
        "https://mizekhedmat.qeshm.info/",
    ],
)
def test_the_sms_carries_the_short_link_and_fits_two_persian_parts(
    portal_url, settings, close_a_complaint, sms_outbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = portal_url
    with django_capture_on_commit_callbacks(execute=True):
        complaint = close_a_complaint()
    invitation = Invitation.objects.get()
    [sms] = invitations_sent(sms_outbox)
    link = portal_url.rstrip("/") + "/s/" + invitation.token
    assert link in sms.text.split()
    assert to_persian_digits(complaint.tracking_code) in sms.text
    # A Persian (UCS-2) part holds 70 characters, 67 once parts are joined: two hold 134.
    assert len(sms.text) <= 134, (len(sms.text), sms.text)


def test_the_short_link_opens_the_survey(settings, invite, client):
    settings.PORTAL_URL = "https://mizekhedmat.qeshm.ir"
    invitation = invite()
    path = services.short_link(invitation.token).removeprefix(settings.PORTAL_URL)
    assert path == f"/s/{invitation.token}"
    response = client.get(path)
    assert response.status_code == 200
    assert invitation.survey.title in response.content.decode()


def test_an_invitation_expires_after_the_configured_days(invite, settings, time_machine):
    invitation = invite()
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert invitation.created_at == timezone.now()
    time_machine.shift(timedelta(days=14) - timedelta(minutes=1))
    assert services.usable_invitation(invitation.token) == (invitation, "")
    time_machine.shift(timedelta(minutes=2))
    assert services.usable_invitation(invitation.token) == (None, "expired")

    settings.SURVEY_INVITATION_DAYS = 3
    shorter = invite()
    assert shorter.expires_at - shorter.created_at == timedelta(days=3)
