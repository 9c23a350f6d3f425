"""Migration 0003/0004 on data from before per-place times: requests of one session that
shared a time are spread over its free times (the first keeps it, each moved one gets an
internal note for the office), sessions too short for 15-minute slots get shorter ones, and
the unique constraint then goes on without failing. Migration 0006 marks the requests filed
before it that were ever approved, from their timelines."""

from datetime import date, time

import pytest

from tests.migrations import migrate, migrate_to_the_latest

BEFORE = [("appointments", "0002_meetingrequest_submission_key")]
AFTER = [("appointments", "0004_one_request_per_time")]


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Going back to 0002 also undoes what depends on appointments (the roles of desk's data
    migration): every app is migrated forward again for the tests that follow."""
    yield
    migrate_to_the_latest()


@pytest.mark.django_db(transaction=True)
def test_shared_times_are_spread_and_the_constraint_goes_on():
    apps = migrate(BEFORE)
    try:
        Host = apps.get_model("appointments", "Host")
        Session = apps.get_model("appointments", "MeetingSession")
        Request = apps.get_model("appointments", "MeetingRequest")
        host = Host.objects.create(name="علی رستمی", title="شهردار")
        roomy = Session.objects.create(
            host=host,
            date=date(2026, 11, 30),
            start_time=time(9),
            end_time=time(12),
            place="دفتر",
            capacity=8,
        )
        cramped = Session.objects.create(
            host=host,
            date=date(2026, 12, 1),
            start_time=time(9),
            end_time=time(10),
            place="دفتر",
            capacity=6,
        )

        def approved(n, session, at, status="approved"):
            return Request.objects.create(
                tracking_code=f"20000000000{n}",
                citizen_name=f"شهروند {n}",
                mobile=f"0912000000{n}",
                host=host,
                subject="موضوع",
                status=status,
                session=session,
                meeting_time=at,
            )

        first = approved(1, roomy, time(9))
        second = approved(2, roomy, time(9))
        third = approved(3, roomy, time(9), status="held")
        cancelled = approved(4, roomy, time(9), status="cancelled")
        apart = approved(5, roomy, time(9, 15))
    except Exception:
        migrate(AFTER)
        raise

    apps = migrate(AFTER)

    Request = apps.get_model("appointments", "MeetingRequest")
    Session = apps.get_model("appointments", "MeetingSession")
    at = dict(Request.objects.values_list("pk", "meeting_time"))
    assert at[first.pk] == time(9)
    assert {at[second.pk], at[third.pk]} == {time(9, 30), time(9, 45)}
    assert at[cancelled.pk] == time(9) and at[apart.pk] == time(9, 15)
    ((note, public),) = Request.objects.get(pk=second.pk).events.values_list("note", "is_public")
    assert not public
    assert "ساعت ۰۹:۰۰ این نوبت به درخواست دیگری هم داده شده بود" in note
    assert f"به ساعت {'۰۹:۳۰' if at[second.pk] == time(9, 30) else '۰۹:۴۵'} منتقل شد" in note
    assert Session.objects.get(pk=roomy.pk).slot_minutes == 15
    assert Session.objects.get(pk=cramped.pk).slot_minutes == 10  # 6 places in an hour


@pytest.mark.django_db(transaction=True)
def test_requests_approved_before_the_report_row_count_as_approved():
    """The quarterly report counts a request approved and later cancelled as approved, as it
    did when it read the timelines, and one only declined as not approved."""
    apps = migrate([("appointments", "0005_replytemplate")])
    try:
        Host = apps.get_model("appointments", "Host")
        Request = apps.get_model("appointments", "MeetingRequest")
        Event = apps.get_model("appointments", "MeetingRequestEvent")
        host = Host.objects.create(name="علی رستمی", title="شهردار")

        def filed(n, status, *moves):
            request = Request.objects.create(
                tracking_code=f"20000000000{n}",
                citizen_name=f"شهروند {n}",
                mobile=f"0912000000{n}",
                host=host,
                subject="موضوع",
                status=status,
            )
            for action, from_status, to_status in moves:
                Event.objects.create(
                    request=request, action=action, from_status=from_status, to_status=to_status
                )
            return request

        cancelled = filed(
            1,
            "cancelled",
            ("approve", "pending", "approved"),
            ("cancel", "approved", "cancelled"),
        )
        declined = filed(2, "declined", ("decline", "pending", "declined"))
        pending = filed(3, "pending")
    except Exception:
        migrate_to_the_latest()
        raise

    apps = migrate([("appointments", "0006_report_row")])

    Request = apps.get_model("appointments", "MeetingRequest")
    approved = dict(Request.objects.values_list("pk", "was_approved"))
    assert approved == {cancelled.pk: True, declined.pk: False, pending.pk: False}
