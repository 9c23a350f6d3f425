from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from complaints.demo import seed_demo_complaints
        from complaints.models import COMPLAINT_FORM_GENERATION, Complaint, ComplaintCategory
        from desk import fragments, registry

        registry.register_case_app(
            Complaint,
            label=_("complaint, criticism or suggestion"),
            case_url_name="complaints:case",
            card=registry.HomeCard(
                title=_("Complaints, criticisms and suggestions"),
                summary=_("File and follow a complaint, criticism or suggestion"),
                url_name="complaints:new",
                order=10,
            ),
        )
        for work in work_counts():
            registry.register_work_count(work)
        registry.register_sms_kinds(
            {
                "complaint_received": _("complaint filed"),
                "complaint_referred": _("complaint referred"),
                "complaint_answered": _("complaint answered"),
                "complaint_closed": _("complaint closed"),
                "complaint_out_of_jurisdiction": _("complaint not our jurisdiction"),
                "complaint_duplicate": _("complaint marked as duplicate"),
            }
        )
        registry.register_demo_seeder("complaints", seed_demo_complaints)
        from complaints import loadgen

        registry.register_load_generator(
            registry.LoadGenerator("complaints", loadgen.generate, order=10)
        )
        fragments.renew_generation_on_change(COMPLAINT_FORM_GENERATION, ComplaintCategory)
        from complaints import reports

        registry.register_report_part(
            registry.ReportPart(
                "complaints", "complaints", reports.SECTION_TITLE, reports.build, order=10
            )
        )


def work_counts() -> list:
    """The complaints on the back office's home page: new, overdue and due this week, each
    counted in the clerk's scope and linked to the list filtered to the same rows."""
    from django.urls import reverse

    from complaints.models import Complaint, Status
    from desk.registry import WorkCount

    def listed(query: str):
        return lambda: f"{reverse('admin:complaints_complaint_changelist')}?{query}"

    def scoped(user):
        return Complaint.objects.for_staff(user)

    common = {
        "group": _("Complaints, criticisms and suggestions"),
        "permission": "complaints.view_complaint",
    }
    return [
        WorkCount(
            key="complaints.new",
            title=_("new"),
            count=lambda user: scoped(user).filter(status=Status.RECEIVED),
            url=listed(f"status__exact={Status.RECEIVED.value}"),
            order=10,
            **common,
        ),
        WorkCount(
            key="complaints.overdue",
            title=_("overdue"),
            count=lambda user: scoped(user).overdue(),
            url=listed("overdue=yes"),
            order=11,
            **common,
        ),
        WorkCount(
            key="complaints.due_this_week",
            title=_("due this week"),
            count=lambda user: scoped(user).due_this_week(),
            url=listed("overdue=week"),
            order=12,
            **common,
        ),
    ]
