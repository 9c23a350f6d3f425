"""The directory's back office: who may see, change, import and export it; the export →
edit → import round trip; and bad files that are refused whole with a clear report."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:contacts_contact_changelist")
IMPORT = reverse("admin:contacts_contact_import")
PROCESS_IMPORT = reverse("admin:contacts_contact_process_import")
EXPORT = reverse("admin:contacts_contact_export")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
COLUMNS = ["id", "unit", "role", "name", "phone", "extension", "other_numbers", "email"]
COLUMNS += ["is_public", "order"]


@pytest.fixture
def directory(add_contact, green_space):
    return [
        add_contact(role="مدیر درآمد", name="احمد صالحی", phone="076-3524-2301", extension="301"),
        add_contact(role="باجه عوارض", phone="076-3524-2000", extension="311", order=20),
        add_contact(role="وصول مطالبات", phone="076-3524-2315", is_public=False, order=30),
        add_contact(
            unit=green_space,
            role="کارشناس فضای سبز",
            phone="076-3524-7300",
            other_numbers="0917 765 4310, 076-3524-7309",
            email="sabz@example.ir",
        ),
    ]


def snapshot() -> dict[int, dict]:
    return {row["id"]: row for row in Contact.objects.values()}


def export(client, file_format: str) -> bytes:
    fields = {f"contactresource_{column}": "on" for column in COLUMNS}
    response = client.post(EXPORT, {"format": file_format, "resource": "0", **fields})
    assert response.status_code == 200, response.content[:500]
    return response.content


def import_file(client, content: bytes, file_format: str, name: str = "directory.csv"):
    """Upload a file, and confirm it when the preview allows: the admin's two steps."""
    upload = SimpleUploadedFile(name, content)
    preview = client.post(IMPORT, {"format": file_format, "resource": "0", "import_file": upload})
    assert preview.status_code == 200
    confirm = preview.context.get("confirm_form")
    if confirm is None:
        return preview
    return client.post(PROCESS_IMPORT, confirm.initial, follow=True)


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def write_csv(rows: list[dict], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


# --- who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CHANGELIST, IMPORT, EXPORT])
def test_the_editor_may_list_import_and_export(editor_client, url):
    assert editor_client.get(url).status_code == 200


def test_a_viewer_may_export_but_not_import(client, viewer):
    client.force_login(viewer)

    assert client.get(EXPORT).status_code == 200
    assert client.get(IMPORT).status_code == 403
    assert IMPORT not in client.get(CHANGELIST).text


@pytest.mark.parametrize("url", [CHANGELIST, IMPORT, EXPORT])
def test_staff_without_permission_are_refused(client, outsider, url):
    client.force_login(outsider)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [CHANGELIST, IMPORT, EXPORT, PROCESS_IMPORT])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- the list -----------------------------------------------------------------------------------


