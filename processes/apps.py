from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "processes"
    verbose_name = _("Processes")

    def ready(self):
        from desk import fragments, registry
        from desk.models import Department
        from processes.demo import seed_demo_services
        from processes.models import (
            CARDS_GENERATION,
            RequiredDocument,
            Service,
            ServiceCategory,
            ServiceFee,
            ServiceQuestion,
            ServiceRequest,
            ServiceStep,
        )

        registry.register_case_app(
            ServiceRequest,
            label=_("service request"),
            case_url_name="processes:request",
            card=registry.HomeCard(
                title=_("Guide to the services"),
                summary=_("Steps, documents, duration and fees of each service; apply online"),
                url_name="processes:index",
                order=30,
            ),
        )
        for work in work_counts():
            registry.register_work_count(work)
        registry.register_sms_kinds(
            {
                "service_request_received": _("service request filed"),
                "service_request_correction": _("documents to send again"),
                "service_request_accepted": _("documents accepted"),
                "service_request_ready": _("service request ready"),
                "service_request_completed": _("service request completed"),
                "service_request_rejected": _("service request rejected"),
            }
        )
        registry.register_demo_seeder("processes", seed_demo_services)
        from processes import loadgen

        registry.register_load_generator(
            registry.LoadGenerator("processes", loadgen.generate, order=30)
        )
        fragments.renew_generation_on_change(
            CARDS_GENERATION,
            Service,
            ServiceCategory,
            ServiceStep,
            RequiredDocument,
            ServiceFee,
            ServiceQuestion,
            Department,
        )
        from processes import reports

        registry.register_report_part(
            registry.ReportPart(
                "service_requests",
                "service_requests",
                reports.SECTION_TITLE,
                reports.build,
                order=30,
            )
        )
        registry.register_report_part(
            registry.ReportPart(
                "compliance.cards",
                "compliance",
                reports.COMPLIANCE_TITLE,
                reports.build_compliance,
                order=50,
            )
        )


def work_counts() -> list:
    """Service requests and cards on the back office's home page: new, overdue, due this
    week, waiting on an inquiry, and the cards overdue for their yearly review; each in the
    clerk's scope and linked to the list filtered to the same rows."""
    from django.urls import reverse

    from desk.registry import WorkCount
    from processes.models import RequestStatus, Service, ServiceRequest

    def requests(query: str):
        return lambda: f"{reverse('admin:processes_servicerequest_changelist')}?{query}"

    def scoped(user):
        return ServiceRequest.objects.for_staff(user)

    common = {"group": _("Service requests"), "permission": "processes.view_servicerequest"}
    return [
        WorkCount(
            key="processes.new",
            title=_("new"),
            count=lambda user: scoped(user).filter(status=RequestStatus.SUBMITTED),
            url=requests(f"status__exact={RequestStatus.SUBMITTED.value}"),
            order=30,
            **common,
        ),
        WorkCount(
            key="processes.overdue",
            title=_("overdue"),
            count=lambda user: scoped(user).overdue(),
            url=requests("overdue=yes"),
            order=31,
            **common,
        ),
        WorkCount(
            key="processes.due_this_week",
            title=_("due this week"),
            count=lambda user: scoped(user).due_this_week(),
            url=requests("overdue=week"),
            order=32,
            **common,
        ),
        WorkCount(
            key="processes.waiting_on_inquiry",
            title=_("waiting on an inquiry"),
            count=lambda user: scoped(user).waiting_on_inquiry(),
            url=requests("inquiry=open"),
            order=33,
            **common,
        ),
        WorkCount(
            key="processes.cards_due_for_review",
            title=_("cards overdue for their yearly review"),
            group=_("Service cards"),
            count=lambda user: Service.objects.due_for_review(),
            url=lambda: f"{reverse('admin:processes_service_changelist')}?review=due",
            permission="processes.view_service",
            order=40,
        ),
    ]
