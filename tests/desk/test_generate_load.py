"""`manage.py generate_load`: the quarterly report's synthetic load, at a tiny scale on SQLite.
The rows must read like the services' own: valid unique codes, every moment inside the span,
each case's status the end of its timeline, the fields its events set, survey answers only
for finished cases, and the same seed giving the same rows."""

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from appointments.models import HOLDS_PLACE, MeetingRequest, MeetingRequestEvent, MeetingSession
from appointments.models import Status as MeetingStatus
from complaints.models import Complaint, ComplaintEvent, Outcome
from complaints.models import Status as ComplaintStatus
from complaints.services import REOPEN_DAYS
from desk import codes
from desk.jalali import local_date, local_midnight
from desk.management.commands.generate_load import check_database
from desk.models import TrackingCode
from processes.models import (
    DocumentReview,
    Inquiry,
    RequestDocument,
    RequestStatus,
    ServiceRequest,
    ServiceRequestEvent,
)
from surveys.loadgen import FINISHING
from surveys.models import Answer, Invitation, Response

SCALE = 0.0002  # 200 complaints, 40 meeting requests, 40 service requests, 100 responses
END = date(2026, 12, 2)  # 1405/09/11
START = date(2024, 12, 2)  # two years before
CASE_MODELS = {Complaint: ComplaintEvent, MeetingRequest: MeetingRequestEvent}
CASE_MODELS[ServiceRequest] = ServiceRequestEvent
GENERATED = [
    TrackingCode, Complaint, ComplaintEvent, MeetingSession, MeetingRequest,
    MeetingRequestEvent, ServiceRequest, RequestDocument, ServiceRequestEvent, Inquiry,
    Invitation, Response, Answer,
]  # fmt: skip


def generate_load(seed: int = 5, **options) -> str:
    output = StringIO()
    call_command(
        "generate_load", scale=SCALE, seed=seed, end="1405/09/11", stdout=output, **options
    )
    return output.getvalue()


def test_without_the_demo_data_it_says_to_seed_first(db):
    with pytest.raises(CommandError, match="seed_demo"):
        generate_load()


@pytest.fixture(scope="module")
def load(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict]:
    """The demo data and a load on it, made once for the module in a transaction rolled back
    at its end; what the load added is every row past the demo's largest id."""
    storage = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("load-private")},
        },
    }
    with override_settings(STORAGES=storage), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        before = {model: _largest_id(model) for model in GENERATED}
        output = generate_load()
        yield {"before": before, "output": output}
        transaction.set_rollback(True)


