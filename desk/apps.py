from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.autoreload import file_changed
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Service desk")

    def ready(self):
        from desk import admin_display, fragments, ratelimit, registry, sms, tasks
        from desk.models import Holiday, SiteProfile, forget_site_profile
        from desk.workdays import forget_holidays

        registry.register_periodic_job(
            registry.PeriodicJob(name="sms_requeue", func=sms.requeue_due_messages, every=60)
        )
        registry.register_periodic_job(
            registry.PeriodicJob(
                name="task_results_prune", func=tasks.prune_task_results, every=3600
            )
        )
        registry.register_periodic_job(
            registry.PeriodicJob(name="ratelimit_prune", func=ratelimit.prune, every=3600)
        )
        registry.register_work_count(failed_sms_count())
        admin_display.install()
        file_changed.connect(
            fragments.forget_on_template_change, dispatch_uid="fragments_template_changed"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                forget_site_profile,
                sender=SiteProfile,
                dispatch_uid=f"site_profile_{signal is post_save}",
            )
            signal.connect(
                forget_holidays, sender=Holiday, dispatch_uid=f"holidays_{signal is post_save}"
            )


def failed_sms_count():
    """The SMS that failed for good, on the back office's home page, linked to the SMS log
    filtered to them."""
    from django.urls import reverse

    from desk.models import SmsMessage
    from desk.registry import WorkCount

    failed = SmsMessage.Status.FAILED
    return WorkCount(
        key="desk.failed_sms",
        title=_("failed SMS"),
        group=_("SMS"),
        count=lambda user: SmsMessage.objects.filter(status=failed),
        url=lambda: f"{reverse('admin:desk_smsmessage_changelist')}?status__exact={failed.value}",
        permission="desk.view_smsmessage",
        order=90,
    )
