"""The request form at /appointments/: one choice per session, grouped under its host, and
per host "leave the time to the office"; the chosen value names the host and the session
together, so that they can never disagree. Nothing is chosen until the citizen chooses."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from appointments.forms import choice_value
from appointments.models import MeetingRequest

from .conftest import TOMORROW, form_data

pytestmark = pytest.mark.django_db

INDEX = reverse("appointments:index")


@dataclass
class Radio:
    value: str
    checked: bool
    id: str
    label: str = ""


@dataclass
class Group:
    legend: str = ""
    radios: list[Radio] = field(default_factory=list)
    text: str = ""


class ChoiceReader(HTMLParser):
    """The host fieldsets of the page as a reader meets them: legend, then radios with the
    text of their labels."""

    def __init__(self):
        super().__init__()
        self.groups: list[Group] = []
        self.radios: dict[str, Radio] = {}
        self._in: str | None = None  # "legend" or a label's `for`
        self._group: Group | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset" and "host-sessions" in (attrs.get("class") or ""):
            self._group = Group()
            self.groups.append(self._group)
        elif tag == "legend" and self._group is not None and not self._group.legend:
            self._in = "legend"
        elif tag == "input" and attrs.get("name") == "meeting":
            radio = Radio(attrs["value"], "checked" in attrs, attrs["id"])
            self.radios[radio.id] = radio
            self._group.radios.append(radio)
        elif tag == "label" and attrs.get("for") in self.radios:
            self._in = attrs["for"]

    def handle_endtag(self, tag):
        if tag in {"legend", "label"}:
            self._in = None
        elif tag == "fieldset":
            self._group = None

    def handle_data(self, data):
        if self._group is not None:
            self._group.text += " " + " ".join(data.split())
        if self._in == "legend":
            self._group.legend += data.strip()
        elif self._in:
            self.radios[self._in].label += " " + " ".join(data.split())


def read_choices(html: str) -> list[Group]:
    reader = ChoiceReader()
    reader.feed(html)
    return reader.groups


def test_sessions_are_grouped_under_their_host_with_a_leave_it_to_the_office_each(
    client, mayor, deputy, make_session
):
    mayors = make_session()
    deputys = make_session(TOMORROW, host=deputy, capacity=4, place="دفتر معاونت")

    groups = read_choices(client.get(INDEX).text)

    assert [g.legend for g in groups] == ["شهردار — علی رستمی", "معاون خدمات شهری — سارا نوروزی"]
    assert [r.value for r in groups[0].radios] == [
        choice_value(mayor, mayors),
        choice_value(mayor, None),
    ]
    assert [r.value for r in groups[1].radios] == [
        choice_value(deputy, deputys),
        choice_value(deputy, None),
    ]
    session_label = groups[1].radios[0].label
    assert "سه‌شنبه ۳ آذر ۱۴۰۵" in session_label
    assert "۰۹:۰۰ تا ۱۲:۰۰" in session_label
    assert "۴ جای خالی" in session_label
    assert "مکان: دفتر معاونت" in groups[1].text  # the host's one place, said once
    assert "زمان را دفتر شهردار تعیین کند" in groups[1].radios[1].label


def test_a_hosts_sessions_in_different_places_say_each_its_place(client, mayor, make_session):
    make_session(place="دفتر شهردار")
    make_session(TOMORROW, place="سالن شورا")
    (group,) = read_choices(client.get(INDEX).text)
    assert "دفتر شهردار" in group.radios[1].label and "سالن شورا" in group.radios[0].label
    assert "مکان:" not in group.text


def test_nothing_is_chosen_until_the_citizen_chooses(client, mayor, deputy, make_session):
    make_session()
    radios = [r for g in read_choices(client.get(INDEX).text) for r in g.radios]
    assert len(radios) == 3
    assert not any(r.checked for r in radios)


def test_a_host_without_open_sessions_still_has_the_office_choice(client, mayor, deputy):
    groups = read_choices(client.get(INDEX).text)
    assert [[r.value for r in g.radios] for g in groups] == [
        [choice_value(mayor, None)],
        [choice_value(deputy, None)],
    ]
    assert "در حال حاضر نوبتی برای درخواست باز نیست" in client.get(INDEX).text


def test_choosing_a_deputys_session_files_a_request_for_that_deputy_in_it(
    client, mayor, deputy, make_session
):
    make_session()  # the mayor's, listed first
    deputys = make_session(host=deputy)

    response = client.post(INDEX, form_data(meeting=choice_value(deputy, deputys)))

    assert response.status_code == 302
    meeting = MeetingRequest.objects.get()
    assert (meeting.host, meeting.session) == (deputy, deputys)


def test_leaving_the_time_to_the_office_for_a_deputy(client, mayor, deputy, make_session):
    make_session(host=deputy)
    client.post(INDEX, form_data(meeting=choice_value(deputy, None)))
    meeting = MeetingRequest.objects.get()
    assert (meeting.host, meeting.session) == (deputy, None)


def test_no_choice_is_a_persian_error_linked_to_the_first_radio_and_keeps_what_was_typed(
    client, mayor, make_session
):
    make_session()
    response = client.post(INDEX, form_data(subject="عوارض نوسازی", national_code="۰۰۸۴۵۷۵۹۴۸"))

    assert response.status_code == 200
    assert not MeetingRequest.objects.exists()
    message = "لطفاً انتخاب کنید با چه کسی و در کدام نوبت ملاقات می‌کنید."
    assert response.context["form"].errors["meeting"] == [message]
    html = response.text
    # The summary links to the first radio, which the error describes.
    assert re.search(r'<a href="#id_meeting_0"[^>]*>[^<]+</a>: ' + message, html)
    first_radio = re.search(r'<input type="radio"[^>]*id="id_meeting_0"[^>]*>', html).group()
    assert 'aria-describedby="id_meeting_error"' in first_radio
    assert 'aria-invalid="true"' in first_radio
    assert 'id="id_meeting_error"' in html
    assert 'value="عوارض نوسازی"' in html and "۰۰۸۴۵۷۵۹۴۸" in html


def test_the_chosen_radio_stays_checked_when_another_field_is_wrong(
    client, mayor, deputy, make_session
):
    deputys = make_session(host=deputy)
    chosen = choice_value(deputy, deputys)

    response = client.post(INDEX, form_data(meeting=chosen, mobile="12345"))

    radios = [r for g in read_choices(response.text) for r in g.radios]
    assert [r.value for r in radios if r.checked] == [chosen]
    assert set(response.context["form"].errors) == {"mobile"}


@pytest.mark.parametrize("tampering", ["other_hosts_session", "unknown_session", "closed", "junk"])
def test_a_tampered_choice_is_a_clear_error_not_a_500(
    tampering, client, mayor, deputy, make_session
):
    deputys = make_session(host=deputy)
    closed = make_session(is_published=False)
    value = {
        "other_hosts_session": f"{mayor.pk}-{deputys.pk}",
        "unknown_session": f"{mayor.pk}-999999",
        "closed": choice_value(mayor, closed),
        "junk": "<script>",
    }[tampering]

    response = client.post(INDEX, form_data(meeting=value))

    assert response.status_code == 200
    assert response.context["form"].errors["meeting"] == [
        "این نوبت دیگر برای درخواست باز نیست (شاید پر شده باشد). لطفاً دوباره انتخاب کنید."
    ]
    assert not MeetingRequest.objects.exists()


def test_a_session_filled_while_the_citizen_typed_is_refused_on_the_choice(
    client, mayor, make_session, request_meeting, monkeypatch
):
    last = make_session(capacity=1)
    from appointments import views

    # The form saw the free place; another citizen takes it before the service runs.
    offered = views.open_sessions()
    monkeypatch.setattr(views, "open_sessions", lambda: offered)
    request_meeting(session=last, mobile="09350000000")

    response = client.post(INDEX, form_data(meeting=choice_value(mayor, last)))

    assert response.status_code == 200
    assert "این نوبت جای خالی ندارد" in " ".join(response.context["form"].errors["meeting"])
    assert MeetingRequest.objects.count() == 1


def test_each_session_is_on_the_page_once(client, mayor, deputy, make_session):
    make_session()
    make_session(TOMORROW, host=deputy)
    html = client.get(INDEX).text
    assert html.count("دوشنبه ۹ آذر ۱۴۰۵") == 1
    assert html.count("سه‌شنبه ۳ آذر ۱۴۰۵") == 1
    assert len(re.findall(r"[۰-۹]+ جای خالی", html)) == 2


def test_no_time_range_is_written_with_a_dash(client, mayor, make_session):
    make_session()
    html = client.get(INDEX).text
    assert "–" not in html
    assert "۰۹:۰۰ تا ۱۲:۰۰" in html
