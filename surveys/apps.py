from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from desk import registry
        from desk.cases.models import case_finished
        from surveys.demo import seed_demo_surveys
        from surveys.services import invite_after_case

        case_finished.connect(invite_after_case, dispatch_uid="surveys-invite")
        registry.register_home_card(
            registry.HomeCard(
                title=_("Rate the service desk"),
                summary=_("Tell us how we served you; it takes under a minute"),
                url_name="surveys:general",
                order=50,
            )
        )
        registry.register_sms_kinds(
            {
                "survey_invitation": _("survey invitation"),
            }
        )
        registry.register_demo_seeder("surveys", seed_demo_surveys)
        from surveys import loadgen

        # After the case apps' generators: it invites the cases they finished.
        registry.register_load_generator(
            registry.LoadGenerator("surveys", loadgen.generate, order=90)
        )
        from surveys import reports

        registry.register_report_part(
            registry.ReportPart(
                "satisfaction", "satisfaction", reports.SECTION_TITLE, reports.build, order=40
            )
        )