def _largest_id(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def added(load: dict, model):
    return model.objects.filter(pk__gt=load["before"][model])


def test_it_writes_the_sizes_asked_and_says_so(load, db):
    assert added(load, Complaint).count() == 200
    assert added(load, MeetingRequest).count() == 40
    assert added(load, ServiceRequest).count() == 40
    assert added(load, Response).count() == 100
    assert added(load, Invitation).count() >= 100
    assert added(load, Answer).count() >= 100
    assert "200 complaints" in load["output"]
    assert "100 responses" in load["output"]


def test_every_row_points_at_rows_that_exist(load, db):
    """SQLite checks foreign keys only at the commit this module never reaches (and the
    PostgreSQL load asks no row-by-row check): asked here of every table."""
    connection.check_constraints()


def test_every_case_has_a_unique_valid_registered_code(load, db):
    issued = dict(added(load, TrackingCode).values_list("code", "kind"))
    for model in CASE_MODELS:
        found = list(added(load, model).values_list("tracking_code", flat=True))
        assert len(set(found)) == len(found)
        for code in found:
            assert len(code) == codes.CODE_LENGTH and code.startswith(model.tracking_prefix)
            assert codes.has_valid_check_digit(code)
            assert issued[code] == model.tracking_kind
    assert len(issued) == 280


def test_every_moment_is_inside_the_span(load, db):
    start, end = local_midnight(START), local_midnight(END)
    moments = {
        Complaint: ["created_at", "updated_at", "answered_at", "closed_at"],
        ComplaintEvent: ["created_at"],
        MeetingRequest: ["created_at", "updated_at", "decided_at", "reminder_sent_at"],
        MeetingRequestEvent: ["created_at"],
        ServiceRequest: ["created_at", "updated_at", "finished_at"],
        RequestDocument: ["reviewed_at"],
        ServiceRequestEvent: ["created_at"],
        TrackingCode: ["issued_at"],
        Invitation: ["created_at", "answered_at"],
        Response: ["submitted_at"],
    }
    for model, names in moments.items():
        for row in added(load, model).values_list(*names):
            for name, value in zip(names, row, strict=True):
                assert value is None or start <= value < end, (model.__name__, name, value)
    for sent, answered in added(load, Inquiry).values_list("sent_on", "answered_on"):
        assert START <= sent < END and (answered is None or sent <= answered < END)


def _timelines(load, model) -> dict[int, list]:
    events = CASE_MODELS[model]
    key = model._meta.get_field("events").field.attname
    timelines = defaultdict(list)
    for event in added(load, events).order_by("pk"):
        timelines[getattr(event, key)].append(event)
    return timelines


@pytest.mark.parametrize("model", list(CASE_MODELS))
def test_each_status_is_where_its_timeline_ends(load, db, model):
    """The filing first, each step starting from the status the one before left, in time
    order and in id order, the case's status the last step's."""
    timelines = _timelines(load, model)
    for case in added(load, model):
        timeline = timelines[case.pk]
        assert timeline[0].action in ("submit", "request") and timeline[0].from_status == ""
        assert timeline[0].created_at >= case.created_at
        for before, after in itertools.pairwise(timeline):
            assert after.from_status == before.to_status, (case.tracking_code, after.action)
            assert after.created_at >= before.created_at, (case.tracking_code, after.action)
        assert timeline[-1].to_status == case.status
        assert case.updated_at == timeline[-1].created_at


def test_complaints_carry_what_their_steps_set(load, db):
    timelines = _timelines(load, Complaint)
    seen = Counter()
    for complaint in added(load, Complaint):
        steps = timelines[complaint.pk]
        last = {event.action: event for event in steps}
        seen[complaint.status] += 1
        if complaint.status == ComplaintStatus.CLOSED:
            assert complaint.closed_at == last["close"].created_at
            assert complaint.outcome in Outcome.values
            assert str(Outcome(complaint.outcome).label) in last["close"].note
        elif complaint.status in (ComplaintStatus.OUT_OF_JURISDICTION, ComplaintStatus.DUPLICATE):
            assert complaint.closed_at == last[complaint.status].created_at
        else:
            assert complaint.closed_at is None and complaint.outcome == ""
        if complaint.status == ComplaintStatus.DUPLICATE:
            assert complaint.duplicate_of.created_at < complaint.created_at
        if "answer" in last:
            assert complaint.answered_at == last["answer"].created_at >= complaint.created_at
            assert complaint.answer == last["answer"].note
            if "reopen" not in last or last["reopen"].created_at < complaint.answered_at:
                in_time = local_date(complaint.answered_at) <= complaint.due_date
                assert complaint.answered_in_time is in_time
        else:
            assert complaint.answered_at is None and complaint.answer == ""
            assert complaint.answered_in_time is None
        if "reopen" in last:
            reopened = last["reopen"]
            assert reopened.by_citizen and reopened.actor_id is None
            answers = [e.created_at for e in steps if e.action == "answer"]
            assert (reopened.created_at - answers[0]).days <= REOPEN_DAYS
            assert complaint.due_date >= local_date(reopened.created_at)
        if complaint.status == ComplaintStatus.REOPENED:
            assert steps[-1].action == "reopen"
        assert complaint.was_referred is ("refer" in last)
        if "refer" in last:
            assert complaint.department.name in last["refer"].note
        assert complaint.reopened_at == (last["reopen"].created_at if "reopen" in last else None)
    assert seen[ComplaintStatus.CLOSED] > seen[ComplaintStatus.RECEIVED]
    assert len(seen) >= 4


def test_meetings_carry_what_their_steps_set(load, db):
    timelines = _timelines(load, MeetingRequest)
    places = Counter()
    for meeting in added(load, MeetingRequest).select_related("session"):
        last = {event.action: event for event in timelines[meeting.pk]}
        if meeting.status in (MeetingStatus.APPROVED, MeetingStatus.HELD, MeetingStatus.NO_SHOW):
            assert meeting.session and meeting.meeting_time and "approve" in last
            assert meeting.meeting_time in meeting.session.times()
        if meeting.status in (MeetingStatus.HELD, MeetingStatus.NO_SHOW):
            assert last[meeting.status].created_at >= meeting.meeting_at
        for decision in ("approve", "refer", "decline"):
            if decision in last and meeting.status != MeetingStatus.CANCELLED:
                assert meeting.decided_at == last[decision].created_at
        if meeting.status == MeetingStatus.PENDING:
            assert meeting.decided_at is None and meeting.meeting_time is None
        if meeting.reminder_sent_at:
            assert "reminder" in last
            assert local_date(meeting.reminder_sent_at) < meeting.session.date
        if meeting.status in HOLDS_PLACE and meeting.meeting_time:
            places[(meeting.session_id, meeting.meeting_time)] += 1
        if meeting.status == MeetingStatus.CANCELLED:
            assert last["cancel"].by_citizen and meeting.cancel_reason
        assert meeting.was_approved is ("approve" in last)
    assert not [place for place, holders in places.items() if holders > 1]


def test_service_requests_carry_what_their_steps_set(load, db):
    timelines = _timelines(load, ServiceRequest)
    for request in added(load, ServiceRequest).prefetch_related("documents", "inquiries"):
        last = {event.action: event for event in timelines[request.pk]}
        slots = list(request.documents.all())
        # A slot for each document the card takes online, as the service makes them.
        online = request.service.documents.filter(upload_online=True)
        assert [slot.required_document_id for slot in slots] == [d.pk for d in online]
        if request.status in (RequestStatus.COMPLETED, RequestStatus.REJECTED):
            step = "complete" if request.status == RequestStatus.COMPLETED else "reject"
            assert request.finished_at == last[step].created_at
        else:
            assert request.finished_at is None
        if request.status == RequestStatus.COMPLETED:
            assert request.ready_date and local_date(request.finished_at) >= request.ready_date
        if request.status == RequestStatus.NEEDS_CORRECTION:
            assert any(slot.review == DocumentReview.REFUSED for slot in slots)
        if request.status in (RequestStatus.IN_PROGRESS, RequestStatus.READY):
            assert all(s.review == DocumentReview.ACCEPTED for s in slots if s.mandatory)
        assert request.correction_asked is ("ask_correction" in last)
        sent = [e for e in timelines[request.pk] if e.action == "inquiry_sent"]
        answered = [e for e in timelines[request.pk] if e.action == "inquiry_answered"]
        inquiries = list(request.inquiries.all())
        assert len(sent) == len(inquiries)
        assert len(answered) == len([i for i in inquiries if i.answered_on])


def test_only_finished_cases_are_invited_and_answered(load, db):
    finished = {}
    for model, events in CASE_MODELS.items():
        key = model._meta.get_field("events").field.name
        steps = FINISHING[model.tracking_kind]
        for event in events.objects.filter(action__in=steps).order_by("-created_at"):
            case = getattr(event, key)
            finished[case.tracking_code] = (case, event.created_at)
    responses = added(load, Response).select_related("invitation")
    assert {r.case_kind for r in responses} >= {"complaint", "appointment", "service_request"}
    for response in responses:
        overall = response.answers.filter(question__is_headline=True).first()
        assert response.overall_rating == (overall.rating if overall else None)
        if response.invitation is None:
            assert response.survey.follows == "general" and not response.case_code
            continue
        invitation = response.invitation
        case, finished_at = finished[invitation.case_code]
        assert invitation.created_at == finished_at
        assert invitation.answered_at == response.submitted_at
        assert invitation.created_at <= response.submitted_at < invitation.expires_at
        group = case.report_group()
        assert (response.unit_id, response.service_key) == (group.unit_id, group.service_key)
        assert response.service_label == group.service_label
        headline = response.answers.get(question__is_headline=True)
        assert 1 <= headline.rating <= 5
    invited = set(added(load, Invitation).values_list("case_code", flat=True))
    assert invited <= set(finished)


def test_timelines_stay_in_order_at_a_larger_scale(load, db):
    """A slip in one case out of thousands (a step drawn before the one it follows) shows
    only with more cases: 5,000 complaints, 1,000 meeting and 1,000 service requests."""
    with transaction.atomic():
        before = {model: _largest_id(events) for model, events in CASE_MODELS.items()}
        call_command(
            "generate_load", scale=0.005, seed=3, end="1405/09/11", stdout=StringIO(),
            only=["complaints,appointments,processes"],
        )  # fmt: skip
        for model, events in CASE_MODELS.items():
            key = model._meta.get_field("events").field.attname
            previous = {}
            for case, status, source, at in (
                events.objects.filter(pk__gt=before[model])
                .order_by("pk")
                .values_list(key, "to_status", "from_status", "created_at")
            ):
                if case in previous:
                    assert at >= previous[case][1] and source == previous[case][0], case
                previous[case] = (status, at)
        transaction.set_rollback(True)


def _snapshot() -> dict[str, list]:
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in GENERATED}


def test_the_same_seed_gives_the_same_rows(load, db):
    runs = []
    for seed in (11, 11, 12):
        with transaction.atomic():
            generate_load(seed=seed)
            runs.append(_snapshot())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0]["Complaint"] != runs[2]["Complaint"]


def test_it_refuses_a_database_that_may_hold_real_cases(load, db, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "/srv/portal/db.sqlite3")
    with pytest.raises(CommandError, match="throw-away"):
        check_database()
    with pytest.raises(CommandError, match="throw-away"):
        generate_load()


def test_it_refuses_to_double_a_load(load, db, monkeypatch):
    monkeypatch.setattr("desk.management.commands.generate_load.MOST_CODES_BEFORE_A_LOAD", 100)
    with pytest.raises(CommandError, match="already holds"):
        check_database()
