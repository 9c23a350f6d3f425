"""What a complaint's timeline says about referrals and objections, kept on its row too (set
by the services from now on, read from the events for the complaints filed before). The
index the quarterly report reads comes in the next migration: PostgreSQL creates no index in
a transaction that has just updated rows under deferred foreign keys."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_the_timelines(apps, schema_editor):
    alias = schema_editor.connection.alias
    Complaint = apps.get_model("complaints", "Complaint")
    Event = apps.get_model("complaints", "ComplaintEvent")
    events = Event.objects.using(alias)
    Complaint.objects.using(alias).filter(
        pk__in=events.filter(action="refer").values("complaint")
    ).update(was_referred=True)
    last_objection = (
        events.filter(complaint=OuterRef("pk"), action="reopen")
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    Complaint.objects.using(alias).filter(
        pk__in=events.filter(action="reopen").values("complaint")
    ).update(reopened_at=Subquery(last_objection))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_answered_in_time"),
        ("desk", "0009_roles_reply_templates"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="reopened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last objected to at"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="was_referred",
            field=models.BooleanField(
                default=False, verbose_name="referred to a unit at least once"
            ),
        ),
        migrations.RunPython(from_the_timelines, migrations.RunPython.noop),
    ]
