"""Migration 0003 on responses given before it: each one's rating of its survey's overall
satisfaction question (the headline) is copied from its answers onto the response."""

import pytest

from tests.migrations import migrate, migrate_to_the_latest


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Going back undoes what depends on surveys too: every app goes forward again."""
    yield
    migrate_to_the_latest()


@pytest.mark.django_db(transaction=True)
def test_the_headline_rating_is_copied_onto_the_responses():
    """Results count a response given before the migration with the overall rating it gave,
    not another question's rating, and one without an overall rating not at all."""
    apps = migrate([("surveys", "0002_default_surveys")])
    try:
        Survey = apps.get_model("surveys", "Survey")
        Question = apps.get_model("surveys", "Question")
        Response = apps.get_model("surveys", "Response")
        Answer = apps.get_model("surveys", "Answer")
        # A survey of its own (an earlier transactional test may have emptied the default
        # ones), since replaced by the active one when there is one.
        survey = Survey.objects.create(
            title="نظرسنجی پیگیری شکایت", follows="complaint", is_active=False
        )
        headline = Question.objects.create(
            survey=survey,
            order=1,
            kind="rating",
            text="از رسیدگی به درخواست خود چقدر راضی هستید؟",
            is_headline=True,
        )
        staff = Question.objects.create(
            survey=survey, order=2, kind="rating", text="برخورد همکاران با شما چگونه بود؟"
        )

        def answered(code, *ratings):
            response = Response.objects.create(survey=survey, case_kind="complaint", case_code=code)
            for question, rating in ratings:
                Answer.objects.create(response=response, question=question, rating=rating)
            return response

        rated = answered("100000000001", (staff, 5), (headline, 2))
        unrated = answered("100000000002", (staff, 4))
    except Exception:
        migrate_to_the_latest()
        raise

    apps = migrate([("surveys", "0003_overall_rating")])

    Response = apps.get_model("surveys", "Response")
    ratings = dict(Response.objects.values_list("pk", "overall_rating"))
    assert ratings == {rated.pk: 2, unrated.pk: None}
