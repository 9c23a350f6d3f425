"""The index the quarterly report reads a quarter's complaints from (complaints.models)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_report_row")]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["created_at"],
                include=(
                    "id",
                    "status",
                    "kind",
                    "channel",
                    "outcome",
                    "department",
                    "category",
                    "answered_at",
                    "closed_at",
                    "answered_in_time",
                    "was_referred",
                    "reopened_at",
                ),
                name="complaints_quarter_report",
            ),
        ),
    ]
