"""The index results per unit and per service, and the quarterly report, are read from, and
the rule on the rating kept on the response."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_overall_rating")]

    operations = [
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=models.Q(("overall_rating__isnull", False)),
                fields=["submitted_at"],
                include=("overall_rating", "survey", "unit", "service_key", "service_label"),
                name="responses_overall_rating",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(("overall_rating__isnull", True))
                | models.Q(("overall_rating__gte", 1), ("overall_rating__lte", 5)),
                name="overall_rating_from_1_to_5",
            ),
        ),
    ]
