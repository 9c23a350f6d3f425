"""Migration 0003 on complaints filed before it: whether each was ever referred to a unit
and when it was last objected to are read from its timeline onto its row."""

from datetime import UTC, date, datetime

import pytest

from tests.migrations import migrate, migrate_to_the_latest


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Going back undoes what depends on complaints too: every app goes forward again."""
    yield
    migrate_to_the_latest()


@pytest.mark.django_db(transaction=True)
def test_referrals_and_the_last_objection_are_read_from_the_timelines():
    """The quarterly report counts the complaints filed before it as referred and reopened
    as their timelines say, with the date of the last objection when there were two."""
    apps = migrate([("complaints", "0002_answered_in_time")])
    try:
        Department = apps.get_model("desk", "Department")
        Category = apps.get_model("complaints", "ComplaintCategory")
        Complaint = apps.get_model("complaints", "Complaint")
        Event = apps.get_model("complaints", "ComplaintEvent")
        unit = Department.objects.create(name="معاونت خدمات شهری", slug="urban-services")
        category = Category.objects.create(title="نظافت معابر", department=unit)

        def filed(n, status, *moves):
            complaint = Complaint.objects.create(
                tracking_code=f"10000000000{n}",
                citizen_name=f"شهروند {n}",
                mobile=f"0912000000{n}",
                category=category,
                department=unit,
                subject="جمع‌آوری نشدن زباله",
                description="زباله‌های کوچه چند روز است جمع‌آوری نشده است.",
                status=status,
                due_date=date(2025, 5, 20),
            )
            for action, from_status, to_status, at in moves:
                Event.objects.create(
                    complaint=complaint,
                    action=action,
                    from_status=from_status,
                    to_status=to_status,
                    created_at=at,
                )
            return complaint

        referred = filed(
            1, "referred", ("refer", "in_review", "referred", datetime(2025, 5, 3, tzinfo=UTC))
        )
        # The later objection is written first: the last one is the latest, not the newest row.
        reopened = filed(
            2,
            "reopened",
            ("reopen", "answered", "reopened", datetime(2025, 6, 10, 9, 30, tzinfo=UTC)),
            ("reopen", "answered", "reopened", datetime(2025, 5, 12, 8, tzinfo=UTC)),
        )
        answered = filed(
            3, "answered", ("answer", "in_review", "answered", datetime(2025, 5, 4, tzinfo=UTC))
        )
    except Exception:
        migrate_to_the_latest()
        raise

    apps = migrate([("complaints", "0003_report_row")])

    Complaint = apps.get_model("complaints", "Complaint")
    rows = {
        pk: (was_referred, reopened_at)
        for pk, was_referred, reopened_at in Complaint.objects.values_list(
            "pk", "was_referred", "reopened_at"
        )
    }
    assert rows == {
        referred.pk: (True, None),
        reopened.pk: (False, datetime(2025, 6, 10, 9, 30, tzinfo=UTC)),
        answered.pk: (False, None),
    }
