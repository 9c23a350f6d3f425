"""Third-party apps under Persian names in the back office's menu: their own AppConfigs name
them in English, and an app's name is not translated."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login lock-outs")
