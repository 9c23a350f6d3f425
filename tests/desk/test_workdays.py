from datetime import UTC, date, datetime, timedelta

import pytest

from desk.models import Holiday
from desk.workdays import (
    WorkingDayCounter,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

# 1 Farvardin 1405 is Saturday 21 March 2026; the Friday before it is 29 Esfand 1404.
ESFAND_29 = date(2026, 3, 20)
LAST_THURSDAY_OF_1404 = date(2026, 3, 19)
NOWRUZ_1405 = {
    date(2026, 3, 20): "روز ملی شدن صنعت نفت ایران",
    date(2026, 3, 21): "جشن نوروز",
    date(2026, 3, 22): "عیدنوروز",
    date(2026, 3, 23): "عیدنوروز",
    date(2026, 3, 24): "عیدنوروز",
    date(2026, 4, 1): "روز جمهوری اسلامی",
    date(2026, 4, 2): "روز طبیعت",
}
WEDNESDAY = date(2026, 11, 18)
THURSDAY = date(2026, 11, 19)
FRIDAY = date(2026, 11, 20)
SATURDAY = date(2026, 11, 21)


@pytest.fixture
def nowruz():
    Holiday.objects.bulk_create(Holiday(date=d, title=title) for d, title in NOWRUZ_1405.items())


def test_a_friday_is_not_a_working_day():
    assert not is_working_day(FRIDAY)
    assert is_working_day(SATURDAY)


def test_a_holiday_is_not_a_working_day(nowruz):
    assert not is_working_day(date(2026, 3, 22))


def test_a_holiday_the_staff_deactivated_is_a_working_day(nowruz):
    Holiday.objects.filter(date=date(2026, 3, 22)).update(is_active=False)

    assert is_working_day(date(2026, 3, 22))
    assert add_working_days(LAST_THURSDAY_OF_1404, 1) == date(2026, 3, 22)


def test_a_deadline_crossing_a_friday_moves_to_saturday():
    assert add_working_days(WEDNESDAY, 1) == THURSDAY
    assert add_working_days(WEDNESDAY, 2) == SATURDAY


def test_a_case_filed_on_friday_is_due_from_saturday():
    assert add_working_days(FRIDAY, 1) == SATURDAY
    assert next_working_day(FRIDAY) == SATURDAY


def test_adding_weeks_of_working_days_skips_every_friday():
    # Six working days a week: 12 working days from a Wednesday is two weeks later.
    assert add_working_days(WEDNESDAY, 12) == WEDNESDAY + timedelta(days=14)


def test_zero_working_days_is_the_start_date():
    assert add_working_days(FRIDAY, 0) == FRIDAY


def test_it_refuses_to_count_backwards():
    with pytest.raises(ValueError):
        add_working_days(FRIDAY, -1)


def test_the_first_working_day_after_esfand_is_after_the_nowruz_holidays(nowruz):
    assert next_working_day(LAST_THURSDAY_OF_1404) == date(2026, 3, 25)


def test_adding_working_days_across_nowruz_skips_holidays_and_fridays(nowruz):
    # Wed 25 and Thu 26 Mar, Friday 27 skipped, then Sat 28.
    assert add_working_days(LAST_THURSDAY_OF_1404, 3) == date(2026, 3, 28)
    # ... 31 Mar, then 12 and 13 Farvardin (1-2 Apr) and Friday 3 Apr skipped.
    assert add_working_days(LAST_THURSDAY_OF_1404, 7) == date(2026, 4, 4)
    assert add_working_days(LAST_THURSDAY_OF_1404, 10) == date(2026, 4, 7)


def test_an_aware_datetime_counts_from_its_tehran_date():
    # 21:00 UTC on Wednesday is 00:30 on Thursday in Tehran.
    late_wednesday_utc = datetime(2026, 11, 18, 21, 0, tzinfo=UTC)

    assert add_working_days(late_wednesday_utc, 1) == SATURDAY
    assert is_working_day(datetime(2026, 11, 19, 21, 0, tzinfo=UTC)) is False  # Friday


def test_weekend_days_come_from_the_settings(settings):
    settings.DESK_WEEKEND_DAYS = [3, 4]  # Thursday and Friday

    assert add_working_days(WEDNESDAY, 1) == SATURDAY
    assert not is_working_day(THURSDAY)


def test_working_days_between_undoes_add_working_days(nowruz):
    end = add_working_days(LAST_THURSDAY_OF_1404, 10)

    assert working_days_between(LAST_THURSDAY_OF_1404, end) == 10


def test_working_days_between_is_antisymmetric(nowruz):
    assert working_days_between(date(2026, 4, 7), LAST_THURSDAY_OF_1404) == -10
    assert working_days_between(SATURDAY, WEDNESDAY) == -working_days_between(WEDNESDAY, SATURDAY)


def test_working_days_between_a_day_and_itself_is_zero():
    assert working_days_between(FRIDAY, FRIDAY) == 0
    assert working_days_between(SATURDAY, SATURDAY) == 0


def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(THURSDAY, SATURDAY) == 1
    assert working_days_between(FRIDAY, SATURDAY) == 1
    assert working_days_between(THURSDAY, FRIDAY) == 0


def test_working_days_between_ignores_holidays_that_fall_on_a_friday(nowruz):
    # 29 Esfand 1404 is both a Friday and a holiday: it must not be subtracted twice.
    assert working_days_between(ESFAND_29 - timedelta(days=1), ESFAND_29) == 0
    assert working_days_between(ESFAND_29 - timedelta(days=2), date(2026, 3, 25)) == 2


def test_long_spans_agree_with_counting_day_by_day(nowruz):
    start, end = date(2025, 1, 1), date(2027, 6, 30)
    by_day = sum(
        is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
    )

    assert working_days_between(start, end) == by_day
    assert add_working_days(start, by_day) == end


def test_the_holidays_are_read_with_one_query_then_kept(nowruz, django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(LAST_THURSDAY_OF_1404, 10)
    with django_assert_num_queries(0):
        assert working_days_between(date(2020, 1, 1), date(2030, 1, 1)) > 0
        assert not is_working_day(date(2026, 3, 22))


def test_a_holiday_saved_is_seen_at_once(nowruz):
    assert add_working_days(WEDNESDAY, 1) == THURSDAY  # the holidays are kept from here on

    Holiday.objects.create(date=THURSDAY, title="تعطیلی اضطراری")

    assert add_working_days(WEDNESDAY, 1) == SATURDAY
    assert not is_working_day(THURSDAY)


def test_a_holiday_deactivated_or_deleted_is_a_working_day_at_once(nowruz):
    assert not is_working_day(date(2026, 3, 22))

    holiday = Holiday.objects.get(date=date(2026, 3, 22))
    holiday.is_active = False
    holiday.save()
    assert is_working_day(date(2026, 3, 22))

    Holiday.objects.get(date=date(2026, 3, 23)).delete()
    assert is_working_day(date(2026, 3, 23))


def test_a_long_closure_is_walked_past():
    # A closure of months, longer than any deadline: the walk goes on past it.
    closure = [SATURDAY + timedelta(days=n) for n in range(89)]
    Holiday.objects.bulk_create(Holiday(date=day, title="تعطیلی عمومی") for day in closure)

    assert add_working_days(FRIDAY, 1) == SATURDAY + timedelta(days=89)


def test_the_reports_counter_agrees_with_working_days_between_for_every_pair(nowruz):
    """The quarterly report counts thousands of pairs with WorkingDayCounter: across Nowruz,
    Fridays, a holiday on a Friday, backwards, and past the range it was made for, it gives
    what the deadlines' function gives."""
    counter = WorkingDayCounter(date(2026, 3, 10), date(2026, 4, 10))
    days = [date(2026, 3, 5) + timedelta(days=n) for n in range(45)]
    for start in days:
        for end in days:
            assert counter.between(start, end) == working_days_between(start, end), (start, end)
