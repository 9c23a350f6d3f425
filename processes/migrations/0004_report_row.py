"""Whether a request was ever asked for corrected documents, kept on its row too (set by the
review from now on, read from the events for the requests filed before). The index the
quarterly report reads comes in the next migration: PostgreSQL creates no index in a
transaction that has just updated rows under deferred foreign keys."""

from django.db import migrations, models


def from_the_timelines(apps, schema_editor):
    alias = schema_editor.connection.alias
    ServiceRequest = apps.get_model("processes", "ServiceRequest")
    Event = apps.get_model("processes", "ServiceRequestEvent")
    asked = Event.objects.using(alias).filter(action="ask_correction").values("request")
    ServiceRequest.objects.using(alias).filter(pk__in=asked).update(correction_asked=True)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0009_roles_reply_templates"),
        ("processes", "0003_replytemplate"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="correction_asked",
            field=models.BooleanField(
                default=False, verbose_name="corrected documents asked at least once"
            ),
        ),
        migrations.RunPython(from_the_timelines, migrations.RunPython.noop),
    ]
