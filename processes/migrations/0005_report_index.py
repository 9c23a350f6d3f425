"""The index the quarterly report reads a quarter's service requests from."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("processes", "0004_report_row")]

    operations = [
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                fields=["created_at"],
                include=(
                    "id",
                    "status",
                    "service",
                    "expected_date",
                    "finished_at",
                    "correction_asked",
                ),
                name="requests_quarter_report",
            ),
        ),
    ]
