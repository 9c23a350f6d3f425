"""The demo directory for `seed_demo`: where each demo unit is, when it receives citizens, and
who answers its phones. Every name and number is made up; the numbers follow the shape of a
Qeshm line (076, then eight digits) with the extensions of one switchboard."""

from django.db import transaction

from contacts.models import Contact
from desk.management.commands.seed_demo import demo_units
from desk.models import Department

SWITCHBOARD = "076-3524-2000"
# Thursday is a working day: the weekend is Friday alone (DESK_WEEKEND_DAYS).
OFFICE_HOURS = "شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰، پنجشنبه ۷:۳۰ تا ۱۲:۳۰"

# unit slug: (location, working hours)
PLACES = {
    "urban-services": ("ساختمان مرکزی، طبقه اول، اتاق ۱۰۲", OFFICE_HOURS),
    "urban-planning": ("ساختمان مرکزی، طبقه دوم، اتاق‌های ۲۰۱ تا ۲۰۶", OFFICE_HOURS),
    "revenue": (
        "ساختمان مرکزی، طبقه همکف، باجه‌های ۱ تا ۴",
        "شنبه تا چهارشنبه ۷:۳۰ تا ۱۳:۳۰، پنجشنبه ۷:۳۰ تا ۱۲:۳۰",
    ),
    "business-licences": ("ساختمان مرکزی، طبقه همکف، باجه ۵", OFFICE_HOURS),
    "transport": ("بلوار ساحلی، جنب پایانه مسافربری، ساختمان حمل و نقل", OFFICE_HOURS),
    "green-space": ("پارک ساحلی، ساختمان سازمان سیما و منظر", "شنبه تا پنجشنبه، ساعت ۷ تا ۱۴"),
    "finance": ("ساختمان مرکزی، طبقه سوم، اتاق ۳۰۱", OFFICE_HOURS),
    "civil-works": ("ساختمان مرکزی، طبقه دوم، اتاق ۲۱۰", OFFICE_HOURS),
    "fire": (
        "خیابان امام خمینی، ایستگاه مرکزی آتش‌نشانی",
        "شبانه‌روزی؛ اداری: شنبه تا پنجشنبه ۷:۳۰ تا ۱۴:۳۰",
    ),
    "legal": ("ساختمان مرکزی، طبقه سوم، اتاق ۳۰۸", "شنبه تا سه‌شنبه، ساعت ۸ تا ۱۳"),
}

