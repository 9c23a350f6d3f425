"""The citizen's directory: grouped by unit, internal numbers never shown, a search that
understands Persian keyboards, tel: links, Persian digits, and a fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from desk.models import Department

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("contacts:directory")


def found(client, query: str) -> set[str]:
    response = client.get(DIRECTORY, {"q": query})
    assert response.status_code == 200
    return {contact.role for unit in response.context["units"] for contact in unit.listed}


@pytest.fixture
def directory(add_contact, green_space):
    add_contact(role="مدیر درآمد", name="احمد صالحی", phone="076-3524-2301", extension="301")
    add_contact(role="باجه عوارض نوسازی", phone="۰۷۶ ۳۵۲۴ ۲۰۰۰", extension="۳۱۱")
    add_contact(role="کارشناس وصول مطالبات", phone="076-3524-2315", is_public=False)
    add_contact(
        unit=green_space,
        role="کارشناس فضای سبز",
        name="پروین خلیفه",
        phone="076-3524-7300",
        other_numbers="0917 765 4310، 076-3524-7309",
    )


def test_it_lists_public_contacts_grouped_by_unit_with_place_and_hours(client, directory):
    response = client.get(DIRECTORY)

    units = response.context["units"]
    assert [unit.name for unit in units] == ["سازمان فضای سبز", "واحد درآمد"]
    assert [contact.role for contact in units[1].listed] == ["مدیر درآمد", "باجه عوارض نوسازی"]
    assert "ساختمان مرکزی، طبقه همکف، باجه ۲" in response.text
    assert "شنبه تا چهارشنبه ۷:۳۰ تا ۱۳:۳۰" in response.text
    assert "محاسبه و وصول عوارض." in response.text


def test_units_are_in_persian_alphabetical_order(client, add_contact):
    # By code points ه comes before و, and پ after both.
    for number, name in enumerate(["هنرهای شهری", "واحد ورزش", "پسماند"]):
        unit = Department.objects.create(name=name, slug=f"unit-{number}")
        add_contact(unit=unit, role="کارشناس")

    units = client.get(DIRECTORY).context["units"]

    assert [unit.name for unit in units] == ["پسماند", "واحد ورزش", "هنرهای شهری"]


def test_internal_contacts_are_never_shown(client, directory):
    assert "کارشناس وصول مطالبات" not in client.get(DIRECTORY).text
    assert "کارشناس وصول مطالبات" not in client.get(DIRECTORY, {"q": "وصول"}).text
    assert found(client, "2315") == set()


def test_contacts_of_an_inactive_unit_are_not_shown(client, directory, revenue):
    Department.objects.filter(pk=revenue.pk).update(is_active=False)

    assert found(client, "") == {"کارشناس فضای سبز"}


def test_numbers_are_tel_links_shown_with_persian_digits_left_to_right(client, directory):
    text = client.get(DIRECTORY).text

    assert '<a class="contact__phone" href="tel:07635242301" dir="ltr">۰۷۶-۳۵۲۴-۲۳۰۱</a>' in text
    assert 'href="tel:09177654310" dir="ltr">۰۹۱۷ ۷۶۵ ۴۳۱۰</a>' in text
    assert '<span dir="ltr">۳۰۱</span>' in text  # the extension
    assert "076-3524" not in text


@pytest.mark.parametrize(
    ("query", "roles"),
    [
        ("۳۵۲۴۲۳۰۱", {"مدیر درآمد"}),  # Persian digits
        ("٣٥٢٤٢٣٠١", {"مدیر درآمد"}),  # Arabic digits
        ("2301", {"مدیر درآمد"}),  # part of a number
        ("076-3524-2301", {"مدیر درآمد"}),  # with dashes
        ("(076) 3524 2301", {"مدیر درآمد"}),  # with brackets and spaces
        ("+98 76 3524 2301", {"مدیر درآمد"}),  # international form
        ("۳۱۱", {"باجه عوارض نوسازی"}),  # an extension
        ("4310", {"کارشناس فضای سبز"}),  # one of the other numbers
        ("مدير", {"مدیر درآمد"}),  # Arabic yeh
        ("كارشناس", {"کارشناس فضای سبز"}),  # Arabic kaf
        ("باجه", {"باجه عوارض نوسازی"}),  # role
        ("صالحی", {"مدیر درآمد"}),  # person's name
        ("درآمد", {"مدیر درآمد", "باجه عوارض نوسازی"}),  # unit name
        ("فضای سبز", {"کارشناس فضای سبز"}),  # unit name, two words
        ("  واحد   درآمد ", {"مدیر درآمد", "باجه عوارض نوسازی"}),  # stray spaces
        ("درآمد 301", {"مدیر درآمد"}),  # a word and a number
    ],
)
def test_search(client, directory, query, roles):
    assert found(client, query) == roles


def test_a_search_without_results_says_so_and_offers_the_whole_directory(client, directory):
    response = client.get(DIRECTORY, {"q": "آتش‌نشانی"})

    assert response.context["units"] == []
    assert "آتش‌نشانی" in response.text
    assert 'role="status"' in response.text
    assert f'href="{DIRECTORY}"' in response.text


def test_a_renamed_unit_is_found_by_its_new_name(client, directory, revenue):
    revenue.name = "مدیریت درآمد و عوارض"
    revenue.save()

    assert found(client, "عوارض و") == {"مدیر درآمد", "باجه عوارض نوسازی"}


def test_the_search_box_keeps_what_was_typed(client, directory):
    response = client.get(DIRECTORY, {"q": "<b>درآمد</b>"})

    assert 'value="&lt;b&gt;درآمد&lt;/b&gt;"' in response.text
    assert "<b>درآمد</b>" not in response.text


def make_directory(units: int, per_unit: int) -> None:
    for u in range(units):
        unit = Department.objects.create(name=f"واحد {u}", slug=f"unit-{u}", location="اتاق ۱")
        for i in range(per_unit):
            # save(), not bulk_create(): save() fills the search columns.
            Contact.objects.create(
                unit=unit, role=f"کارشناس {i}", phone=f"0763524{u:02}{i:02}", order=i
            )


@pytest.mark.parametrize(("units", "per_unit"), [(2, 2), (15, 12)])
@pytest.mark.parametrize("query", ["", "کارشناس", "3524"])
def test_the_page_takes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, units, per_unit, query
):
    make_directory(units, per_unit)

    # The site profile (header and footer), the units and their contacts; for the whole
    # directory also the read and the write of its cached fragment (the database cache's
    # write is a cull check, a look-up and an insert, in a savepoint under a test).
    with django_assert_max_num_queries(3 if query else 9):
        response = client.get(DIRECTORY, {"q": query})

    assert sum(len(unit.listed) for unit in response.context["units"]) == units * per_unit


@pytest.mark.parametrize(("units", "per_unit"), [(2, 2), (15, 12)])
def test_the_whole_directory_again_reads_nothing(
    client, django_assert_num_queries, units, per_unit, time_machine
):
    make_directory(units, per_unit)
    time_machine.move_to(timezone.now(), tick=False)  # within a second: desk/fragments.py
    first = main_content(client.get(DIRECTORY))

    with django_assert_num_queries(0):
        again = main_content(client.get(DIRECTORY))

    assert again == first and "کارشناس" in again


def main_content(response) -> str:
    # The rest of the page differs on every response: the language switch's CSRF token.
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_each_language_has_its_own_cached_directory(client):
    make_directory(1, 1)
    assert "ذخیره در مخاطبان" in client.get(DIRECTORY).text

    client.post(reverse("set_language"), {"language": "en", "next": DIRECTORY})

    assert "Save to my contacts" in client.get(DIRECTORY).text


def test_a_change_to_a_contact_or_a_unit_shows_at_once(client):
    make_directory(1, 2)
    contact = Contact.objects.get(role="کارشناس 1")
    client.get(DIRECTORY)

    contact.role = "کارشناس ارشد"
    contact.save()
    assert "کارشناس ارشد" in client.get(DIRECTORY).text

    contact.delete()
    assert "کارشناس ارشد" not in client.get(DIRECTORY).text

    unit = Department.objects.get()
    unit.name = "واحد تازه"
    unit.save()
    assert "واحد تازه" in client.get(DIRECTORY).text


def test_it_works_in_english_with_ascii_digits(client, directory):
    client.post(reverse("set_language"), {"language": "en", "next": DIRECTORY})

    text = client.get(DIRECTORY).text

    assert 'dir="ltr">076-3524-2301</a>' in text
