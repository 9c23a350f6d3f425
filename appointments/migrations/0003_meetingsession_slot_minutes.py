"""Each place of a session gets its own time (start + k × slot_minutes).

Before this, approving without a time gave everyone the session's start, so requests of one
session may share a time. The data step makes the times unique (0004 then adds the unique
constraint, in its own transaction): per session, the first request holding a time keeps it,
any later one sharing it moves to the session's next free time, and an internal note on its
timeline tells the office to let the citizen know (the SMS they got still says the old time).
Sessions too short for capacity × 15 minutes get shorter slots, so that every place fits.
"""

from datetime import time

import django.core.validators
from django.db import migrations, models

DEFAULT_SLOT_MINUTES = 15
HOLDS_PLACE = ["pending", "approved", "held", "no_show"]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _clock(value: time) -> str:
    return f"{value:%H:%M}".translate(PERSIAN_DIGITS)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _times(session) -> list[time]:
    start, end = _minutes(session.start_time), _minutes(session.end_time)
    step = max(session.slot_minutes, 1)
    return [time(*divmod(m, 60)) for m in range(start, end, step)][: session.capacity]


def fit_slots(apps, schema_editor):
    MeetingSession = apps.get_model("appointments", "MeetingSession")
    for session in MeetingSession.objects.all().iterator():
        length = _minutes(session.end_time) - _minutes(session.start_time)
        if session.capacity and session.capacity * session.slot_minutes > length > 0:
            session.slot_minutes = max(length // session.capacity, 1)
            session.save(update_fields=["slot_minutes"])


def spread_shared_times(apps, schema_editor):
    MeetingSession = apps.get_model("appointments", "MeetingSession")
    MeetingRequest = apps.get_model("appointments", "MeetingRequest")
    MeetingRequestEvent = apps.get_model("appointments", "MeetingRequestEvent")
    for session in MeetingSession.objects.all().iterator():
        holders = list(
            MeetingRequest.objects.filter(
                session=session, status__in=HOLDS_PLACE, meeting_time__isnull=False
            ).order_by("meeting_time", "decided_at", "created_at", "pk")
        )
        held = {holder.meeting_time for holder in holders}
        seen = set()
        for holder in holders:
            if holder.meeting_time not in seen:
                seen.add(holder.meeting_time)
                continue
            free = [moment for moment in _times(session) if moment not in held]
            # No free time on the grid (an over-full legacy session): the time is left to
            # the office, as for a request just approved by hand.
            new_time = free[0] if free else None
            old_time = holder.meeting_time
            holder.meeting_time = new_time
            holder.save(update_fields=["meeting_time"])
            if new_time is not None:
                held.add(new_time)
            MeetingRequestEvent.objects.create(
                request=holder,
                action="internal_note",
                from_status=holder.status,
                to_status=holder.status,
                is_public=False,
                note=(
                    f"ساعت {_clock(old_time)} این نوبت به درخواست دیگری هم داده شده بود؛ "
                    + (f"به ساعت {_clock(new_time)} منتقل شد. " if new_time else "ساعت آن حذف شد. ")
                    + "پیامکی که شهروند گرفته ساعت قبلی را می‌گوید: لطفاً به او خبر دهید."
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_meetingrequest_submission_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingsession",
            name="slot_minutes",
            field=models.PositiveSmallIntegerField(
                default=DEFAULT_SLOT_MINUTES,
                help_text=(
                    "Each place has its own time: the start, then every this many minutes. "
                    "Capacity × minutes must fit between the start and the end."
                ),
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(1440),
                ],
                verbose_name="minutes per meeting",
            ),
        ),
        migrations.RunPython(fit_slots, migrations.RunPython.noop),
        migrations.RunPython(spread_shared_times, migrations.RunPython.noop),
    ]
