"""The vCard download: vCard 3.0 in UTF-8 that phones import, public contacts only."""

import pytest
from django.urls import reverse

from contacts.vcard import escape, fold
from desk.models import SiteProfile

pytestmark = pytest.mark.django_db


def lines(response) -> list[str]:
    # Unfold: a line starting with a space continues the previous one.
    return response.content.decode().replace("\r\n ", "").split("\r\n")


def test_it_downloads_a_vcard_3_of_a_public_contact(client, add_contact):
    SiteProfile.objects.create(
        municipality_name="شهرداری قشم",
        officer_first_name="غریب",
        officer_last_name="حسین پناهی",
        officer_role="میز خدمت",
        urgent_phone="33285728",
    )
    contact = add_contact(
        role="مدیر درآمد",
        name="احمد صالحی",
        phone="۰۷۶-۳۵۲۴-۲۳۰۱",
        extension="301",
        other_numbers="0917 765 4310",
        email="Daramad@Example.ir",
    )

    response = client.get(reverse("contacts:vcard", args=[contact.pk]))

    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response.content.endswith(b"END:VCARD\r\n")
    assert lines(response)[:-1] == [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:احمد صالحی;;;;",
        "FN:احمد صالحی",
        "ORG:شهرداری قشم;واحد درآمد",
        "TITLE:مدیر درآمد",
        "TEL;TYPE=WORK,VOICE:07635242301",
        "TEL;TYPE=CELL:09177654310",
        "EMAIL;TYPE=INTERNET:daramad@example.ir",
        "NOTE:داخلی: ۳۰۱\\nساختمان مرکزی، طبقه همکف، باجه ۲\\n"
        "ساعات کاری: شنبه تا چهارشنبه ۷:۳۰ تا ۱۳:۳۰",
        "END:VCARD",
    ]


def test_a_contact_without_a_name_is_filed_under_its_role(client, add_contact):
    contact = add_contact(role="باجه عوارض, نوسازی; شماره ۱")

    text = "\r\n".join(lines(client.get(reverse("contacts:vcard", args=[contact.pk]))))

    assert "N:;;;;" in text
    assert "FN:باجه عوارض\\, نوسازی\\; شماره ۱" in text
    assert "TITLE:باجه عوارض\\, نوسازی\\; شماره ۱" in text


def test_an_internal_contact_has_no_vcard(client, add_contact):
    contact = add_contact(is_public=False)

    assert client.get(reverse("contacts:vcard", args=[contact.pk])).status_code == 404


def test_text_values_are_escaped():
    assert escape("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_letter():
    line = "NOTE:" + "ساختمان مرکزی " * 20

    folded = fold(line).split("\r\n")

    assert all(len(part.encode()) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(folded)) == line
