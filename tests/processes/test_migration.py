"""Migration 0004 on service requests filed before it: whether corrected documents were ever
asked for is read from each request's timeline onto its row."""

from datetime import date

import pytest

from tests.migrations import migrate, migrate_to_the_latest


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Going back undoes what depends on processes too: every app goes forward again."""
    yield
    migrate_to_the_latest()


@pytest.mark.django_db(transaction=True)
def test_requests_asked_for_corrections_before_the_report_row_count_as_such():
    """The quarterly report counts a request filed before it as asked for corrected
    documents when its timeline says so, even after it went on, and no other."""
    apps = migrate([("processes", "0003_replytemplate")])
    try:
        Department = apps.get_model("desk", "Department")
        Category = apps.get_model("processes", "ServiceCategory")
        Service = apps.get_model("processes", "Service")
        Request = apps.get_model("processes", "ServiceRequest")
        Event = apps.get_model("processes", "ServiceRequestEvent")
        unit = Department.objects.create(name="معاونت شهرسازی", slug="urban-planning")
        service = Service.objects.create(
            title="صدور پروانه ساختمانی",
            slug="building-permit",
            summary="پروانه برای ساخت یا تخریب و نوسازی.",
            category=Category.objects.create(title="شهرسازی"),
            department=unit,
            duration_days=10,
        )

        def filed(n, status, *moves):
            request = Request.objects.create(
                tracking_code=f"30000000000{n}",
                citizen_name=f"شهروند {n}",
                mobile=f"0912000000{n}",
                service=service,
                department=unit,
                status=status,
                expected_date=date(2025, 5, 20),
            )
            for action, from_status, to_status in moves:
                Event.objects.create(
                    request=request, action=action, from_status=from_status, to_status=to_status
                )
            return request

        corrected = filed(
            1,
            "in_progress",
            ("start_review", "submitted", "under_review"),
            ("ask_correction", "under_review", "needs_correction"),
            ("resubmit", "needs_correction", "under_review"),
            ("accept", "under_review", "in_progress"),
        )
        rejected = filed(
            2,
            "rejected",
            ("start_review", "submitted", "under_review"),
            ("reject", "under_review", "rejected"),
        )
    except Exception:
        migrate_to_the_latest()
        raise

    apps = migrate([("processes", "0004_report_row")])

    Request = apps.get_model("processes", "ServiceRequest")
    asked = dict(Request.objects.values_list("pk", "correction_asked"))
    assert asked == {corrected.pk: True, rejected.pk: False}