# unit slug: [(role, name, phone, extension, other numbers, e-mail, public)]
CONTACTS = {
    "urban-services": [
        ("معاون خدمات شهری", "حسن ذاکری", "076-3524-2101", "101", "", "khadamat@example.ir", True),
        ("مسئول دفتر معاونت", "مریم بندری", SWITCHBOARD, "102", "", "", True),
        ("کارشناس پسماند", "", SWITCHBOARD, "115", "", "", True),
        ("سامانه خدمات شهری", "", "137", "", "", "", True),
        ("سرپرست پیمانکار نظافت", "یوسف درویشی", SWITCHBOARD, "118", "0917-765-4310", "", False),
    ],
    "urban-planning": [
        ("معاون شهرسازی و معماری", "نادر کمالی", "076-3524-2201", "201", "", "", True),
        ("مسئول دفتر معاونت", "فرزانه سلیمانی", SWITCHBOARD, "202", "", "", True),
        ("کارشناس صدور پروانه ساختمان", "علی‌رضا نیک‌نام", SWITCHBOARD, "204", "", "", True),
        ("کارشناس پایان کار و عدم خلافی", "", SWITCHBOARD, "205", "", "", True),
    ],
    "revenue": [
        ("مدیر درآمد", "احمد صالحی", "076-3524-2301", "301", "", "", True),
        ("باجه عوارض نوسازی", "", SWITCHBOARD, "311", "", "", True),
        ("باجه عوارض کسب و پیشه", "", SWITCHBOARD, "312", "", "", True),
        ("کارشناس وصول مطالبات", "سمیه انصاری", SWITCHBOARD, "315", "", "", False),
    ],
    "business-licences": [
        ("مسئول واحد کسب و پیشه", "رضا بهمنی", "076-3524-2321", "321", "", "", True),
        ("کارشناس تابلوهای تبلیغاتی", "", SWITCHBOARD, "323", "", "", True),
    ],
    "transport": [
        ("معاون حمل و نقل و ترافیک", "محمود دریانورد", "076-3524-6100", "", "", "", True),
        ("مسئول دفتر معاونت", "", "076-3524-6101", "", "076-3524-6109", "", True),
        ("سازمان تاکسیرانی", "", "076-3524-6120", "", "", "taxi@example.ir", True),
        ("کارشناس علائم و خط‌کشی", "کریم جاسمی", "076-3524-6100", "14", "", "", True),
    ],
    "green-space": [
        ("مدیرعامل سازمان سیما، منظر و فضای سبز", "پروین خلیفه", "076-3524-7300", "", "", "", True),
        ("مسئول دفتر", "", "076-3524-7301", "", "", "", True),
        ("کارشناس فضای سبز و هرس", "", "076-3524-7300", "12", "", "", True),
    ],
    "finance": [
        ("معاون مالی و اداری", "جواد فرهادی", "076-3524-2401", "401", "", "", True),
        ("مسئول دفتر معاونت", "", SWITCHBOARD, "402", "", "", True),
        ("کارشناس قراردادها", "", SWITCHBOARD, "410", "", "", True),
        ("امور کارکنان", "", SWITCHBOARD, "415", "", "", False),
    ],
    "civil-works": [
        ("معاون فنی و عمرانی", "سعید بحرینی", "076-3524-2501", "501", "", "", True),
        ("مسئول دفتر معاونت", "زینب حیدری", SWITCHBOARD, "502", "", "", True),
        ("کارشناس روشنایی معابر", "", SWITCHBOARD, "511", "", "", True),
        ("کارشناس آسفالت و ترمیم حفاری", "", SWITCHBOARD, "512", "", "", True),
    ],
    "fire": [
        ("امداد و حوادث", "", "125", "", "", "", True),
        ("رئیس سازمان آتش‌نشانی", "عباس ملاحی", "076-3524-5125", "", "", "", True),
        ("کارشناس ایمنی ساختمان", "", "076-3524-5126", "", "", "", True),
        ("آموزش همگانی", "", "076-3524-5127", "", "", "", True),
    ],
    "legal": [
        ("مدیر حقوقی و املاک", "لیلا شریفی", "076-3524-2601", "601", "", "", True),
        ("کارشناس املاک", "", SWITCHBOARD, "605", "", "", True),
        ("وکیل پرونده‌ها", "", SWITCHBOARD, "608", "0917-765-4322", "", False),
    ],
}


def seed_demo_contacts() -> str:
    """The demo units' place and hours (where still empty) and, when the directory is empty,
    its contacts. Safe to run again: it adds no second copy and keeps what staff edited."""
    with transaction.atomic():
        units = demo_units()
        for slug, (location, hours) in PLACES.items():
            unit = units[slug]
            Department.objects.filter(pk=unit.pk, location="").update(location=location)
            Department.objects.filter(pk=unit.pk, working_hours="").update(working_hours=hours)
        if Contact.objects.exists():
            return "Contacts: the directory is already filled, none added."
        for slug, rows in CONTACTS.items():
            for order, row in enumerate(rows, start=1):
                _add_contact(units[slug], order, *row)
    return f"Contacts: {sum(map(len, CONTACTS.values()))} demo contacts in {len(CONTACTS)} units."


def _add_contact(unit, order, role, name, phone, extension, others, email, public) -> None:
    Contact.objects.create(
        unit=unit,
        order=order * 10,
        role=role,
        name=name,
        phone=phone,
        extension=extension,
        other_numbers=others,
        email=email,
        is_public=public,
    )
