"""A citizen answers from the SMS link: plain radios that work without JavaScript, answers
recorded once, friendly Persian pages for a used, expired or unknown link, errors that keep
what was typed; opting out; the general survey open to anyone, with a robot trap and a rate
limit."""

from datetime import timedelta

import pytest

from desk.text import to_persian_digits
from surveys.models import Answer, Follows, Invitation, OptOut, Response
from tests.conftest import limits
from tests.surveys.conftest import Page, attr, questions_of, survey_for

pytestmark = pytest.mark.django_db

THANKS = "سپاسگزاریم"
RECORDED = "پاسخ‌های شما ثبت شد"
ALREADY = "شما پیش‌تر به این نظرسنجی پاسخ داده‌اید"
CLOSED = "این نظرسنجی بسته شده است"
UNKNOWN = "این پیوند نظرسنجی کار نمی‌کند"
COMMENT = "کارشناس با حوصله توضیح داد."


def soup(response) -> Page:
    return Page(response.content.decode())


def link(invitation) -> str:
    return f"/s/{invitation.token}"


@pytest.fixture
def invitation(invite, streets):
    return invite(
        Follows.COMPLAINT,
        unit=streets,
        service_key="complaint-category-7",
        service_label="آسفالت و چاله معابر",
    )


@pytest.fixture
def asked(invitation):
    return questions_of(invitation.survey)


def full_answers(asked, **overrides) -> dict:
    data = {
        f"q_{asked['headline'].pk}": "4",
        f"q_{asked['yes_no'].pk}": "no",
        f"q_{asked['second_rating'].pk}": "5",
        f"q_{asked['text'].pk}": COMMENT,
    }
    data.update(overrides)
    return data


def nothing_recorded() -> bool:
    return not Response.objects.exists() and not Answer.objects.exists()


# --- the form -----------------------------------------------------------------------------------


def test_the_link_shows_each_question_as_plain_radios_with_persian_ratings(
    client, invitation, asked
):
    response = client.get(link(invitation))
    assert response.status_code == 200
    page = soup(response)
    assert page.text(page.find("h1")).strip() == invitation.survey.title
    assert to_persian_digits(invitation.case_code) in page.get_text()
    # A plain form posted to the page itself: no JavaScript needed to answer.
    form = page.find("form", class_="survey-form")
    assert attr(form, "method") == "post" and not attr(form, "action")
    assert page.find("input", within=form, name="csrfmiddlewaretoken")
    assert page.find("button", within=form, type="submit")

    headline = f"q_{asked['headline'].pk}"
    radios = page.find_all("input", within=form, name=headline)
    assert {attr(radio, "type") for radio in radios} == {"radio"}
    assert sorted(attr(radio, "value") for radio in radios) == ["1", "2", "3", "4", "5"]
    for radio in radios:
        label = page.text(page.find("label", within=form, for_=attr(radio, "id")))
        assert label.startswith(to_persian_digits(attr(radio, "value"))), label
        assert not any(c.isascii() and c.isdigit() for c in label), label
    # The ratings are a group a screen reader announces with its question.
    [fieldset] = [
        f for f in page.find_all("fieldset") if page.find("input", within=f, name=headline)
    ]
    assert page.text(page.find("legend", within=fieldset)).strip() == asked["headline"].text

    yes_no = page.find_all("input", within=form, name=f"q_{asked['yes_no'].pk}")
    assert [(attr(r, "type"), attr(r, "value")) for r in yes_no] == [
        ("radio", "yes"),
        ("radio", "no"),
    ]
    labels = [page.text(page.find("label", within=form, for_=attr(r, "id"))) for r in yes_no]
    assert labels == ["بله", "خیر"]
    assert page.find("textarea", within=form, name=f"q_{asked['text'].pk}")


