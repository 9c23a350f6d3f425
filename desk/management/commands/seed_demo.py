from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from desk import registry
from desk.models import Department, SiteProfile, SmsMessage

# The units of a mid-sized Iranian municipality, as its organisation chart names them.
DEMO_DEPARTMENTS = [
    ("urban-services", "معاونت خدمات شهری", "نظافت شهر، پسماند، آرامستان و ساماندهی مشاغل مزاحم."),
    (
        "urban-planning",
        "معاونت شهرسازی و معماری",
        "پروانه ساختمان، پایان کار، عدم خلافی و تغییر کاربری.",
    ),
    ("revenue", "واحد درآمد", "محاسبه و وصول عوارض نوسازی، کسب و پیشه و ساختمانی."),
    ("business-licences", "واحد کسب و پیشه", "عوارض و مجوزهای صنفی و تابلوهای تبلیغاتی."),
    ("transport", "معاونت حمل و نقل و ترافیک", "پارکینگ‌ها، تاکسیرانی، علائم و خط‌کشی معابر."),
    ("green-space", "سازمان سیما، منظر و فضای سبز", "پارک‌ها، درختان، هرس و آبیاری فضای سبز."),
    ("finance", "معاونت مالی و اداری", "امور مالی، قراردادها و پرداخت‌ها."),
    ("civil-works", "معاونت فنی و عمرانی", "آسفالت، جدول‌گذاری، روشنایی و پروژه‌های عمرانی."),
    ("fire", "سازمان آتش‌نشانی و خدمات ایمنی", "ایمنی ساختمان‌ها و آموزش همگانی."),
    ("legal", "واحد حقوقی و املاک", "دعاوی، قراردادها، اسناد و املاک شهرداری."),
]

DEMO_SITE_PROFILE = {
    "municipality_name": "شهرداری قشم",
    "officer_first_name": "غریب",
    "officer_last_name": "حسین پناهی",
    "officer_role": "میز خدمت",
    "urgent_phone": "33285728",
    "address": "قشم، بلوار امام خمینی، ساختمان شهرداری، طبقه همکف",
    # Thursday is a working day: the weekend is Friday alone (DESK_WEEKEND_DAYS).
    "working_hours": "شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰، پنجشنبه ۷:۳۰ تا ۱۲:۳۰",
}


def demo_units() -> dict[str, Department]:
    """The demo units, created where missing (an app's seeder may run before or without the
    desk's own demo data), by slug."""
    for slug, name, description in DEMO_DEPARTMENTS:
        Department.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    return {unit.slug: unit for unit in Department.objects.all()}


def demo_clerk():
    """The clerk the demo cases' steps are taken by: the timeline needs a name to show; the
    account cannot log in (no usable password)."""
    user, created = get_user_model().objects.get_or_create(
        username="demo-clerk",
        defaults={"first_name": "زهرا", "last_name": "کریمی", "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Load the demo data (units, site profile, holidays). Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo_units()
            if not SiteProfile.objects.exists():
                SiteProfile.objects.create(**DEMO_SITE_PROFILE)
        call_command("load_holidays", verbosity=options["verbosity"])
        started = timezone.now()
        for seed in registry.demo_seeders():
            if message := seed():
                self.stdout.write(str(message))
        history = _demo_sms_as_sent(since=started)
        self.stdout.write(
            f"Demo data ready: {Department.objects.count()} units"
            + (f", {history} demo SMS recorded as sent." if history else ".")
        )


def _demo_sms_as_sent(*, since) -> int:
    """The demo cases are history, and so are their SMS: recorded as sent, they fill the SMS
    log without the worker printing a thousand of them over the address `make run` gives."""
    return SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED, created_at__gte=since).update(
        status=SmsMessage.Status.SENT, sent_at=timezone.now(), provider_status="demo"
    )
