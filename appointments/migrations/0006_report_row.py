"""Whether a request was ever approved, kept on its row too (set by the approval from now on,
read from the events for the requests filed before). The index the quarterly report reads
comes in the next migration: PostgreSQL creates no index in a transaction that has just
updated rows under deferred foreign keys."""

from django.db import migrations, models


def from_the_timelines(apps, schema_editor):
    alias = schema_editor.connection.alias
    MeetingRequest = apps.get_model("appointments", "MeetingRequest")
    Event = apps.get_model("appointments", "MeetingRequestEvent")
    approvals = Event.objects.using(alias).filter(action="approve").values("request")
    MeetingRequest.objects.using(alias).filter(pk__in=approvals).update(was_approved=True)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0005_replytemplate"),
        ("desk", "0009_roles_reply_templates"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingrequest",
            name="was_approved",
            field=models.BooleanField(default=False, verbose_name="approved at least once"),
        ),
        migrations.RunPython(from_the_timelines, migrations.RunPython.noop),
    ]
