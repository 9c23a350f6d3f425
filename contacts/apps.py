from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from contacts.demo import seed_demo_contacts
        from contacts.models import DIRECTORY_GENERATION, Contact, refresh_unit_search_text
        from desk import fragments, registry
        from desk.models import Department

        registry.register_home_card(
            registry.HomeCard(
                title=_("Contact information"),
                summary=_("Phone numbers of the municipality's units"),
                url_name="contacts:directory",
                order=40,
            )
        )
        registry.register_demo_seeder("contacts", seed_demo_contacts)
        post_save.connect(
            refresh_unit_search_text, sender=Department, dispatch_uid="contacts_unit_renamed"
        )
        fragments.renew_generation_on_change(DIRECTORY_GENERATION, Contact, Department)
        from contacts import reports

        registry.register_report_part(
            registry.ReportPart(
                "compliance.contacts", "compliance", reports.SECTION_TITLE, reports.build, order=50
            )
        )
