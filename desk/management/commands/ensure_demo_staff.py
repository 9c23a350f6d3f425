from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "desk"
DEMO_PASSWORD = "desk-demo-1403"


class Command(BaseCommand):
    help = "Create the demo back-office account (idempotent) and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="even when DEBUG is off")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create a demo account with a known password while DEBUG is off."
            )
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"first_name": "کارشناس", "last_name": "میز خدمت"},
        )
        if created:
            user.is_staff = user.is_superuser = True
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write(
            f"Demo staff account: username '{DEMO_USERNAME}', password '{DEMO_PASSWORD}' "
            "(back office at /admin/; for a demo only, never in production)"
        )
