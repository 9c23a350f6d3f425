from datetime import date

import pytest

from desk.models import Department
from processes.models import Service, ServiceCategory


@pytest.fixture
def licences(db):
    return Department.objects.create(
        name="اداره درآمد و صدور پروانه", slug="business-licences", location="باجه ۵"
    )


@pytest.fixture
def trade(db):
    return ServiceCategory.objects.create(title="کسب و پیشه", slug="trade")


@pytest.fixture
def add_service(licences, trade):
    """A published card; keyword arguments override the defaults."""

    def add(**overrides):
        fields = {
            "title": "صدور پروانه کسب",
            "slug": "business-licence-issue",
            "summary": "پروانه کسب برای واحدهای صنفی تازه.",
            "category": trade,
            "department": licences,
            "duration_days": 7,
            "published": True,
            "last_reviewed": date(2026, 6, 1),
        }
        fields.update(overrides)
        return Service.objects.create(**fields)

    return add
