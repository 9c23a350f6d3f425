"""The results a manager reads: per question (count, mean, distribution, satisfied share, yes
share, options chosen), per unit and per service on the overall rating, for a period
[start, end); computed in the database in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk.models import Department
from surveys import reports, services
from surveys.models import Follows, Response
from tests.surveys.conftest import questions_of, survey_for

pytestmark = pytest.mark.django_db

POTHOLES = ("complaint-category-1", "آسفالت و چاله معابر")
TREES = ("complaint-category-2", "فضای سبز و درختان")
MAYOR = ("meeting-host-1", "علی رستمی (شهردار)")
DEPUTY = ("meeting-host-2", "سارا نوروزی (معاون خدمات شهری)")


@pytest.fixture
def green(db):
    return Department.objects.create(name="سازمان فضای سبز", slug="green-space")


@pytest.fixture
def answer(invite):
    """Invite for a case of `kind` in `unit` about `service`, and answer by question name
    (questions_of): one Response."""

    def make(kind, unit, service, **by_name) -> Response:
        invitation = invite(kind, unit=unit, service_key=service[0], service_label=service[1])
        asked = questions_of(invitation.survey)
        answers = {asked[name].pk: value for name, value in by_name.items() if value is not None}
        return services.answer_invitation(invitation, answers=answers)

    return make


@pytest.fixture
def answered(answer, streets, green):
    """Six answers about complaints and three about meetings:

    complaint   unit     service   headline  yes    second  comment
    1           streets  potholes  5         yes    4       «عالی بود»
    2           streets  potholes  4         no     -       -
    3           streets  trees     2         yes    1       -
    4           green    trees     3         no     5       «کند بود»
    5           green    trees     1         yes    -       -
    6           (none)   potholes  4         no     3       -

    meeting     unit     service   headline  choice
    7           streets  mayor     5         پیامک
    8           (none)   mayor     3         پیامک
    9           (none)   deputy    4         تماس تلفنی
    """
    c = Follows.COMPLAINT
    rows = [
        answer(c, streets, POTHOLES, headline=5, yes_no=True, second_rating=4, text="عالی بود"),
        answer(c, streets, POTHOLES, headline=4, yes_no=False),
        answer(c, streets, TREES, headline=2, yes_no=True, second_rating=1),
        answer(c, green, TREES, headline=3, yes_no=False, second_rating=5, text="کند بود"),
        answer(c, green, TREES, headline=1, yes_no=True),
        answer(c, None, POTHOLES, headline=4, yes_no=False, second_rating=3),
    ]
    m = Follows.MEETING
    rows += [
        answer(m, streets, MAYOR, headline=5, choice="پیامک"),
        answer(m, None, MAYOR, headline=3, choice="پیامک"),
        answer(m, None, DEPUTY, headline=4, choice="تماس تلفنی"),
    ]
    return rows


def by_name(results) -> dict:
    names = {q.pk: name for name, q in questions_of(results[0].question.survey).items()}
    return {names[r.question.pk]: r for r in results}


# --- per question -------------------------------------------------------------------------------


def test_question_results_of_the_complaint_survey(answered):
    survey = survey_for(Follows.COMPLAINT)
    results = reports.question_results(survey)
    # Every question, in the survey's order, answered or not.
    assert [r.question for r in results] == list(survey.questions.all())
    found = by_name(results)

    headline = found["headline"]
    assert headline.count == 6
    assert headline.mean == pytest.approx(19 / 6)  # 5+4+2+3+1+4
    assert headline.distribution == {1: 1, 2: 1, 3: 1, 4: 2, 5: 1}
    assert headline.satisfied == 3  # 5, 4, 4
    assert headline.satisfied_share == pytest.approx(0.5)

    yes_no = found["yes_no"]
    assert (yes_no.count, yes_no.yes) == (6, 3)
    assert yes_no.yes_share == pytest.approx(0.5)
    assert yes_no.mean is None and yes_no.distribution == {}

    second = found["second_rating"]  # optional: four answered it
    assert second.count == 4
    assert second.mean == pytest.approx(13 / 4)  # 4+1+5+3
    assert second.distribution == {1: 1, 2: 0, 3: 1, 4: 1, 5: 1}
    assert second.satisfied_share == pytest.approx(2 / 4)

    text = found["text"]
    assert text.count == 2 and text.mean is None


def test_question_results_count_the_options_chosen(answered):
    results = by_name(reports.question_results(survey_for(Follows.MEETING)))
    choice = results["choice"]
    assert choice.count == 3
    # Every option offered, in the editor's order, the unchosen ones with 0.
    assert choice.distribution == {"پیامک": 2, "تماس تلفنی": 1, "مراجعه حضوری": 0}
    assert choice.mean is None
    headline = results["headline"]
    assert (headline.count, headline.mean, headline.satisfied) == (3, pytest.approx(4.0), 2)


def test_a_survey_without_answers_has_empty_results(db):
    results = reports.question_results(survey_for(Follows.SERVICE_REQUEST))
    assert results and all(r.count == 0 for r in results)
    assert all(r.mean is None and r.satisfied_share is None for r in results)
    assert all(r.yes_share is None for r in results)
    headline = by_name(results)["headline"]
    assert headline.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


# --- per unit, per service ----------------------------------------------------------------------


def groups(results) -> dict:
    return {(g.key, g.label): (g.count, g.mean, g.satisfied, g.satisfied_share) for g in results}


def expected(count, total, satisfied):
    return (count, pytest.approx(total / count), satisfied, pytest.approx(satisfied / count))


def test_by_unit_on_the_overall_rating_of_one_survey(answered, streets, green):
    found = groups(reports.by_unit(survey=survey_for(Follows.COMPLAINT)))
    assert found == {
        (streets.pk, streets.name): expected(3, 5 + 4 + 2, 2),
        (green.pk, green.name): expected(2, 3 + 1, 0),
        (None, ""): expected(1, 4, 1),
    }


def test_by_unit_across_surveys_and_for_one_kind(answered, streets, green):
    assert groups(reports.by_unit()) == {
        (streets.pk, streets.name): expected(4, 5 + 4 + 2 + 5, 3),
        (green.pk, green.name): expected(2, 3 + 1, 0),
        (None, ""): expected(3, 4 + 3 + 4, 2),
    }
    assert groups(reports.by_unit(kind=Follows.MEETING)) == {
        (streets.pk, streets.name): expected(1, 5, 1),
        (None, ""): expected(2, 3 + 4, 1),
    }


def test_by_service(answered):
    assert groups(reports.by_service(survey=survey_for(Follows.COMPLAINT))) == {
        POTHOLES: expected(3, 5 + 4 + 4, 3),
        TREES: expected(3, 2 + 3 + 1, 0),
    }
    assert groups(reports.by_service(kind=Follows.MEETING)) == {
        MAYOR: expected(2, 5 + 3, 1),
        DEPUTY: expected(1, 4, 1),
    }


def test_only_the_overall_rating_counts_per_unit(answer, streets):
    """The second rating (staff's manner) must not mix into a unit's satisfaction."""
    answer(Follows.COMPLAINT, streets, POTHOLES, headline=1, yes_no=True, second_rating=5)
    [group] = reports.by_unit()
    assert (group.count, group.mean, group.satisfied) == (1, 1.0, 0)


# --- the period ---------------------------------------------------------------------------------


def test_the_period_is_start_inclusive_end_exclusive(answered, streets, green):
    start = timezone.now() - timedelta(days=30)
    end = timezone.now() - timedelta(days=10)
    first, second, third, fourth, *_rest = answered
    # 1 at the start (in), 2 inside (in), 3 at the end (out), 4 before the start (out); the
    # others answered now (out).
    moves = {
        first: start,
        second: start + timedelta(days=5),
        third: end,
        fourth: start - timedelta(seconds=1),
    }
    for response, at in moves.items():
        Response.objects.filter(pk=response.pk).update(submitted_at=at)

    survey = survey_for(Follows.COMPLAINT)
    headline = by_name(reports.question_results(survey, start, end))["headline"]
    assert (headline.count, headline.mean, headline.distribution) == (
        2,
        pytest.approx(4.5),
        {1: 0, 2: 0, 3: 0, 4: 1, 5: 1},
    )
    assert groups(reports.by_unit(start, end)) == {(streets.pk, streets.name): expected(2, 9, 2)}
    assert groups(reports.by_service(start, end)) == {POTHOLES: expected(2, 9, 2)}
    assert [c["text"] for c in reports.comments(survey, start, end)] == ["عالی بود"]
    # Only a start, or only an end.
    assert by_name(reports.question_results(survey, start=end))["headline"].count == 3
    assert by_name(reports.question_results(survey, end=start))["headline"].count == 1


# --- comments -----------------------------------------------------------------------------------


def test_comments_are_newest_first_with_their_case(answered, streets, green):
    first, _second, _third, fourth, *_rest = answered
    Response.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    rows = reports.comments(survey_for(Follows.COMPLAINT))
    assert [(r["text"], r["response__case_code"], r["response__unit__name"]) for r in rows] == [
        ("کند بود", fourth.case_code, green.name),
        ("عالی بود", first.case_code, streets.name),
    ]


# --- cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("how_many", [1, 25])
def test_question_results_take_three_queries_whatever_the_answers(
    how_many, answer, streets, django_assert_num_queries
):
    for n in range(how_many):
        answer(
            Follows.MEETING,
            streets,
            MAYOR,
            headline=n % 5 + 1,
            choice=["پیامک", "تماس تلفنی"][n % 2],
            text=f"نظر {n}",
        )
    survey = survey_for(Follows.MEETING)
    with django_assert_num_queries(3):
        results = reports.question_results(survey)
    assert by_name(results)["headline"].count == how_many
