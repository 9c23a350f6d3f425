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
        registry.register_demo_seeder("complaints", seed_demo_complaints)
        fragments.renew_generation_on_change(COMPLAINT_FORM_GENERATION, ComplaintCategory)
