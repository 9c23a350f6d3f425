"""The citizen's page of a complaint: who may see it, what it shows, adding information,
objecting to an answer, and the attachments served through the tracking session."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services
from complaints.models import Outcome, Status
from desk.uploads import check_upload
from tests.desk.test_uploads import photo

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
MONDAY_2_AZAR_1405 = datetime(2026, 11, 23, 9, 0, tzinfo=TEHRAN)


@pytest.fixture(autouse=True)
def persian(settings, private_storage):
    settings.LANGUAGE_CODE = "fa"
    cache.clear()


def checked_photo(name="IMG_2041.JPG"):
    return check_upload(SimpleUploadedFile(name, photo(), content_type="image/jpeg"))


@pytest.fixture
def complaint(file_complaint):
    """Maryam's complaint about a pothole, with her photo."""
    return file_complaint(attachments=[checked_photo()])


@pytest.fixture
def maryam(client, complaint, open_case):
    """Maryam's browser, after she proved at /track/ that the complaint is hers."""
    open_case(client, complaint.tracking_code)
    return client


def page_of(complaint) -> str:
    return f"/complaints/{complaint.tracking_code}/"


def test_the_page_needs_the_tracking_session(client, complaint):
    response = client.get(page_of(complaint))
    assert response.status_code == 302
    assert response["Location"] == f"/track/?code={complaint.tracking_code}"


def test_another_citizens_case_is_never_shown(maryam, file_complaint):
    other = file_complaint(mobile="09351112233", subject="درخواست همسایه")
    response = maryam.get(page_of(other))
    assert response.status_code == 302
    assert response["Location"] == f"/track/?code={other.tracking_code}"
    assert maryam.post(f"{page_of(other)}info/", {"text": "x"}).status_code == 302
    assert maryam.post(f"{page_of(other)}reopen/", {"reason": "x"}).status_code == 302


def test_a_code_that_is_not_a_code_is_not_found(maryam):
    assert maryam.get("/complaints/12345/").status_code == 404
    assert maryam.get("/complaints/abcdefghijkl/").status_code == 404


@time_machine.travel(MONDAY_2_AZAR_1405, tick=False)
def test_it_shows_the_case_in_persian(client, file_complaint, open_case):
    complaint = file_complaint(attachments=[checked_photo()])
    open_case(client, complaint.tracking_code)
    html = client.get(page_of(complaint)).text
    assert "شکایت: چاله بزرگ در خیابان امام" in html
    assert "آسفالت و چاله معابر" in html
    assert "معاونت خدمات شهری" in html
    assert "ثبت شده" in html
    assert "پاسخ تا شنبه ۱۴ آذر ۱۴۰۵ اعلام می‌شود." in html
    assert "درخواست شما ثبت شد" in html
    assert "۱۴۰۵/۰۹/۰۲ ساعت ۰۹:۰۰" in html
    assert "IMG_2041.JPG" in html
    assert re.search(r"\([۰-۹]+(٫[۰-۹])? (بایت|کیلوبایت)\)", html), "the photo's size"
    # In the page's text: the random CSRF token may contain the letters "KB".
    assert " KB" not in html and "(KB" not in html and "KB)" not in html
    assert "افزودن توضیحات تکمیلی" in html
    assert "به پاسخ اعتراض دارید؟" not in html


def test_the_timeline_shows_public_events_but_not_internal_notes(
    maryam, complaint, desk_clerk, green_space
):
    services.start_review(complaint, actor=desk_clerk)
    services.add_internal_note(complaint, actor=desk_clerk, note="شهروند قبلاً هم شکایت کرده")
    services.refer_complaint(complaint, department=green_space, actor=desk_clerk, note="فوری")
    html = maryam.get(page_of(complaint)).text
    assert "بررسی آغاز شد" in html
    assert "به واحد مسئول ارجاع شد" in html
    assert "به سازمان فضای سبز ارجاع شد." in html
    assert "ارجاع به واحد" in html
    assert "شهروند قبلاً هم شکایت کرده" not in html
    assert desk_clerk.last_name not in html


def test_the_answer_is_shown_and_can_be_objected_to(maryam, complaint, desk_clerk):
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="چاله تا پایان هفته ترمیم می‌شود.")
    html = maryam.get(page_of(complaint)).text
    assert "پاسخ داده شده" in html
    assert "پاسخ شهرداری" in html
    assert "چاله تا پایان هفته ترمیم می‌شود." in html
    assert "به پاسخ اعتراض دارید؟" in html
    assert "می‌توانید اعتراض کنید؛ در این صورت درخواست دوباره بررسی می‌شود." in html
    assert 'action="/complaints/' in html and '/reopen/"' in html
    assert "پاسخ تا" not in html  # no due date once answered
    assert "افزودن توضیحات تکمیلی" not in html


