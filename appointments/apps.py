from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Meetings with the mayor")

    def ready(self):
        from appointments import services
        from appointments.demo import seed_demo_appointments
        from appointments.models import (
            MEETINGS_GENERATION,
            BookingWindow,
            Host,
            MeetingRequest,
            MeetingSession,
        )
        from desk import fragments, registry

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
        fragments.renew_generation_on_change(
            MEETINGS_GENERATION, Host, MeetingSession, BookingWindow, MeetingRequest
        )
