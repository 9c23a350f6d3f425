"""The roles again (desk/roles.py): reply templates for meetings and service requests, and
unit staff now see the meeting requests sent on to their units."""

from django.db import migrations

from desk.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0008_rate_limit_hit_names"),
        ("appointments", "0005_replytemplate"),
        ("processes", "0003_replytemplate"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop, elidable=False)]