def test_objecting_reopens_the_case(maryam, complaint, desk_clerk):
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="انجام شد.")
    response = maryam.post(f"{page_of(complaint)}reopen/", {"reason": "چاله هنوز هست"})
    assert response.status_code == 302
    assert response["Location"] == page_of(complaint)
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    html = maryam.get(page_of(complaint)).text
    assert "اعتراض شما ثبت شد و درخواست دوباره بررسی می‌شود." in html
    assert "به پاسخ اعتراض کردید" in html
    assert "چاله هنوز هست" in html
    assert "بازگشایی شده" in html


def test_an_objection_needs_a_reason(maryam, complaint, desk_clerk):
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="انجام شد.")
    response = maryam.post(f"{page_of(complaint)}reopen/", {"reason": "  "})
    assert response.status_code == 200
    assert "این فیلد لازم است." in response.text
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED


def test_an_objection_after_fourteen_days_is_refused_in_persian(
    maryam, complaint, desk_clerk, open_case
):
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="انجام شد.")
    with time_machine.travel(complaint.events.last().created_at + timedelta(days=15)):
        open_case(maryam, complaint.tracking_code)  # her session has expired meanwhile
        assert "به پاسخ اعتراض دارید؟" not in maryam.get(page_of(complaint)).text
        response = maryam.post(f"{page_of(complaint)}reopen/", {"reason": "هنوز درست نشده"})
    assert response.status_code == 200
    assert "اعتراض به پاسخ تنها تا ۱۴ روز پس از اعلام آن ممکن است." in response.text
    assert 'role="alert"' in response.text
    assert "هنوز درست نشده" in response.text


def test_an_objection_to_an_open_case_is_refused_without_a_500(maryam, complaint):
    response = maryam.post(f"{page_of(complaint)}reopen/", {"reason": "اعتراض"}, follow=True)
    assert response.status_code == 200
    assert "این کار در وضعیت کنونی درخواست ممکن نیست." in response.text
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_the_citizen_adds_information_and_a_file(maryam, complaint):
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\ntrailer<<>>\n%%EOF\n", "application/pdf")
    response = maryam.post(
        f"{page_of(complaint)}info/", {"text": "عکس دیگری از محل", "files": [pdf]}
    )
    assert response.status_code == 302
    event = complaint.events.last()
    assert (event.action, event.by_citizen, event.is_public) == ("citizen_info", True, True)
    assert complaint.attachments.count() == 2
    html = maryam.get(page_of(complaint)).text
    assert "توضیحات شما به درخواست افزوده شد." in html
    assert "توضیحات تکمیلی افزودید" in html
    assert "عکس دیگری از محل" in html
    assert "letter.pdf" in html


def test_adding_nothing_is_refused_in_persian(maryam, complaint):
    response = maryam.post(f"{page_of(complaint)}info/", {"text": " "})
    assert response.status_code == 200
    assert "متنی بنویسید یا فایلی پیوست کنید." in response.text
    assert complaint.events.count() == 1


def test_adding_a_bad_file_keeps_the_text_and_names_the_file(maryam, complaint):
    bad = SimpleUploadedFile("virus.jpg", b"MZ" + b"\x00" * 100)
    response = maryam.post(f"{page_of(complaint)}info/", {"text": "توضیح من", "files": [bad]})
    assert response.status_code == 200
    assert "فایل «virus.jpg» عکس JPEG یا PNG یا سند PDF نیست." in response.text
    assert "توضیح من</textarea>" in response.text
    assert "این فایل‌ها را دوباره انتخاب کنید" in response.text


def test_no_more_than_three_files_in_all(maryam, complaint):
    photos = [SimpleUploadedFile(f"p{n}.jpg", photo(), content_type="image/jpeg") for n in range(3)]
    response = maryam.post(f"{page_of(complaint)}info/", {"text": "عکس‌ها", "files": photos})
    assert response.status_code == 200
    assert "حداکثر ۲ فایل می‌توانید پیوست کنید." in response.text
    assert complaint.attachments.count() == 1


def test_adding_to_a_closed_case_is_refused_without_a_500(maryam, complaint, desk_clerk):
    services.close_complaint(complaint, actor=desk_clerk, outcome=Outcome.NO_ACTION)
    assert "افزودن توضیحات تکمیلی" not in maryam.get(page_of(complaint)).text
    response = maryam.post(f"{page_of(complaint)}info/", {"text": "یک نکته"}, follow=True)
    assert response.status_code == 200
    assert "این کار در وضعیت کنونی درخواست ممکن نیست." in response.text
    assert "بسته شده" in response.text
    assert complaint.events.count() == 2


