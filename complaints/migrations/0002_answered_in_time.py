"""Whether a complaint's last answer came by its deadline, judged when it is given (an
objection sets a new deadline). Complaints answered before this field existed are judged
from what is stored: the answer's Tehran date against the deadline of today."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils import timezone


def judge_past_answers(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    answered = Complaint.objects.using(schema_editor.connection.alias).filter(
        answered_at__isnull=False
    )
    tehran = timezone.get_default_timezone()
    answered = answered.annotate(answered_on=TruncDate("answered_at", tzinfo=tehran))
    answered.filter(answered_on__lte=F("due_date")).update(answered_in_time=True)
    answered.filter(answered_on__gt=F("due_date")).update(answered_in_time=False)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="answered_in_time",
            field=models.BooleanField(
                blank=True,
                help_text="Whether the last answer came by the deadline it was owed by.",
                null=True,
                verbose_name="answered within the deadline",
            ),
        ),
        migrations.RunPython(judge_past_answers, migrations.RunPython.noop),
    ]
