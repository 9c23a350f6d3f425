"""The index the quarterly report reads a quarter's meeting requests from."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appointments", "0006_report_row")]

    operations = [
        migrations.AddIndex(
            model_name="meetingrequest",
            index=models.Index(
                fields=["created_at"],
                include=("id", "status", "host", "session", "was_approved"),
                name="meetings_quarter_report",
            ),
        ),
    ]