def test_a_closed_case_says_its_outcome(maryam, complaint, desk_clerk):
    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="چاله ترمیم شد.")
    services.close_complaint(complaint, actor=desk_clerk, outcome=Outcome.NOT_RESOLVED)

    html = maryam.get(page_of(complaint)).text

    assert re.search(r"<dt[^>]*>نتیجه</dt>\s*<dd[^>]*>برطرف نشده</dd>", html)
    assert "نتیجه: برطرف نشده." in html  # on the timeline, under «بسته شد»


def test_a_duplicate_names_her_own_case_it_joins(maryam, complaint, file_complaint, desk_clerk):
    original = file_complaint(mobile=complaint.mobile)
    services.mark_duplicate(complaint, original=original, actor=desk_clerk)
    html = maryam.get(page_of(complaint)).text
    assert "تکراری" in html
    persian = original.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f'<span dir="ltr">{persian}</span>' in html


def test_a_duplicate_of_another_citizens_case_hides_its_code(
    maryam, complaint, file_complaint, desk_clerk
):
    original = file_complaint(mobile="09351112233")
    services.mark_duplicate(complaint, original=original, actor=desk_clerk)
    html = maryam.get(page_of(complaint)).text
    assert "همراه با درخواست دیگری در همین موضوع" in html
    persian = original.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian not in html
    assert original.tracking_code not in html


def test_the_citizen_downloads_her_own_attachment(maryam, complaint):
    attachment = complaint.attachments.get()
    response = maryam.get(f"{page_of(complaint)}files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_attachments_are_refused_without_the_session_or_for_another_case(
    client, maryam, complaint, file_complaint
):
    attachment = complaint.attachments.get()
    other = file_complaint(mobile="09351112233", attachments=[checked_photo("x.jpg")])
    others_file = other.attachments.get()
    # Another case's file, asked for under Maryam's code, does not exist for her.
    assert maryam.get(f"{page_of(complaint)}files/{others_file.pk}/").status_code == 404
    assert maryam.get(f"{page_of(other)}files/{others_file.pk}/").status_code == 404
    client.logout()
    stranger = client.__class__()
    assert stranger.get(f"{page_of(complaint)}files/{attachment.pk}/").status_code == 404


def test_the_attachment_url_is_never_a_public_media_url(maryam, complaint):
    attachment = complaint.attachments.get()
    html = maryam.get(page_of(complaint)).text
    assert f'href="{page_of(complaint)}files/{attachment.pk}/"' in html
    assert attachment.file.name not in html


def add_events(complaint, clerk, count):
    for n in range(count):
        services.add_citizen_info(complaint, text=f"توضیح {n}")
        services.add_internal_note(complaint, actor=clerk, note=f"یادداشت {n}")


# The session, the complaint, and where its kept body is drawn (a first visit, as here): its
# category, unit, public events and attachments, and the site profile of the layout.
QUERY_BOUND = 7


def test_the_page_runs_a_fixed_number_of_queries(
    maryam, complaint, desk_clerk, django_assert_max_num_queries
):
    services.start_review(complaint, actor=desk_clerk)  # 2 events, 1 attachment
    with django_assert_max_num_queries(QUERY_BOUND):
        assert maryam.get(page_of(complaint)).status_code == 200


def test_a_long_case_runs_the_same_number_of_queries(
    maryam, complaint, desk_clerk, django_assert_max_num_queries
):
    services.add_citizen_info(complaint, text="دو عکس دیگر", attachments=[checked_photo()] * 2)
    add_events(complaint, desk_clerk, 15)  # 30 more events, 3 attachments
    assert complaint.events.count() >= 30
    assert complaint.attachments.count() == 3
    with django_assert_max_num_queries(QUERY_BOUND):
        html = maryam.get(page_of(complaint)).text
    assert "توضیح 14" in html
    assert "یادداشت 14" not in html


def test_a_returning_citizen_gets_the_kept_page_and_every_step_at_once(
    maryam, complaint, desk_clerk
):
    maryam.get(page_of(complaint))
    with CaptureQueriesContext(connection) as warm:
        assert "چاله" in maryam.get(page_of(complaint)).text
    # The complaint's row, its files (for the room an open case has left), and the session
    # when sessions live in the database: not its events, category or unit.
    read = {query["sql"].split(" FROM ")[1].split()[0].strip('"') for query in warm}
    expected = {"complaints_complaint", "complaints_complaintattachment", "django_session"}
    if settings.SESSION_ENGINE.endswith("cache"):
        expected.remove("django_session")
    assert read == expected and len(warm) == len(expected)

    services.start_review(complaint, actor=desk_clerk)
    services.answer_complaint(complaint, actor=desk_clerk, answer="چاله فردا پر می‌شود.")

    assert "چاله فردا پر می‌شود." in maryam.get(page_of(complaint)).text
