import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def queued_when_created(apps, schema_editor):
    # Messages written before this field began their attempts when they were created.
    apps.get_model("desk", "SmsMessage").objects.update(queued_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_department_location_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="smsmessage",
            name="queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="queued at"),
        ),
        migrations.RunPython(queued_when_created, migrations.RunPython.noop, elidable=True),
    ]
