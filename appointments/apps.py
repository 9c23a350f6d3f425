from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Meetings with the mayor")

    def ready(self):
        from appointments import services
        from appointments.demo import seed_demo_appointments
        from appointments.models import (
            BookingWindow,
            Host,
            MeetingRequest,
            MeetingSession,
            renew_meetings_generation,
        )
        from desk import registry

        registry.register_case_app(
            MeetingRequest,
            label=_("meeting request"),
            case_url_name="appointments:case",
            card=registry.HomeCard(
                title=_("Meeting with the mayor"),
                summary=_("Request and follow a meeting with the mayor"),
                url_name="appointments:index",
                order=20,
            ),
        )
        registry.register_periodic_job(
            registry.PeriodicJob(
                name="appointment_reminders", func=services.send_reminders, every=600
            )
        )
        registry.register_demo_seeder("appointments", seed_demo_appointments)
        for model in (Host, MeetingSession, BookingWindow, MeetingRequest):
            for signal in (post_save, post_delete):
                signal.connect(
                    renew_meetings_generation,
                    sender=model,
                    dispatch_uid=f"meetings_generation_{model.__name__}_{signal is post_save}",
                )
