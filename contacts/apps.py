from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from contacts.demo import seed_demo_contacts
        from contacts.models import Contact, forget_cached_directory, refresh_unit_search_text
        from desk import registry
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
        for model in (Contact, Department):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_cached_directory,
                    sender=model,
                    dispatch_uid=f"contacts_directory_{model.__name__}_{signal is post_save}",
                )