def test_answering_records_one_response_with_the_invitations_grouping(
    client, invitation, asked, streets
):
    response = client.post(link(invitation), full_answers(asked))
    assert response.status_code == 200
    text = soup(response).get_text()
    assert THANKS in text and RECORDED in text

    saved = Response.objects.get()
    assert saved.invitation == invitation
    assert saved.survey == invitation.survey
    assert (saved.case_kind, saved.case_code) == ("complaint", invitation.case_code)
    assert saved.unit == streets
    assert (saved.service_key, saved.service_label) == (
        "complaint-category-7",
        "آسفالت و چاله معابر",
    )
    answers = {a.question_id: a for a in saved.answers.all()}
    assert set(answers) == {q.pk for q in asked.values()}
    assert answers[asked["headline"].pk].rating == 4
    assert answers[asked["yes_no"].pk].yes is False
    assert answers[asked["second_rating"].pk].rating == 5
    assert answers[asked["text"].pk].text == COMMENT
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_an_optional_question_left_empty_is_not_stored(client, invitation, asked):
    data = full_answers(asked)
    del data[f"q_{asked['second_rating'].pk}"]
    data[f"q_{asked['text'].pk}"] = "   "
    client.post(link(invitation), data)
    saved = Response.objects.get()
    assert set(saved.answers.values_list("question_id", flat=True)) == {
        asked["headline"].pk,
        asked["yes_no"].pk,
    }


def test_a_second_post_gets_the_already_answered_page_and_stores_nothing_more(
    client, invitation, asked
):
    client.post(link(invitation), full_answers(asked))
    again = client.post(link(invitation), full_answers(asked, **{f"q_{asked['headline'].pk}": "1"}))
    assert again.status_code == 410
    assert ALREADY in soup(again).get_text()
    assert Response.objects.count() == 1
    assert Answer.objects.filter(rating=1).count() == 0
    # Opening the link again says the same.
    assert client.get(link(invitation)).status_code == 410


def test_an_expired_link_gets_a_closed_page_and_records_nothing(
    client, invitation, asked, time_machine
):
    time_machine.shift(timedelta(days=15))
    opened = client.get(link(invitation))
    assert opened.status_code == 410
    assert CLOSED in soup(opened).get_text()
    posted = client.post(link(invitation), full_answers(asked))
    assert posted.status_code == 410
    assert CLOSED in soup(posted).get_text()
    assert nothing_recorded()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize("token", ["AAAAAAAAAAAAAAAAAAAAAA", "x"])
def test_an_unknown_link_gets_a_friendly_persian_404(client, token, invitation, asked):
    response = client.get(f"/s/{token}")
    assert response.status_code == 404
    page = soup(response)
    assert UNKNOWN in page.get_text()
    # It points to the general survey instead, and offers no opt-out for a link it does
    # not know.
    assert page.find("a", href="/surveys/general/")
    assert not [f for f in page.find_all("form") if "opt-out" in (attr(f, "action") or "")]
    assert client.post(f"/s/{token}", full_answers(asked)).status_code == 404
    assert nothing_recorded()


def test_a_required_question_missing_shows_the_form_again_with_what_was_typed(
    client, invitation, asked
):
    data = full_answers(asked)
    del data[f"q_{asked['headline'].pk}"]
    response = client.post(link(invitation), data)
    assert response.status_code == 200
    page = soup(response)
    summary = page.text(page.find(data_error_summary=True))
    assert "لطفاً موارد زیر را اصلاح کنید" in summary
    assert asked["headline"].text in summary
    assert "required" not in summary.lower() and "لازم" in summary
    # What the citizen typed and chose is still there.
    typed = page.find("textarea", name=f"q_{asked['text'].pk}")
    assert page.text(typed).strip() == COMMENT
    no = page.find("input", name=f"q_{asked['yes_no'].pk}", value="no")
    assert attr(no, "checked") is not None
    assert nothing_recorded()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize("rating", ["0", "6", "۶", "five", "4.5"])
