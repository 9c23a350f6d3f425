from django.db import migrations

from surveys.defaults import DEFAULT_SURVEYS


def create_default_surveys(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    for follows, title, introduction, questions in DEFAULT_SURVEYS:
        if Survey.objects.filter(follows=follows).exists():
            continue
        survey = Survey.objects.create(follows=follows, title=title, introduction=introduction)
        Question.objects.bulk_create(
            Question(
                survey=survey,
                order=order,
                kind=kind,
                text=text,
                required=required,
                options=options,
                # The first question of each default survey is its overall rating.
                is_headline=order == 1,
            )
            for order, (kind, text, required, options) in enumerate(questions, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_surveys")]

    operations = [migrations.RunPython(create_default_surveys, migrations.RunPython.noop)]