def test_the_order_is_edited_in_the_list(editor_client, directory):
    first, second = directory[:2]
    form = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-order": "50",
        "form-0-is_public": "on",
        "form-1-id": second.pk,
        "form-1-order": "5",
        "form-1-is_public": "on",
        "_save": "Save",
    }

    response = editor_client.post(
        f"{CHANGELIST}?unit__id__exact={first.unit_id}&is_public__exact=1", form
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (50, 5)


def test_the_list_search_understands_persian_digits_and_arabic_letters(editor_client, directory):
    for term, role in [("۲۳۰۱", "مدیر درآمد"), ("كارشناس", "کارشناس فضای سبز")]:
        response = editor_client.get(CHANGELIST, {"q": term})
        assert [c.role for c in response.context["cl"].result_list] == [role]


# --- export, change, import ---------------------------------------------------------------------


def test_csv_round_trip_changes_only_what_was_edited(editor_client, directory):
    before = snapshot()
    rows = read_csv(export(editor_client, CSV_FORMAT))
    assert len(rows) == 4
    changed = next(row for row in rows if row["role"] == "باجه عوارض")
    changed["extension"] = "۳۱۲"
    changed["name"] = "سمیه انصاری"

    response = import_file(editor_client, write_csv(rows), CSV_FORMAT)

    assert response.status_code == 200
    after = snapshot()
    edited = int(changed["id"])
    assert (after[edited]["extension"], after[edited]["name"]) == ("312", "سمیه انصاری")
    assert {pk: row for pk, row in after.items() if pk != edited} == {
        pk: row for pk, row in before.items() if pk != edited
    }
    assert {
        k: v
        for k, v in after[edited].items()
        if k not in {"extension", "name", "search_text", "search_digits"}
    } == {
        k: v
        for k, v in before[edited].items()
        if k not in {"extension", "name", "search_text", "search_digits"}
    }


def test_xlsx_round_trip_adds_a_new_row_and_survives_number_cells(editor_client, directory):
    before = snapshot()
    book = openpyxl.load_workbook(io.BytesIO(export(editor_client, XLSX_FORMAT)))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == COLUMNS
    # Typed into plain cells, Excel keeps numbers: the leading zero of the phone is lost.
    sheet.append([None, "سازمان فضای سبز", "مسئول دفتر", None, 7635247301, 12, None, None, 1, 40])
    out = io.BytesIO()
    book.save(out)

    import_file(editor_client, out.getvalue(), XLSX_FORMAT, "directory.xlsx")

    after = snapshot()
    assert {pk: row for pk, row in after.items() if pk in before} == before
    (new,) = Contact.objects.exclude(pk__in=before)
    assert (new.unit.name, new.role, new.phone, new.extension, new.order) == (
        "سازمان فضای سبز",
        "مسئول دفتر",
        "07635247301",
        "12",
        40,
    )


def test_the_csv_export_opens_as_persian_in_excel(editor_client, directory):
    content = export(editor_client, CSV_FORMAT)

    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    assert "مدیر درآمد" in content.decode("utf-8-sig")


# --- bad files ----------------------------------------------------------------------------------


def valid_rows(directory) -> list[dict]:
    fields = ["unit", "role", "phone", "extension", "email", "is_public"]
    return [{"id": c.pk} | {field: getattr(c, field) for field in fields} for c in directory]


def assert_refused(response, *phrases: str) -> None:
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    text = response.content.decode()
    for phrase in phrases:
        assert phrase in text, phrase


@pytest.mark.parametrize(
    ("change", "phrases"),
    [
        ({"unit": "واحد ناموجود"}, ["واحدی با نام «واحد ناموجود» وجود ندارد"]),
        ({"phone": "تماس بگیرید"}, ["«تماس بگیرید» شماره تلفن نیست"]),
        ({"phone": "12"}, ["«12» شماره تلفن نیست"]),
        ({"extension": "12a"}, ["شماره داخلی یک تا شش رقم است"]),
        ({"email": "not-an-email"}, ["not-an-email"]),
        ({"is_public": "maybe"}, ["برای شماره عمومی 1 و برای شماره داخلی 0 بنویسید"]),
        ({"role": ""}, ["role", "نمی تواند خالی باشد"]),
    ],
)
def test_a_bad_row_refuses_the_whole_file(editor_client, directory, change, phrases):
    before = snapshot()
    rows = valid_rows(directory)
    rows[0]["role"] = "نقش تازه"  # a good change that must not be applied either
    rows.append({"unit": "واحد درآمد", "role": "ردیف تازه", "phone": "076-3524-2999"})
    rows[1].update(change)

    response = import_file(editor_client, write_csv(rows, list(rows[0])), CSV_FORMAT)

    assert_refused(response, *phrases)
    assert snapshot() == before


def test_wrong_columns_are_refused_with_the_expected_ones(editor_client, directory):
    before = snapshot()
    content = "نام,تلفن\nمدیر,0763524\n".encode()

    response = import_file(editor_client, content, CSV_FORMAT)

    assert_refused(
        response,
        "ستون‌های ناشناخته: نام, تلفن",
        "ستون‌های جاافتاده: unit, role, phone",
        "id, unit, role, name, phone, extension, other_numbers, email, is_public, order",
    )
    assert snapshot() == before


def test_an_unknown_id_is_refused(editor_client, directory):
    before = snapshot()
    rows = valid_rows(directory)
    rows[0]["id"] = 9999

    assert_refused(import_file(editor_client, write_csv(rows, list(rows[0])), CSV_FORMAT), "9999")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "file_format", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", CSV_FORMAT, "photo.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", XLSX_FORMAT, "photo.xlsx"),
        (b"unit,role,phone\n", CSV_FORMAT, "empty.csv"),
        (b"", CSV_FORMAT, "nothing.csv"),
    ],
)
def test_a_file_that_is_not_a_directory_is_refused(
    editor_client, directory, content, file_format, name
):
    before = snapshot()

    response = import_file(editor_client, content, file_format, name)

    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert response.context["form"].errors or response.context["result"].has_errors()
    assert snapshot() == before
