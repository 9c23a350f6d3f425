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
        for work in work_counts():
            registry.register_work_count(work)
        registry.register_periodic_job(
            registry.PeriodicJob(
                name="appointment_reminders", func=services.send_reminders, every=600
            )
        )
        registry.register_sms_kinds(
            {
                "appointment_received": _("meeting request filed"),
                "appointment_approved": _("meeting approved"),
                "appointment_rescheduled": _("meeting rescheduled"),
                "appointment_referred": _("meeting request referred"),
                "appointment_declined": _("meeting request declined"),
                "appointment_cancelled": _("meeting cancelled"),
                "appointment_reminder": _("meeting reminder"),
                "appointment_outcome": _("meeting outcome"),
                "appointment_open_request": _("meeting request already open"),
            }
        )
        registry.register_demo_seeder("appointments", seed_demo_appointments)
        from appointments import loadgen

        registry.register_load_generator(
            registry.LoadGenerator("appointments", loadgen.generate, order=20)
        )
        fragments.renew_generation_on_change(
            MEETINGS_GENERATION, Host, MeetingSession, BookingWindow, MeetingRequest
        )
        from appointments import reports

        registry.register_report_part(
            registry.ReportPart(
                "meetings", "meetings", reports.SECTION_TITLE, reports.build, order=20
            )
        )


def work_counts() -> list:
    """Meetings on the back office's home page: today's and tomorrow's approved meetings and
    the requests waiting too long for a decision, linked to the list filtered to them."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.functional import lazy
    from django.utils.translation import gettext

    from appointments.models import PENDING_TOO_LONG, MeetingRequest
    from desk.registry import WorkCount
    from desk.text import local_digits

    def listed(query: str):
        return lambda: f"{reverse('admin:appointments_meetingrequest_changelist')}?{query}"

    def waiting_title() -> str:
        return gettext("requests waiting more than %(days)s days") % {
            "days": local_digits(PENDING_TOO_LONG.days)
        }

    common = {
        "group": _("Meetings with the mayor"),
        "permission": "appointments.view_meetingrequest",
    }
    return [
        WorkCount(
            key="appointments.today",
            title=_("today's meetings"),
            count=lambda user: MeetingRequest.objects.for_staff(user).meetings_on(
                timezone.localdate()
            ),
            url=listed("meeting=today"),
            order=20,
            **common,
        ),
        WorkCount(
            key="appointments.tomorrow",
            title=_("tomorrow's meetings"),
            count=lambda user: MeetingRequest.objects.for_staff(user).meetings_on(
                timezone.localdate() + timedelta(days=1)
            ),
            url=listed("meeting=tomorrow"),
            order=21,
            **common,
        ),
        WorkCount(
            key="appointments.waiting_too_long",
            title=lazy(waiting_title, str)(),
            count=lambda user: MeetingRequest.objects.for_staff(user).waiting_too_long(),
            url=listed("waiting=long"),
            order=22,
            **common,
        ),
    ]
