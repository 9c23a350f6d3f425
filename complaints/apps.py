from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from complaints.demo import seed_demo_complaints
        from complaints.models import Complaint
        from desk import registry

        registry.register_case_kind(
            registry.CaseKind(
                prefix=Complaint.tracking_prefix,
                name=Complaint.tracking_kind,
                label=_("complaint, criticism or suggestion"),
                find=_find_complaint,
                url=lambda code: reverse("complaints:case", args=[code]),
            )
        )
        registry.register_home_card(
            registry.HomeCard(
                title=_("Complaints, criticisms and suggestions"),
                summary=_("File and follow a complaint, criticism or suggestion"),
                url_name="complaints:new",
                order=10,
            )
        )
        registry.register_demo_seeder("complaints", seed_demo_complaints)


def _find_complaint(code: str, mobile: str):
    from complaints.models import Complaint

    return Complaint.objects.filter(tracking_code=code, mobile=mobile).first()