def test_a_rating_outside_1_to_5_is_refused(client, invitation, asked, rating):
    data = full_answers(asked, **{f"q_{asked['headline'].pk}": rating})
    response = client.post(link(invitation), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert f"q_{asked['headline'].pk}" in form.errors
    assert nothing_recorded()


def test_an_option_not_offered_is_refused(client, invite):
    invitation = invite(Follows.MEETING)
    asked = questions_of(invitation.survey)
    data = {f"q_{asked['headline'].pk}": "5", f"q_{asked['choice'].pk}": "کبوتر نامه‌بر"}
    response = client.post(link(invitation), data)
    assert response.status_code == 200
    assert f"q_{asked['choice'].pk}" in response.context["form"].errors
    assert nothing_recorded()

    chosen = asked["choice"].option_list[1]
    client.post(link(invitation), {**data, f"q_{asked['choice'].pk}": chosen})
    assert Answer.objects.get(question=asked["choice"]).choice == chosen


# --- opting out ---------------------------------------------------------------------------------


def test_opting_out_stops_later_invitations_to_that_mobile(
    client, invitation, invite, sms_outbox, django_capture_on_commit_callbacks
):
    response = client.post(f"{link(invitation)}/opt-out/")
    assert response.status_code == 200
    assert "دیگر نظرسنجی نمی‌فرستیم" in soup(response).get_text()
    assert OptOut.objects.filter(mobile=invitation.mobile).exists()

    with django_capture_on_commit_callbacks(execute=True):
        later = invite(Follows.SERVICE_REQUEST, mobile=invitation.mobile)
        other = invite(Follows.SERVICE_REQUEST, mobile="09350001122")
    assert later is None and other is not None
    assert [m.receiver for m in sms_outbox] == ["09350001122"]


def test_opting_out_works_from_an_answered_or_expired_link_too(
    client, invitation, asked, time_machine
):
    client.post(link(invitation), full_answers(asked))
    time_machine.shift(timedelta(days=30))
    assert client.post(f"{link(invitation)}/opt-out/").status_code == 200
    assert OptOut.objects.filter(mobile=invitation.mobile).count() == 1
    # Twice is fine.
    assert client.post(f"{link(invitation)}/opt-out/").status_code == 200
    assert OptOut.objects.count() == 1


def test_opting_out_needs_a_post_and_a_known_link(client, invitation):
    assert client.get(f"{link(invitation)}/opt-out/").status_code == 405
    assert client.post("/s/AAAAAAAAAAAAAAAAAAAAAA/opt-out/").status_code == 404
    assert not OptOut.objects.exists()


# --- the general survey -------------------------------------------------------------------------


@pytest.fixture
def general():
    survey = survey_for(Follows.GENERAL)
    return survey, questions_of(survey)


def general_answers(asked, **overrides) -> dict:
    data = {
        f"q_{asked['headline'].pk}": "3",
        f"q_{asked['choice'].pk}": asked["choice"].option_list[0],
        f"q_{asked['text'].pk}": "صف باجه‌ها طولانی بود.",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_general_survey_is_open_to_anyone(client, general):
    survey, asked = general
    opened = client.get("/surveys/general/")
    assert opened.status_code == 200
    page = soup(opened)
    assert page.text(page.find("h1")).strip() == survey.title

    response = client.post("/surveys/general/", general_answers(asked))
    assert response.status_code == 200
    assert RECORDED in soup(response).get_text()
    saved = Response.objects.get()
    assert saved.survey == survey
    assert (saved.invitation, saved.case_code, saved.unit, saved.service_key) == (
        None,
        "",
        None,
        "",
    )
    assert saved.answers.get(question=asked["headline"]).rating == 3
    assert saved.answers.get(question=asked["choice"]).choice == asked["choice"].option_list[0]
    assert not Invitation.objects.exists()


def test_the_general_survey_hides_its_robot_trap_from_people(client, general):
    page = soup(client.get("/surveys/general/"))
    wrapper = page.find(class_="survey-trap")
    assert attr(wrapper, "aria-hidden") == "true"
    trap = page.find("input", within=wrapper, name="website")
    assert attr(trap, "tabindex") == "-1" and attr(trap, "autocomplete") == "off"
    assert len(page.find_all("input", name="website")) == 1


def test_a_robot_filling_the_trap_is_thanked_and_nothing_is_kept(client, general):
    _survey, asked = general
    response = client.post(
        "/surveys/general/", general_answers(asked, website="https://spam.example")
    )
    assert response.status_code == 200
    assert RECORDED in soup(response).get_text()
    assert nothing_recorded()


def test_the_general_survey_is_rate_limited_per_address_keeping_what_was_typed(
    client, general, settings
):
    settings.RATE_LIMITS = limits(settings, "survey", address=1)
    _survey, asked = general
    assert client.post("/surveys/general/", general_answers(asked)).status_code == 200
    typed = general_answers(asked, **{f"q_{asked['text'].pk}": "بار دوم می‌نویسم."})
    response = client.post("/surveys/general/", typed)
    assert response.status_code == 429
    page = soup(response)
    assert "از این اتصال پاسخ‌های زیادی رسیده است" in page.get_text()
    typed_text = page.find("textarea", name=f"q_{asked['text'].pk}")
    assert page.text(typed_text).strip() == "بار دوم می‌نویسم."
    three = page.find("input", name=f"q_{asked['headline'].pk}", value="3")
    assert attr(three, "checked") is not None
    assert Response.objects.count() == 1


def test_the_invitation_link_is_not_rate_limited_like_the_general_survey(client, invite, settings):
    settings.RATE_LIMITS = limits(settings, "survey", address=1)
    for _ in range(3):
        invitation = invite()
        asked = questions_of(invitation.survey)
        response = client.post(link(invitation), full_answers(asked))
        assert response.status_code == 200
    assert Response.objects.count() == 3


def test_a_closed_general_survey_says_so(client, general):
    survey, asked = general
    survey.is_active = False
    survey.save()
    assert client.get("/surveys/general/").status_code == 404
    assert client.post("/surveys/general/", general_answers(asked)).status_code == 404
    assert nothing_recorded()


# --- what the editors typed, what the browser sends ---------------------------------------------


def test_an_option_typed_with_arabic_letters_by_an_editor_can_be_chosen(client, invite):
    invitation = invite(Follows.MEETING)
    asked = questions_of(invitation.survey)
    # Pasted from a document written with an Arabic keyboard: Arabic kaf and yeh.
    asked["choice"].options = "پیامک\nنامه كتبي\nمراجعه حضوری"
    asked["choice"].save()
    data = {f"q_{asked['headline'].pk}": "5", f"q_{asked['choice'].pk}": "نامه كتبي"}
    response = client.post(link(invitation), data)
    assert RECORDED in soup(response).get_text()
    assert Answer.objects.filter(question=asked["choice"]).count() == 1


LIMIT_SAID = "حداکثر ۱۰۰۰ نویسه."


def test_the_comment_box_says_its_limit_and_counts(client, invitation, asked):
    page = soup(client.get(link(invitation)))
    box = page.find("textarea", name=f"q_{asked['text'].pk}")
    assert attr(box, "maxlength") == "1000"
    assert attr(box, "data-counter")
    assert LIMIT_SAID in page.get_text()


def test_a_comment_the_browser_allowed_is_accepted(client, invitation, asked):
    # Ten lines: 991 letters and 9 line breaks are 1000 characters for the browser, which
    # posts each break as CR LF.
    lines = ["خ" * 100] * 9 + ["خ" * 91]
    comment = "\r\n".join(lines)
    assert len(comment.replace("\r\n", "\n")) == 1000
    response = client.post(
        link(invitation), full_answers(asked, **{f"q_{asked['text'].pk}": comment})
    )
    assert RECORDED in soup(response).get_text()
    assert Answer.objects.get(question=asked["text"]).text == "\n".join(lines)
