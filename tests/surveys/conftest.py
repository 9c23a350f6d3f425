"""Fixtures for the surveys tests: a case of each kind brought to its end through the apps'
own services (so the invitation comes through `case_finished`, as in production), and helpers
to invite and answer directly.

The clock stands at Wednesday 18 November 2026 (27 Aban 1405), 09:00 in Tehran, unless a test
moves it with the `time_machine` fixture."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from desk.cases.models import ReportGroup
from surveys import services
from surveys.models import Follows, Invitation, QuestionKind, Survey

# The case apps' fixtures, reused as they are (none of them is autouse).
from tests.appointments.conftest import (  # noqa: F401
    deputy,
    make_session,
    mayor,
    office_clerk,
    request_meeting,
    session,
)
from tests.complaints.conftest import desk_clerk, file_complaint, potholes  # noqa: F401
from tests.processes.conftest import (  # noqa: F401
    add_service,
    deed,
    facade_photo,
    file_request,
    licences,
    online_card,
    reviewer,
    trade,
)

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=TEHRAN)  # Wednesday 27 Aban 1405
MONDAY = date(2026, 11, 23)
# The Monday the appointments fixtures' session takes place (09:00–12:00).
MEETING_DAY_TEN = datetime(2026, 11, 30, 10, 0, tzinfo=TEHRAN)
MOBILE = "09121234567"


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def survey_for(kind: str) -> Survey:
    """The active survey of a kind of case (a default one, made by the data migration)."""
    return Survey.objects.active().get(follows=kind)


def questions_of(survey: Survey) -> dict[str, object]:
    """A default survey's questions by a short name: headline (the first rating), yes_no,
    second_rating, choice, text (those the survey has)."""
    found = {}
    for question in survey.questions.all():
        if question.is_headline:
            found["headline"] = question
        elif question.kind == QuestionKind.RATING:
            found["second_rating"] = question
        else:
            found[question.kind] = question
    return found


_codes = iter(range(10**6))


def next_code(prefix: str = "1") -> str:
    """A made-up tracking code, unique in the test run (12 characters like the real ones)."""
    return f"{prefix}{next(_codes):011d}"


@pytest.fixture
def invite():
    """Invite as `case_finished` would, without a case: keyword arguments override."""

    def make(
        kind: str = Follows.COMPLAINT,
        *,
        unit=None,
        service_key: str = "",
        service_label: str = "",
        mobile: str = MOBILE,
        code: str | None = None,
    ) -> Invitation | None:
        prefix = {"complaint": "1", "appointment": "2", "service_request": "3"}[kind]
        return services.invite(
            case_kind=kind,
            case_code=code or next_code(prefix),
            mobile=mobile,
            outcome="",
            group=ReportGroup(
                unit_id=unit.pk if unit else None,
                service_key=service_key,
                service_label=service_label,
            ),
        )

    return make


# --- each kind of case, brought to its end ------------------------------------------------------


@pytest.fixture
def close_a_complaint(file_complaint, desk_clerk):  # noqa: F811
    def finish(**overrides):
        from complaints import services as complaints

        complaint = file_complaint(**overrides)
        complaints.answer_complaint(
            complaints.start_review(complaint, actor=desk_clerk),
            actor=desk_clerk,
            answer="چاله ترمیم شد.",
        )
        return complaints.close_complaint(complaint, actor=desk_clerk, outcome="resolved")

    return finish


@pytest.fixture
def approved_meeting(request_meeting, session, office_clerk):  # noqa: F811
    def approve(**overrides):
        from appointments import services as appointments

        meeting = request_meeting(**overrides)
        return appointments.approve_meeting(
            meeting, session=session, meeting_time=None, actor=office_clerk
        )

    return approve


@pytest.fixture
def ready_request(file_request, reviewer):  # noqa: F811
    """An online service request accepted and ready on Monday, waiting to be completed."""

    def make(**overrides):
        from processes import services as processes

        request = processes.start_review(file_request(**overrides), actor=reviewer)
        verdicts = {slot.pk: ("accepted", "") for slot in request.documents.all()}
        processes.review_documents(request, verdicts=verdicts, actor=reviewer)
        return processes.mark_ready(request, ready_date=MONDAY, actor=reviewer)

    return make


# --- reading pages ------------------------------------------------------------------------------


class Page:
    """A page's HTML as Django's test parser reads it, with a few finders (no parser library
    in the project's requirements)."""

    def __init__(self, html: str):
        from django.test.html import parse_html

        self.root = parse_html(html)

    @staticmethod
    def _walk(element):
        for child in getattr(element, "children", []):
            if not isinstance(child, str):
                yield child
                yield from Page._walk(child)

    def find_all(self, tag: str | None = None, within=None, **attrs) -> list:
        """`tag` elements (any if None) whose attributes equal `attrs` (`for_`, `class_`,
        `aria_hidden`: `_` for `-`, a trailing one dropped); a class is matched as one of the
        classes, `True` as present."""
        found = []
        for element in self._walk(within or self.root):
            if tag and element.name != tag:
                continue
            have = dict(element.attributes)
            if all(_matches(have, key, wanted) for key, wanted in attrs.items()):
                found.append(element)
        return found

    def find(self, tag: str | None = None, within=None, **attrs):
        found = self.find_all(tag, within, **attrs)
        return found[0] if found else None

    @staticmethod
    def text(element) -> str:
        if isinstance(element, str):
            return element
        return "".join(Page.text(child) for child in element.children)

    def get_text(self) -> str:
        return self.text(self.root)


def _matches(have: dict, key: str, wanted) -> bool:
    key = key.rstrip("_").replace("_", "-")
    if wanted is True:
        return key in have
    if key not in have:
        return False
    if key == "class":
        return wanted in (have[key] or "").split()
    return have[key] == wanted


def attr(element, name: str):
    """An attribute's value ("" for a present boolean one), None when absent."""
    have = dict(element.attributes)
    if name not in have:
        return None
    return have[name] if have[name] is not None else ""
