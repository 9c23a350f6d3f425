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
        registry.register_demo_seeder("processes", seed_demo_services)
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
