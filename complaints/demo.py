"""Demo complaints for `seed_demo`: categories mapped to the demo units, reply templates and a
few dozen cases in every state, filed and moved only through the service functions and then
spread over the last months, so that the list, the overdue filter and the quarterly report
have something to show."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, ComplaintCategory, ComplaintEvent, Kind, ReplyTemplate
from desk.cases.models import Channel
from desk.jalali import local_midnight
from desk.management.commands.seed_demo import DEMO_DEPARTMENTS, demo_clerk
from desk.models import Department
from desk.workdays import add_working_days

# title, unit slug, answer deadline in working days
CATEGORIES = [
    ("آسفالت و چاله معابر", "civil-works", 10),
    ("روشنایی معابر", "civil-works", 5),
    ("جمع‌آوری پسماند", "urban-services", 3),
    ("فضای سبز و درختان", "green-space", 10),
    ("سد معبر", "urban-services", 7),
    ("حمل و نقل عمومی", "transport", 10),
    ("پروانه ساختمانی", "urban-planning", 15),
    ("عوارض و درآمد", "revenue", 10),
    ("مشاغل و تابلوهای تبلیغاتی", "business-licences", 10),
    ("رفتار و پاسخگویی کارکنان", "finance", 7),
]

Use = ReplyTemplate.Use

# title, use, category title (None: every category), text
REPLY_TEMPLATES = [
    (
        "پاسخ عمومی: در دست اقدام",
        Use.ANSWER,
        None,
        "شهروند گرامی، درخواست شما بررسی شد و موضوع در برنامه کاری واحد مربوط قرار گرفت. "
        "از اینکه با گزارش خود به بهبود خدمات شهری کمک کردید سپاسگزاریم.",
    ),
    (
        "ترمیم چاله و لکه‌گیری",
        Use.ANSWER,
        "آسفالت و چاله معابر",
        "شهروند گرامی، محل اعلام‌شده بازدید شد و ترمیم آسفالت آن در برنامه لکه‌گیری همین "
        "هفته قرار گرفت. در صورت بارندگی، اجرا تا چند روز به تعویق می‌افتد.",
    ),
    (
        "تعویض لامپ روشنایی",
        Use.ANSWER,
        "روشنایی معابر",
        "شهروند گرامی، لامپ‌های معیوب محل اعلام‌شده توسط اکیپ روشنایی تعویض شد. "
        "در صورت تکرار خاموشی، لطفاً دوباره اطلاع دهید.",
    ),
    (
        "جمع‌آوری پسماند",
        Use.ANSWER,
        "جمع‌آوری پسماند",
        "شهروند گرامی، موضوع به پیمانکار خدمات شهری منطقه ابلاغ و پسماند محل جمع‌آوری شد. "
        "لطفاً زباله را فقط در ساعات اعلام‌شده (پس از ساعت ۲۱) بیرون بگذارید.",
    ),
    (
        "ارجاع برای بازدید میدانی",
        Use.REFER,
        None,
        "لطفاً پس از بازدید میدانی، نتیجه را حداکثر تا پایان مهلت مقرر در سامانه ثبت فرمایید.",
    ),
    (
        "برق: شرکت توزیع نیروی برق",
        Use.OUT_OF_JURISDICTION,
        None,
        "موضوع درخواست شما در حوزه وظایف شرکت توزیع نیروی برق است. لطفاً با شماره ۱۲۱ یا "
        "سامانه «برق من» تماس بگیرید.",
    ),
    (
        "آب و فاضلاب",
        Use.OUT_OF_JURISDICTION,
        None,
        "موضوع درخواست شما در حوزه وظایف شرکت آب و فاضلاب است. لطفاً با شماره ۱۲۲ تماس بگیرید.",
    ),
    (
        "بستن پس از انجام کار",
        Use.CLOSE,
        None,
        "اقدامات لازم انجام شد و پرونده بسته می‌شود. از همراهی شما سپاسگزاریم.",
    ),
]

CITIZENS = [
    ("مریم احمدی", "09121234567"),
    ("علی رضایی", "09131112233"),
    ("فاطمه حسینی", "09151234987"),
    ("محمد کریمی", "09171239876"),
    ("زهرا محمدی", "09361112244"),
    ("حسین موسوی", "09191230011"),
    ("سارا جعفری", "09331234455"),
    ("رضا قاسمی", "09111239922"),
    ("نرگس صادقی", "09351112266"),
    ("امیر عباسی", "09121110077"),
    ("لیلا نوری", "09141238833"),
    ("مهدی یزدانی", "09171116655"),
]

# category, kind, subject, description, place, what happened (steps), filed how many days ago.
# Steps: review, refer:<unit slug>, answer, close:<outcome>, reopen, ooj, dup, note.
CASES = [
    # received
    (
        "آسفالت و چاله معابر",
        Kind.COMPLAINT,
        "چاله عمیق در خیابان امام",
        "چاله‌ای عمیق جلوی پلاک ۱۲ ایجاد شده و چند خودرو آسیب دیده‌اند.",
        "خیابان امام، روبروی پلاک ۱۲",
        [],
        1,
    ),
    (
        "روشنایی معابر",
        Kind.COMPLAINT,
        "خاموشی چراغ‌های کوچه",
        "سه چراغ کوچه از دو هفته پیش خاموش است و شب‌ها کوچه کاملاً تاریک است.",
        "کوچه گلستان ۴",
        [],
        2,
    ),
    (
        "فضای سبز و درختان",
        Kind.SUGGESTION,
        "کاشت درخت در بلوار ساحلی",
        "پیشنهاد می‌کنم در حاشیه بلوار ساحلی درختان سایه‌دار بومی مانند کهور کاشته شود.",
        "بلوار ساحلی",
        [],
        3,
    ),
    (
        "سد معبر",
        Kind.COMPLAINT,
        "اشغال پیاده‌رو توسط مغازه‌ها",
        "مغازه‌داران اجناس خود را در پیاده‌رو چیده‌اند و عابران ناچارند از سواره‌رو عبور کنند.",
        "بازار مرکزی، ضلع شمالی",
        [],
        26,
    ),
    (
        "حمل و نقل عمومی",
        Kind.CRITICISM,
        "نبود سایه‌بان در ایستگاه اتوبوس",
        "ایستگاه اتوبوس میدان ولیعصر سایه‌بان ندارد و در گرمای تابستان انتظار دشوار است.",
        "میدان ولیعصر",
        [],
        35,
    ),
    # in review
    (
        "جمع‌آوری پسماند",
        Kind.COMPLAINT,
        "جمع‌آوری نشدن زباله",
        "سه روز است زباله‌های کوچه جمع‌آوری نشده و بوی نامطبوع آن آزاردهنده است.",
        "محله صیادان، کوچه ۷",
        ["review"],
        1,
    ),
    (
        "پروانه ساختمانی",
        Kind.COMPLAINT,
        "طولانی شدن صدور پروانه",
        "پرونده پروانه ساختمانی من بیش از دو ماه است بدون پاسخ مانده است.",
        "",
        ["review", "note"],
        40,
    ),
    (
        "عوارض و درآمد",
        Kind.CRITICISM,
        "محاسبه نادرست عوارض نوسازی",
        "عوارض نوسازی امسال ملک من دو برابر سال گذشته محاسبه شده است.",
        "",
        ["review"],
        6,
    ),
    (
        "رفتار و پاسخگویی کارکنان",
        Kind.COMPLAINT,
        "برخورد نامناسب در واحد درآمد",
        "کارمند باجه دو با ارباب رجوع برخورد تندی داشت و توضیحی درباره قبض نداد.",
        "ساختمان شهرداری، طبقه همکف",
        ["review", "note"],
        4,
    ),
    (
        "مشاغل و تابلوهای تبلیغاتی",
        Kind.SUGGESTION,
        "یکسان‌سازی تابلوهای مغازه‌ها",
        "پیشنهاد می‌شود تابلوهای مغازه‌های خیابان اصلی با طرحی یکسان و زیبا ساماندهی شوند.",
        "خیابان اصلی",
        ["review"],
        12,
    ),
    # referred
    (
        "آسفالت و چاله معابر",
        Kind.COMPLAINT,
        "نشست آسفالت پس از حفاری",
        "پس از حفاری شرکت گاز، آسفالت کوچه ترمیم نشده و نشست کرده است.",
        "کوچه شهید بهشتی ۳",
        ["review", "refer:civil-works"],
        30,
    ),
    (
        "فضای سبز و درختان",
        Kind.COMPLAINT,
        "درخت خشکیده در خطر سقوط",
        "درخت کنار مدرسه کاملاً خشک شده و ممکن است روی دانش‌آموزان بیفتد.",
        "جنب دبستان شهید رجایی",
        ["refer:green-space"],
        3,
    ),
    (
        "حمل و نقل عمومی",
        Kind.COMPLAINT,
        "تأخیر اتوبوس خط ۳",
        "اتوبوس خط ۳ صبح‌ها با تأخیر زیاد می‌رسد و کارمندان دیر به محل کار می‌رسند.",
        "ایستگاه پایانه",
        ["review", "refer:transport", "note"],
        9,
    ),
    (
        "سد معبر",
        Kind.COMPLAINT,
        "پارک دائمی خودروی فرسوده",
        "یک خودروی فرسوده ماه‌هاست در کوچه رها شده و محل تجمع زباله شده است.",
        "کوچه نسترن",
        ["review", "refer:urban-services"],
        45,
    ),
    (
        "روشنایی معابر",
        Kind.COMPLAINT,
        "چراغ چشمک‌زن تقاطع",
        "چراغ روشنایی تقاطع مدام خاموش و روشن می‌شود و رانندگان را گیج می‌کند.",
        "تقاطع بلوار امام و خیابان ساحل",
        ["refer:civil-works"],
        5,
    ),
    (
        "پروانه ساختمانی",
        Kind.CRITICISM,
        "ساخت‌وساز بدون پروانه",
        "در زمین مجاور ساختمانی در حال ساخت است که تابلوی مشخصات پروانه ندارد.",
        "خیابان فردوسی، نبش کوچه ۹",
        ["review", "refer:urban-planning"],
        14,
    ),
    # answered
    (
        "آسفالت و چاله معابر",
        Kind.COMPLAINT,
        "چاله‌های مسیر پارک",
        "مسیر منتهی به پارک پر از چاله است و دوچرخه‌سواری کودکان خطرناک شده است.",
        "خیابان پارک",
        ["review", "answer"],
        8,
    ),
    (
        "جمع‌آوری پسماند",
        Kind.SUGGESTION,
        "مخازن تفکیک زباله",
        "پیشنهاد می‌کنم در محله مخازن جداگانه برای پسماند خشک و تر گذاشته شود.",
        "محله شهرک",
        ["review", "refer:urban-services", "answer"],
        11,
    ),
    (
        "عوارض و درآمد",
        Kind.COMPLAINT,
        "قبض عوارض تکراری",
        "برای یک ملک دو قبض عوارض کسب صادر شده است.",
        "",
        ["review", "answer"],
        7,
    ),
    (
        "فضای سبز و درختان",
        Kind.APPRECIATION,
        "قدردانی از نگهداری پارک ساحلی",
        "از رسیدگی خوب به فضای سبز پارک ساحلی و نظافت آن سپاسگزاریم.",
        "پارک ساحلی",
        ["review", "answer"],
        10,
    ),
    (
        "حمل و نقل عمومی",
        Kind.SUGGESTION,
        "خط تاکسی به بیمارستان",
        "پیشنهاد می‌شود خط تاکسی مستقیم از پایانه به بیمارستان راه‌اندازی شود.",
        "",
        ["review", "refer:transport", "answer"],
        13,
    ),
    # reopened
    (
        "روشنایی معابر",
        Kind.COMPLAINT,
        "خاموشی دوباره چراغ‌های پارک",
        "چراغ‌های پارک محله پس از تعمیر دوباره خاموش شده‌اند.",
        "پارک محله امیرآباد",
        ["review", "answer", "reopen"],
        20,
    ),
    (
        "جمع‌آوری پسماند",
        Kind.COMPLAINT,
        "ریختن نخاله در زمین بایر",
        "کامیون‌ها شبانه در زمین بایر کنار محله نخاله ساختمانی تخلیه می‌کنند.",
        "زمین بایر انتهای خیابان صیاد",
        ["review", "refer:urban-services", "answer", "reopen"],
        50,
    ),
    (
        "سد معبر",
        Kind.COMPLAINT,
        "دست‌فروشان در ورودی بازار",
        "دست‌فروشان ورودی بازار را بسته‌اند و پاسخ قبلی مشکل را حل نکرده است.",
        "ورودی بازار روز",
        ["review", "answer", "reopen", "note"],
        18,
    ),
    # closed
    (
        "آسفالت و چاله معابر",
        Kind.COMPLAINT,
        "ترمیم نشدن ترانشه",
        "ترانشه حفاری شده در خیابان سه ماه است ترمیم نشده است.",
        "خیابان طالقانی",
        ["review", "refer:civil-works", "answer", "close:resolved"],
        120,
    ),
    (
        "فضای سبز و درختان",
        Kind.COMPLAINT,
        "هرس نشدن درختان",
        "شاخه‌های درختان به سیم‌های برق رسیده و خطرناک است.",
        "خیابان بهار",
        ["review", "answer", "close:resolved"],
        95,
    ),
    (
        "عوارض و درآمد",
        Kind.CRITICISM,
        "نبود پرداخت اینترنتی عوارض",
        "امکان پرداخت اینترنتی عوارض خودرو وجود ندارد و باید حضوری مراجعه کرد.",
        "",
        ["review", "answer", "close:not_resolved"],
        80,
    ),
    (
        "مشاغل و تابلوهای تبلیغاتی",
        Kind.COMPLAINT,
        "تابلوی نورانی مزاحم",
        "نور شدید تابلوی یک فروشگاه شب‌ها به داخل خانه‌ها می‌تابد.",
        "خیابان ساحل، جنب پلاک ۴۰",
        ["review", "refer:business-licences", "answer", "close:resolved"],
        70,
    ),
    (
        "حمل و نقل عمومی",
        Kind.COMPLAINT,
        "خرابی دستگاه کارت‌خوان اتوبوس",
        "کارت‌خوان اتوبوس‌های خط ۱ کار نمی‌کند و مسافران باید پول نقد بدهند.",
        "",
        ["review", "close:no_action"],
        60,
    ),
    (
        "رفتار و پاسخگویی کارکنان",
        Kind.APPRECIATION,
        "قدردانی از کارشناس میز خدمت",
        "از راهنمایی دقیق و برخورد محترمانه کارشناس میز خدمت صمیمانه تشکر می‌کنم.",
        "",
        ["review", "answer", "close:resolved"],
        140,
    ),
    (
        "روشنایی معابر",
        Kind.COMPLAINT,
        "تیر چراغ برق کج‌شده",
        "تیر چراغ پس از تصادف کج شده و روی پیاده‌رو خم شده است.",
        "بلوار امام، مقابل بانک ملی",
        ["review", "answer", "reopen", "review", "answer", "close:resolved"],
        100,
    ),
    # not our jurisdiction
    (
        "روشنایی معابر",
        Kind.COMPLAINT,
        "قطعی برق منازل",
        "برق ساختمان ما از دیشب قطع است.",
        "محله شهرک، بلوک ۳",
        ["ooj"],
        16,
    ),
    (
        "جمع‌آوری پسماند",
        Kind.COMPLAINT,
        "نشت فاضلاب در خیابان",
        "فاضلاب از دریچه وسط خیابان بیرون می‌زند.",
        "خیابان معلم",
        ["review", "ooj"],
        55,
    ),
    (
        "حمل و نقل عمومی",
        Kind.CRITICISM,
        "گرانی بلیت هواپیما",
        "قیمت بلیت پرواز قشم به تهران بسیار بالاست.",
        "",
        ["ooj"],
        90,
    ),
    # duplicates
    (
        "آسفالت و چاله معابر",
        Kind.COMPLAINT,
        "چاله جلوی پلاک ۱۲ خیابان امام",
        "جلوی پلاک ۱۲ خیابان امام چاله خطرناکی هست.",
        "خیابان امام",
        ["dup"],
        1,
    ),
    (
        "سد معبر",
        Kind.COMPLAINT,
        "پیاده‌روی بازار مرکزی",
        "پیاده‌روی بازار مرکزی با اجناس مغازه‌ها بسته شده است.",
        "بازار مرکزی",
        ["review", "dup"],
        20,
    ),
]

ANSWERS = {
    "reopen": "پاسخ داده‌شده مشکل را حل نکرده است و وضعیت همچنان مانند قبل است.",
    "answer": "شهروند گرامی، موضوع بررسی و اقدام لازم انجام شد. از گزارش شما سپاسگزاریم.",
    "ooj": "موضوع در حوزه وظایف شهرداری نیست. لطفاً با دستگاه مسئول (برق ۱۲۱، آب ۱۲۲) تماس بگیرید.",
    "note": "با شهروند تماس تلفنی گرفته شد و توضیحات تکمیلی دریافت شد.",
    "refer": "لطفاً بازدید و نتیجه را در مهلت مقرر ثبت فرمایید.",
}


def seed_demo_complaints() -> str:
    """Categories, reply templates and (when there are none yet) demo complaints. Safe to
    run again: it adds no second copy of anything."""
    with transaction.atomic():
        units = _units()
        categories = _categories(units)
        _reply_templates(categories)
        if Complaint.objects.exists():
            return "Complaints: demo cases already present, none added."
        actor = demo_clerk()
        for index, case in enumerate(CASES):
            _file_case(index, case, categories, units, actor)
    return f"Complaints: {len(CASES)} demo cases in {len(categories)} categories."


def _units() -> dict[str, Department]:
    for slug, name, description in DEMO_DEPARTMENTS:
        Department.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    return {unit.slug: unit for unit in Department.objects.all()}


def _categories(units: dict[str, Department]) -> dict[str, ComplaintCategory]:
    categories = {}
    for order, (title, slug, days) in enumerate(CATEGORIES, start=1):
        categories[title], _ = ComplaintCategory.objects.get_or_create(
            title=title,
            defaults={"department": units[slug], "answer_days": days, "order": order * 10},
        )
    return categories


def _reply_templates(categories: dict[str, ComplaintCategory]) -> None:
    for title, use, category, text in REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            title=title,
            use=use,
            defaults={"category": categories.get(category), "text": text},
        )


def _file_case(index, case, categories, units, actor) -> Complaint:
    title, kind, subject, description, place, steps, days_ago = case
    name, mobile = CITIZENS[index % len(CITIZENS)]
    complaint = services.submit_complaint(
        kind=kind,
        category=categories[title],
        subject=subject,
        description=description,
        place=place,
        citizen_name=name,
        mobile=mobile,
        channel=[Channel.WEB, Channel.WEB, Channel.WALK_IN, Channel.PHONE][index % 4],
        actor=None if index % 4 < 2 else actor,
    )
    for step in steps:
        complaint = _take_step(complaint, step, units, actor)
    _spread_over_time(complaint, index, days_ago)
    return complaint


def _take_step(complaint: Complaint, step: str, units, actor) -> Complaint:
    name, _, argument = step.partition(":")
    if name == "review":
        return services.start_review(complaint, actor=actor)
    if name == "refer":
        return services.refer_complaint(
            complaint, department=units[argument], actor=actor, note=ANSWERS["refer"]
        )
    if name == "answer":
        return services.answer_complaint(complaint, actor=actor, answer=ANSWERS["answer"])
    if name == "close":
        return services.close_complaint(complaint, actor=actor, outcome=argument)
    if name == "reopen":
        return services.reopen_complaint(complaint, reason=ANSWERS["reopen"])
    if name == "ooj":
        return services.mark_out_of_jurisdiction(complaint, actor=actor, guidance=ANSWERS["ooj"])
    if name == "dup":
        original = (
            Complaint.objects.filter(category=complaint.category)
            .exclude(pk=complaint.pk)
            .order_by("pk")
            .first()
        )
        return services.mark_duplicate(complaint, original=original, actor=actor)
    if name == "note":
        return services.add_internal_note(complaint, actor=actor, note=ANSWERS["note"])
    raise ValueError(f"Unknown demo step {step!r}")


def _spread_over_time(complaint: Complaint, index: int, days_ago: int) -> None:
    """Move a case filed just now back to `days_ago` days ago, its events a few days apart,
    its dates and deadline following (demo data only: no service moves time)."""
    today = timezone.localdate()
    filed_at = local_midnight(today - timedelta(days=days_ago)) + timedelta(
        hours=8, minutes=(index * 47) % 360
    )
    events = list(complaint.events.order_by("created_at", "pk"))
    gap = min(
        timedelta(days=2, hours=3, minutes=17), (timezone.now() - filed_at) / (len(events) + 1)
    )
    for step, event in enumerate(events):
        event.created_at = filed_at + step * gap
    ComplaintEvent.objects.bulk_update(events, ["created_at"])
    at = {event.action: event.created_at for event in events}  # the last of each action
    started = at.get("reopen", filed_at)
    changes = {
        "created_at": filed_at,
        "updated_at": events[-1].created_at,
        "due_date": add_working_days(started, complaint.category.answer_days),
    }
    if complaint.answered_at:
        changes["answered_at"] = at["answer"]
    if complaint.closed_at:
        changes["closed_at"] = events[-1].created_at
    Complaint.objects.filter(pk=complaint.pk).update(**changes)
