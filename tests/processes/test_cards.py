"""The public service guides: the list with its Persian search and filters, a card with
every section at a fixed query count, its print layout and its checklist."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk.text import to_persian_digits
from processes.models import RequiredDocument, Service, ServiceFee, ServiceQuestion, ServiceStep

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [service.title for service in response.context["services"]]


@pytest.mark.parametrize(
    "typed",
    [
        "پروانه کسب",  # as stored
        "پروانه كسب",  # Arabic kaf
        "  پروانه    کسب ",  # extra spaces
        "کسب پروانه",  # other order
        "PROVANEH",  # nothing
    ],
)
def test_the_search_finds_a_card_whatever_the_keyboard(client, add_service, typed):
    add_service()
    found = names(client.get("/processes/", {"q": typed}))
    assert found == ([] if typed == "PROVANEH" else ["صدور پروانه کسب"])


@pytest.mark.parametrize("typed", ["پایان‌کار", "پایانکار", "پایان کار", "پايان كار"])
def test_the_search_is_the_same_with_or_without_the_non_joiner(client, add_service, typed):
    add_service(title="گواهی پایان‌کار ساختمان", slug="completion")
    add_service(title="صدور پروانه ساختمانی", slug="building-permit")
    assert names(client.get("/processes/", {"q": typed})) == ["گواهی پایان‌کار ساختمان"]


@pytest.mark.parametrize("typed", ["۱۲۳۴", "١٢٣٤", "1234"])
def test_the_catalogue_code_is_found_in_any_digits(client, add_service, typed):
    add_service(catalogue_code="1234-56")
    assert names(client.get("/processes/", {"q": typed})) == ["صدور پروانه کسب"]


def test_the_filters_narrow_by_category_unit_and_online(client, add_service, trade):
    add_service(accepts_online_requests=True)
    add_service(title="ابطال پروانه کسب", slug="cancel")
    assert names(client.get("/processes/", {"online": "true"})) == ["صدور پروانه کسب"]
    assert len(names(client.get("/processes/", {"category": trade.pk}))) == 2


def test_a_filter_value_that_is_gone_shows_every_card_with_a_note(client, add_service):
    add_service()
    response = client.get("/processes/", {"category": "99999"})
    assert response.status_code == 200
    assert names(response) == ["صدور پروانه کسب"]
    assert "یکی از فیلترها" in response.content.decode()


def test_a_pasted_paragraph_is_searched_by_its_beginning(client, add_service):
    add_service()
    response = client.get("/processes/", {"q": "پروانه " + "x" * 300})
    assert response.status_code == 200 and names(response) == []
    assert "یکی از فیلترها" not in response.content.decode()
    assert names(client.get("/processes/", {"q": "کسب " + " " * 300})) == ["صدور پروانه کسب"]


def test_unpublished_cards_are_neither_listed_nor_shown(client, add_service):
    add_service(published=False)
    assert names(client.get("/processes/")) == []
    assert client.get("/processes/business-licence-issue/").status_code == 404


def fill(service: Service, count: int) -> None:
    for order in range(count):
        number = to_persian_digits(order)
        ServiceStep.objects.create(
            service=service, order=order, title=f"گام {number}", department=service.department
        )
        RequiredDocument.objects.create(service=service, order=order, name=f"مدرک {number}")
        ServiceFee.objects.create(
            service=service, order=order, title=f"عوارض {number}", amount_rials=1_500_000
        )
        ServiceQuestion.objects.create(
            service=service, order=order, question=f"پرسش {number}؟", answer="پاسخ."
        )


@pytest.mark.parametrize("size", [1, 12])
def test_a_card_costs_the_same_queries_however_long_its_lists(client, add_service, size):
    fill(add_service(), size)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/processes/business-licence-issue/")
    assert response.status_code == 200
    card = [q for q in captured if "processes_" in q["sql"]]
    # The card with its category and unit, then its steps, documents, fees and questions.
    assert len(card) == 5


def test_a_card_drawn_once_is_kept_until_a_part_or_its_unit_changes(client, add_service):
    service = add_service()
    fill(service, 2)
    url = "/processes/business-licence-issue/"
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert not [q for q in captured if "processes_" in q["sql"]]

    step = service.steps.first()
    step.title = "بازدید کارشناس از محل"
    step.save()
    assert "بازدید کارشناس از محل" in client.get(url).content.decode()
    service.department.name = "اداره درآمد و مجوزهای صنفی"
    service.department.save()
    assert "اداره درآمد و مجوزهای صنفی" in client.get(url).content.decode()


def test_an_unknown_card_is_a_404_and_is_not_kept(client, add_service):
    add_service()
    assert client.get("/processes/no-such-card/").status_code == 404
    assert client.get("/processes/no-such-card/").status_code == 404


def test_a_card_shows_every_section_with_amounts_in_rials_and_tomans(client, add_service):
    fill(add_service(legal_basis="ماده ۵۵ قانون شهرداری‌ها"), 1)
    page = client.get("/processes/business-licence-issue/").content.decode()
    for section in ["گام‌ها", "مدارک لازم", "هزینه‌ها", "قوانین و مقررات", "پرسش‌های متداول"]:
        assert section in page
    assert "۱٬۵۰۰٬۰۰۰ ریال" in page and "۱۵۰٬۰۰۰ تومان" in page
    assert "۷ روز کاری" in page
    assert "۱۱ خرداد ۱۴۰۵" in page  # the review date, in Jalali


def test_a_free_card_says_so(client, add_service):
    add_service()
    assert "رایگان" in client.get("/processes/business-licence-issue/").content.decode()


def test_a_card_not_reviewed_for_a_year_says_so(client, add_service, time_machine):
    time_machine.move_to("2026-12-02 10:00 +03:30")
    add_service(last_reviewed=date(2025, 12, 1))
    add_service(title="تمدید پروانه کسب", slug="renewal", last_reviewed=date(2025, 12, 3))
    assert "بازبینی نشده" in client.get("/processes/business-licence-issue/").content.decode()
    assert "بازبینی نشده" not in client.get("/processes/renewal/").content.decode()
    assert list(Service.objects.due_for_review().values_list("slug", flat=True)) == [
        "business-licence-issue"
    ]


def test_the_print_layout_and_the_checklist_carry_the_card_without_the_site_menus(
    client, add_service
):
    fill(add_service(), 2)
    printed = client.get("/processes/business-licence-issue/print/").content.decode()
    assert "پرسش ۱؟" in printed and "<details" not in printed and "site-nav" not in printed
    checklist = client.get("/processes/business-licence-issue/checklist/").content.decode()
    assert "مدرک ۰" in checklist and "مدرک ۱" in checklist and "باجه ۵" in checklist
    assert "پرسش" not in checklist
