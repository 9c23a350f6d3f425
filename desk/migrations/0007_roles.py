"""The back office's roles as groups (desk/roles.py): desk clerk, unit staff, mayor's office,
content editor, manager, administrator. Runs after every app whose permissions a role grants
(the administrator has all of them), and creates the permissions those apps' models need
first: on a fresh database none exist until `migrate` ends. Backward, the groups go."""

from django.db import migrations

from desk.roles import apply_roles, remove_roles


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0006_siteprofile_view_reports"),
        ("complaints", "0001_initial"),
        ("appointments", "0004_one_request_per_time"),
        ("processes", "0002_service_requests"),
        ("contacts", "0001_initial"),
        ("surveys", "0002_default_surveys"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The administrator's every permission: Django's models and the libraries' too.
        # (tests/desk/test_roles.py fails when a model is added without running the roles
        # again in a later migration.)
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("axes", "0010_accessattemptexpiration"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(apply_roles, remove_roles, elidable=False)]
