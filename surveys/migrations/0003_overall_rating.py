"""Each response's rating of its survey's overall-satisfaction question, kept on the response
too (set when answered from now on, copied from the answers for the responses before). The
index results are read from, and the rule on the rating, come in the next migration:
PostgreSQL alters no table in a transaction that has just updated rows under deferred
foreign keys."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_the_answers(apps, schema_editor):
    alias = schema_editor.connection.alias
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    ratings = Answer.objects.using(alias).filter(question__is_headline=True, rating__isnull=False)
    Response.objects.using(alias).filter(pk__in=ratings.values("response")).update(
        overall_rating=Subquery(ratings.filter(response=OuterRef("pk")).values("rating")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0009_roles_reply_templates"),
        ("surveys", "0002_default_surveys"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="overall_rating",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="overall satisfaction"
            ),
        ),
        migrations.RunPython(from_the_answers, migrations.RunPython.noop),
    ]
