"""The database's half of "one citizen per time", added once 0003 made the times unique."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_meetingsession_slot_minutes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="meetingrequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "approved", "held", "no_show"])),
                fields=("session", "meeting_time"),
                name="appointments_one_request_per_time",
            ),
        ),
    ]
