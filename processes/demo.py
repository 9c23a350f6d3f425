"""The demo service cards (شناسنامه خدمت) for `seed_demo`: what a Qeshm citizen reads before
applying for a business licence, a building permit or a tree-felling permit. Steps, documents,
durations and the laws cited follow what Iranian municipalities publish; every amount is a
plausible made-up figure in rials, not the council's tariff.

Run again, a card is brought back to what this file says: its steps, documents, fees and
questions are replaced. One card is left unreviewed for over a year, to show its notice.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from desk.management.commands.seed_demo import demo_clerk, demo_units
from desk.uploads import check_upload
from desk.workdays import add_working_days
from processes import services
from processes.models import (
    AcceptedTypes,
    DeliveryChannel,
    ReplyTemplate,
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceFee,
    ServiceQuestion,
    ServiceRequest,
    ServiceStep,
)

PDF_IMAGE = AcceptedTypes.PDF_OR_IMAGE
PDF = AcceptedTypes.PDF
IMAGE = AcceptedTypes.IMAGE
# A document with upload_online=False is an original shown at the counter.
ONLINE, COUNTER = True, False
MANDATORY, OPTIONAL = True, False

# slug: (title, order)
CATEGORIES = {
    "business": ("کسب و پیشه", 10),
    "building": ("شهرسازی و ساختمان", 20),
    "property-revenue": ("املاک و درآمد", 30),
    "urban-services": ("خدمات شهری و فضای سبز", 40),
}

# Each card: its fields, then
#   steps: (title, description, responsible unit slug, working days or None)
#   documents: (name, description, mandatory, uploaded online, accepted types)
#   fees: (title, amount in rials)
#   questions: (question, answer)
# `reviewed_days_ago` sets last_reviewed from today.
SERVICES = [
    {
        "slug": "business-licence-issue",
        "title": "صدور پروانه کسب",
        "category": "business",
        "department": "business-licences",
        "summary": (
            "پاسخ شهرداری به استعلام اتحادیه صنفی برای صدور پروانه کسب: بازدید از محل، "
            "بررسی کاربری ملک و محاسبه عوارض کسب و پیشه. پروانه را اتحادیه صادر می‌کند."
        ),
        "who_may_apply": (
            "متقاضی پروانه کسب که از اتحادیه صنف مربوط یا درگاه ملی مجوزها معرفی‌نامه گرفته "
            "است، یا وکیل رسمی او."
        ),
        "legal_basis": (
            "ماده ۱۲ قانون نظام صنفی و آیین‌نامه اجرایی نحوه صدور و تمدید پروانه کسب؛ "
            "بند ۲۰ ماده ۵۵ قانون شهرداری‌ها (جلوگیری از مشاغل مزاحم)؛ "
            "قانون درآمد پایدار و هزینه شهرداری‌ها و دهیاری‌ها (مصوب ۱۴۰۱)؛ "
            "تعرفه عوارض محلی مصوب شورای اسلامی شهر قشم."
        ),
        "duration_days": 7,
        "delivery_channel": DeliveryChannel.BOTH,
        "fee_note": (
            "عوارض سالانه کسب و پیشه به نوع صنف، متراژ و محل واحد بستگی دارد؛ "
            "رقم زیر برای یک واحد ۳۰ متری در معبر اصلی است."
        ),
        "accepts_online_requests": True,
        "reviewed_days_ago": 40,
        "steps": [
            (
                "ثبت درخواست و بارگذاری مدارک",
                "متقاضی معرفی‌نامه اتحادیه و مدارک را در میز خدمت الکترونیکی یا باجه ۵ "
                "ثبت می‌کند و کد رهگیری می‌گیرد.",
                "business-licences",
                1,
            ),
            (
                "بررسی کاربری و سوابق ملک",
                "کارشناس شهرسازی کاربری ملک در طرح تفصیلی و مجاز بودن صنف در آن محل را "
                "بررسی می‌کند.",
                "urban-planning",
                2,
            ),
            (
                "بازدید از محل کسب",
                "بازدید از واحد صنفی، متراژ، تابلو و نبود مزاحمت برای همسایگان؛ برای صنوف "
                "پرخطر، بازدید ایمنی آتش‌نشانی هم انجام می‌شود.",
                "business-licences",
                2,
            ),
            (
                "محاسبه و پرداخت عوارض",
                "عوارض کسب و پیشه محاسبه و قبض آن با پیامک فرستاده می‌شود؛ پرداخت در "
                "درگاه شهرداری یا باجه‌های درآمد.",
                "revenue",
                1,
            ),
            (
                "ارسال پاسخ استعلام به اتحادیه",
                "پاسخ شهرداری برای اتحادیه صنف فرستاده می‌شود تا پروانه صادر شود.",
                "business-licences",
                1,
            ),
        ],
        "documents": [
            (
                "معرفی‌نامه اتحادیه صنفی",
                "یا کد رهگیری درگاه ملی مجوزها.",
                MANDATORY,
                ONLINE,
                PDF_IMAGE,
            ),
            ("تصویر کارت ملی متقاضی", "پشت و روی کارت.", MANDATORY, ONLINE, IMAGE),
            (
                "سند مالکیت یا اجاره‌نامه محل کسب",
                "اجاره‌نامه باید کد رهگیری داشته باشد.",
                MANDATORY,
                ONLINE,
                PDF_IMAGE,
            ),
            ("آخرین قبض عوارض نوسازی ملک", "", OPTIONAL, ONLINE, PDF_IMAGE),
            (
                "اصل سند یا اجاره‌نامه",
                "هنگام بازدید به کارشناس نشان داده می‌شود.",
                MANDATORY,
                COUNTER,
                PDF_IMAGE,
            ),
        ],
        "fees": [
            ("بازدید کارشناسی محل کسب", 1_500_000),
            ("عوارض سالانه کسب و پیشه (نمونه: واحد ۳۰ متری)", 4_800_000),
            ("عوارض تابلوی سردر (تا ۴ متر مربع)", 1_200_000),
        ],
        "questions": [
            (
                "پروانه کسب را شهرداری صادر می‌کند؟",
                "خیر. پروانه را اتحادیه صنف صادر می‌کند؛ شهرداری به استعلام اتحادیه درباره "
                "کاربری ملک و عوارض پاسخ می‌دهد.",
            ),
            (
                "ملک من کاربری تجاری ندارد؛ می‌توانم پروانه بگیرم؟",
                "برخی مشاغل خانگی و دفتری در کاربری مسکونی مجازند. در باقی موارد، تا کاربری "
                "ملک تغییر نکند، پاسخ استعلام منفی است.",
            ),
            (
                "اگر پیش از گرفتن پروانه کار را شروع کنم چه می‌شود؟",
                "عوارض از تاریخ شروع فعالیت محاسبه می‌شود و واحد صنفی بدون پروانه ممکن است "
                "پلمب شود.",
            ),
            (
                "از کجا بفهمم درخواستم به کجا رسیده است؟",
                "با کد رهگیری و شماره همراه در میز خدمت الکترونیکی؛ هر مرحله هم پیامک می‌شود.",
            ),
        ],
    },
    {
        "slug": "business-licence-renewal",
        "title": "تمدید پروانه کسب",
        "category": "business",
        "department": "business-licences",
        "summary": (
            "تسویه عوارض سالانه کسب و پیشه و پاسخ به استعلام اتحادیه برای تمدید پروانه‌ای "
            "که مدت آن تمام شده یا رو به پایان است."
        ),
        "who_may_apply": "دارنده پروانه کسب یا وکیل رسمی او.",
        "legal_basis": (
            "ماده ۱۲ قانون نظام صنفی و آیین‌نامه اجرایی نحوه صدور و تمدید پروانه کسب؛ "
            "قانون درآمد پایدار و هزینه شهرداری‌ها و دهیاری‌ها (مصوب ۱۴۰۱)؛ "
            "تعرفه عوارض محلی مصوب شورای اسلامی شهر قشم."
        ),
        "duration_days": 3,
        "delivery_channel": DeliveryChannel.ONLINE,
        "fee_note": "عوارض سال‌های پرداخت‌نشده هم، با نرخ هر سال، به قبض افزوده می‌شود.",
        "accepts_online_requests": True,
        "reviewed_days_ago": 40,
        "steps": [
            (
                "ثبت درخواست تمدید",
                "با شماره پروانه کسب در میز خدمت الکترونیکی یا باجه ۵.",
                "business-licences",
                None,
            ),
            (
                "بررسی پرونده و بدهی‌های واحد صنفی",
                "تطبیق مشخصات پروانه با پرونده و محاسبه عوارض سال‌های گذشته.",
                "revenue",
                1,
            ),
            (
                "بازدید از محل",
                "فقط اگر متراژ، تابلو یا نوع فعالیت تغییر کرده باشد.",
                "business-licences",
                1,
            ),
            (
                "پرداخت عوارض و ارسال پاسخ به اتحادیه",
                "پس از پرداخت، مفاصاحساب عوارض برای اتحادیه فرستاده می‌شود.",
                "business-licences",
                1,
            ),
        ],
        "documents": [
            ("تصویر پروانه کسب قبلی", "", MANDATORY, ONLINE, PDF_IMAGE),
            ("تصویر کارت ملی دارنده پروانه", "", MANDATORY, ONLINE, IMAGE),
            (
                "اجاره‌نامه جدید",
                "اگر اجاره‌نامه قبلی تمام شده است.",
                OPTIONAL,
                ONLINE,
                PDF_IMAGE,
            ),
        ],
        "fees": [
            ("عوارض سالانه کسب و پیشه (نمونه: واحد ۳۰ متری)", 4_800_000),
            ("بازدید کارشناسی (در صورت تغییر)", 1_000_000),
        ],
        "questions": [
            (
                "چه زمانی برای تمدید اقدام کنم؟",
                "از سه ماه پیش از پایان اعتبار پروانه می‌توانید درخواست دهید.",
            ),
            (
                "برای تمدید باید به شهرداری بیایم؟",
                "خیر؛ اگر مشخصات واحد تغییر نکرده باشد، همه کار در میز خدمت الکترونیکی "
                "انجام می‌شود.",
            ),
            (
                "عوارض سال‌های گذشته را پرداخت نکرده‌ام؛ جریمه دارد؟",
                "عوارض معوق با نرخ همان سال‌ها و طبق تعرفه مصوب شورا محاسبه می‌شود؛ برای "
                "تقسیط با واحد درآمد تماس بگیرید.",
            ),
        ],
    },
    {
        "slug": "business-licence-cancellation",
        "title": "ابطال پروانه کسب",
        "category": "business",
        "department": "business-licences",
        "summary": (
            "تسویه حساب عوارض واحد صنفی و بستن پرونده آن در شهرداری هنگام تعطیلی کسب، "
            "تغییر محل یا واگذاری آن، تا عوارض سال‌های بعد برای آن محاسبه نشود."
        ),
        "who_may_apply": "دارنده پروانه کسب، وکیل رسمی او یا وراث قانونی دارنده پروانه.",
        "legal_basis": (
            "ماده ۲۸ قانون نظام صنفی و آیین‌نامه اجرایی آن؛ "
            "قانون درآمد پایدار و هزینه شهرداری‌ها و دهیاری‌ها (مصوب ۱۴۰۱)."
        ),
        "duration_days": 5,
        "delivery_channel": DeliveryChannel.IN_PERSON,
        "fee_note": "",
        "accepts_online_requests": False,
        "reviewed_days_ago": 40,
        "steps": [
            (
                "ثبت درخواست ابطال در باجه کسب و پیشه",
                "با ارائه اصل پروانه و گواهی اتحادیه درباره تعطیلی یا ابطال.",
                "business-licences",
                None,
            ),
            (
                "بازدید از محل و تأیید تعطیلی",
                "کارشناس تعطیل بودن واحد یا جابه‌جایی آن را صورتجلسه می‌کند.",
                "business-licences",
                2,
            ),
            (
                "تسویه عوارض تا تاریخ تعطیلی",
                "عوارض تا روز تعطیلی محاسبه و دریافت می‌شود.",
                "revenue",
                1,
            ),
            (
                "بستن پرونده و صدور گواهی",
                "گواهی تسویه و بسته شدن پرونده صادر و برای اتحادیه فرستاده می‌شود.",
                "business-licences",
                1,
            ),
        ],
        "documents": [
            ("اصل پروانه کسب", "تحویل داده می‌شود.", MANDATORY, COUNTER, PDF_IMAGE),
            ("کارت ملی دارنده پروانه", "", MANDATORY, COUNTER, IMAGE),
            ("گواهی ابطال یا تعطیلی از اتحادیه صنف", "", MANDATORY, COUNTER, PDF_IMAGE),
            (
                "گواهی انحصار وراثت",
                "فقط وقتی وراث درخواست می‌دهند.",
                OPTIONAL,
                COUNTER,
                PDF_IMAGE,
            ),
        ],
        "fees": [("بازدید و صدور گواهی تسویه", 800_000)],
        "questions": [
            (
                "کسبم را سال‌ها پیش تعطیل کرده‌ام؛ باید عوارض این سال‌ها را بدهم؟",
                "اگر تعطیلی را به شهرداری اعلام نکرده باشید، عوارض تا روز درخواست ابطال "
                "محاسبه می‌شود مگر آنکه تاریخ تعطیلی را با گواهی اتحادیه ثابت کنید.",
            ),
            (
                "فقط محل کسبم عوض شده است؛ باید پروانه را باطل کنم؟",
                "بله؛ پروانه برای محل معینی صادر شده است. پرونده محل قبلی بسته و برای محل "
                "جدید درخواست صدور داده می‌شود.",
            ),
            (
                "وراث دارنده پروانه چه باید بکنند؟",
                "با گواهی انحصار وراثت و اصل پروانه به باجه ۵ مراجعه کنند.",
            ),
        ],
    },
    {
        "slug": "building-permit",
        "title": "صدور پروانه ساختمانی",
        "category": "building",
        "department": "urban-planning",
        "summary": (
            "مجوز احداث، توسعه یا تجدید بنا در محدوده شهر قشم، بر پایه طرح تفصیلی و "
            "نقشه‌های تأییدشده سازمان نظام مهندسی."
        ),
        "who_may_apply": "مالک رسمی ملک (یا همه مالکان مشاعی) یا وکیل رسمی آنان.",
        "legal_basis": (
            "ماده ۱۰۰ قانون شهرداری‌ها؛ بند ۲۴ ماده ۵۵ قانون شهرداری‌ها؛ "
            "قانون نظام مهندسی و کنترل ساختمان (مصوب ۱۳۷۴) و مقررات ملی ساختمان؛ "
            "ضوابط طرح تفصیلی شهر قشم."
        ),
        "duration_days": 30,
        "delivery_channel": DeliveryChannel.BOTH,
        "fee_note": (
            "عوارض زیربنا به متراژ، کاربری و ارزش معاملاتی ملک بستگی دارد؛ رقم زیر برای "
            "یک واحد مسکونی ۱۰۰ متری است و مبلغ قطعی پس از بررسی نقشه‌ها اعلام می‌شود."
        ),
        "accepts_online_requests": True,
        "reviewed_days_ago": 75,
        "steps": [
            (
                "ثبت درخواست و تشکیل پرونده",
                "بارگذاری سند و مدارک در میز خدمت الکترونیکی یا دفتر پیشخوان.",
                "urban-planning",
                1,
            ),
            (
                "بازدید از ملک و صدور دستور نقشه",
                "کارشناس بر و کف، عقب‌نشینی و کاربری را ثبت و دستور نقشه صادر می‌کند.",
                "urban-planning",
                5,
            ),
            (
                "دریافت نقشه‌های تأییدشده نظام مهندسی",
                "مالک با مهندس طراح نقشه‌ها را تهیه و به تأیید سازمان نظام مهندسی می‌رساند؛ "
                "مدت آن به مالک و طراح بستگی دارد.",
                "urban-planning",
                None,
            ),
            (
                "کنترل نقشه‌ها و محاسبه عوارض",
                "کنترل نقشه‌ها با ضوابط طرح تفصیلی و محاسبه عوارض صدور پروانه.",
                "revenue",
                5,
            ),
            (
                "پرداخت عوارض یا تقسیط آن",
                "پرداخت در درگاه شهرداری یا عقد قرارداد تقسیط.",
                "finance",
                2,
            ),
            (
                "صدور و تحویل پروانه ساختمانی",
                "پروانه با امضای معاون شهرسازی صادر و به مالک تحویل می‌شود.",
                "urban-planning",
                3,
            ),
        ],
        "documents": [
            ("تصویر سند مالکیت", "سند تک‌برگ یا دفترچه‌ای.", MANDATORY, ONLINE, PDF),
            ("تصویر کارت ملی مالک یا مالکان", "", MANDATORY, ONLINE, IMAGE),
            ("نقشه‌های معماری و سازه تأییدشده", "مهرشده نظام مهندسی.", MANDATORY, ONLINE, PDF),
            ("تعهدنامه محضری مهندس ناظر", "", MANDATORY, ONLINE, PDF_IMAGE),
            ("وکالت‌نامه رسمی", "اگر وکیل درخواست می‌دهد.", OPTIONAL, ONLINE, PDF),
            ("اصل سند مالکیت", "هنگام تحویل پروانه نشان داده می‌شود.", MANDATORY, COUNTER, PDF),
        ],
        "fees": [
            ("بازدید کارشناسی و صدور دستور نقشه", 2_500_000),
            ("عوارض زیربنای مسکونی (نمونه: ۱۰۰ متر مربع)", 120_000_000),
            ("بررسی ایمنی نقشه‌ها در آتش‌نشانی", 3_000_000),
        ],
        "questions": [
            (
                "اعتبار پروانه ساختمانی چقدر است؟",
                "مهلت شروع و پایان عملیات ساختمانی در پروانه نوشته می‌شود؛ پس از آن باید "
                "پروانه را تمدید کنید.",
            ),
            (
                "می‌توانم عوارض را قسطی بپردازم؟",
                "بله؛ طبق دستورالعمل تقسیط مصوب شورا، با پیش‌پرداخت و چک‌های ماهانه.",
            ),
            (
                "اگر بدون پروانه بسازم چه می‌شود؟",
                "پرونده به کمیسیون ماده ۱۰۰ فرستاده می‌شود که می‌تواند حکم تخریب یا جریمه بدهد.",
            ),
            (
                "زمین من در طرح تعریض معبر است؛ چه کنم؟",
                "سهم عقب‌نشینی در دستور نقشه آمده است؛ برای تهاتر یا خرید آن با واحد "
                "حقوقی و املاک تماس بگیرید.",
            ),
        ],
    },
    {
        "slug": "building-completion-certificate",
        "title": "گواهی پایان‌کار ساختمان",
        "category": "building",
        "department": "urban-planning",
        "summary": (
            "گواهی اینکه ساختمان طبق پروانه و نقشه‌های تأییدشده ساخته شده است؛ برای "
            "تفکیک، گرفتن سند و انتقال رسمی واحدها لازم است."
        ),
        "who_may_apply": "مالک یا مالکان ساختمان دارای پروانه، یا وکیل رسمی آنان.",
        "legal_basis": (
            "ماده ۱۰۰ و تبصره ۸ آن از قانون شهرداری‌ها؛ "
            "قانون نظام مهندسی و کنترل ساختمان (مصوب ۱۳۷۴)؛ مبحث دوم مقررات ملی ساختمان."
        ),
        "duration_days": 15,
        "delivery_channel": DeliveryChannel.BOTH,
        "fee_note": "اگر بنا با پروانه مغایرت داشته باشد، جریمه کمیسیون ماده ۱۰۰ جداگانه است.",
        "accepts_online_requests": True,
        "reviewed_days_ago": 75,
        "steps": [
            (
                "ثبت درخواست و بارگذاری گزارش پایان‌کار ناظر",
                "",
                "urban-planning",
                1,
            ),
            (
                "بازدید و تطبیق بنا با پروانه",
                "کارشناس متراژ، تعداد طبقات، پارکینگ و نما را با نقشه‌ها مقایسه می‌کند.",
                "urban-planning",
                4,
            ),
            (
                "ارجاع موارد خلاف به کمیسیون ماده ۱۰۰",
                "فقط اگر بنا با پروانه مغایرت داشته باشد.",
                "legal",
                None,
            ),
            (
                "تسویه عوارض و بدهی‌های ملک",
                "",
                "revenue",
                3,
            ),
            (
                "صدور گواهی پایان‌کار",
                "گواهی صادر و برای اداره ثبت و دفترخانه قابل استعلام است.",
                "urban-planning",
                3,
            ),
        ],
        "documents": [
            ("تصویر پروانه ساختمانی", "", MANDATORY, ONLINE, PDF_IMAGE),
            ("گزارش پایان‌کار مهندس ناظر", "مهرشده نظام مهندسی.", MANDATORY, ONLINE, PDF),
            ("گواهی ایمنی آتش‌نشانی", "برای ساختمان‌های بیش از ۴ طبقه.", OPTIONAL, ONLINE, PDF),
            ("تصویر کارت ملی مالک", "", MANDATORY, ONLINE, IMAGE),
            ("اصل پروانه ساختمانی", "", MANDATORY, COUNTER, PDF),
        ],
        "fees": [
            ("بازدید کارشناسی", 2_500_000),
            ("صدور گواهی پایان‌کار", 1_500_000),
        ],
        "questions": [
            (
                "بدون پایان‌کار می‌توانم آپارتمان را بفروشم؟",
                "برای ساختمان تمام‌شده دفترخانه پایان‌کار می‌خواهد؛ برای بنای نیمه‌کاره، "
                "گواهی عدم خلاف تا تاریخ معامله.",
            ),
            (
                "یک طبقه بیش از پروانه ساخته‌ام؛ پایان‌کار می‌گیرم؟",
                "پس از رأی کمیسیون ماده ۱۰۰ و پرداخت جریمه یا اجرای رأی، گواهی صادر می‌شود.",
            ),
            (
                "گواهی پایان‌کار را چطور تحویل می‌گیرم؟",
                "نسخه الکترونیکی در میز خدمت و اصل آن در دبیرخانه معاونت شهرسازی.",
            ),
        ],
    },
    {
        "slug": "property-transfer-clearance",
        "title": "مفاصاحساب نقل و انتقال ملک",
        "category": "property-revenue",
        "department": "revenue",
        "summary": (
            "پاسخ شهرداری به استعلام دفترخانه پیش از انتقال رسمی ملک: گواهی اینکه "
            "عوارض نوسازی و دیگر عوارض ملک پرداخت شده است."
        ),
        "who_may_apply": "مالک ملک، وکیل رسمی او یا دفتر اسناد رسمی از طرف او.",
        "legal_basis": (
            "تبصره ۸ ماده ۱۰۰ قانون شهرداری‌ها؛ ماده ۲ قانون نوسازی و عمران شهری "
            "(عوارض نوسازی)؛ قانون درآمد پایدار و هزینه شهرداری‌ها و دهیاری‌ها (مصوب ۱۴۰۱)."
        ),
        "duration_days": 5,
        "delivery_channel": DeliveryChannel.ONLINE,
        "fee_note": "بدهی عوارض نوسازی و عوارض معوق ملک جداگانه محاسبه و پیش از صدور گرفته می‌شود.",
        "accepts_online_requests": True,
        "reviewed_days_ago": 120,
        "steps": [
            (
                "دریافت استعلام دفترخانه یا درخواست مالک",
                "استعلام از سامانه ثبت یا درخواست در میز خدمت.",
                "revenue",
                None,
            ),
            (
                "بررسی پرونده ملک",
                "تطبیق سند با پرونده نوسازی و بررسی وضعیت پایان‌کار یا عدم خلاف.",
                "urban-planning",
                2,
            ),
            (
                "محاسبه بدهی عوارض",
                "عوارض نوسازی سال‌های پرداخت‌نشده و عوارض دیگر ملک.",
                "revenue",
                1,
            ),
            (
                "پرداخت و صدور مفاصاحساب",
                "مفاصاحساب الکترونیکی برای دفترخانه فرستاده می‌شود.",
                "revenue",
                1,
            ),
        ],
        "documents": [
            ("تصویر سند مالکیت", "", MANDATORY, ONLINE, PDF),
            ("تصویر کارت ملی مالک", "", MANDATORY, ONLINE, IMAGE),
            ("آخرین قبض عوارض نوسازی", "", OPTIONAL, ONLINE, PDF_IMAGE),
            ("وکالت‌نامه رسمی", "اگر وکیل درخواست می‌دهد.", OPTIONAL, ONLINE, PDF),
        ],
        "fees": [("صدور مفاصاحساب", 1_200_000)],
        "questions": [
            (
                "اعتبار مفاصاحساب چقدر است؟",
                "تا پایان همان سال؛ پس از آن باید دوباره استعلام شود.",
            ),
            (
                "برای انتقال ملک وراثتی هم مفاصاحساب لازم است؟",
                "بله؛ وراث با گواهی انحصار وراثت درخواست می‌دهند.",
            ),
            (
                "بدهی عوارض نوسازی را می‌توانم قسطی بدهم؟",
                "برای صدور مفاصاحساب باید کل بدهی تسویه شود.",
            ),
        ],
    },
    {
        "slug": "no-violation-certificate",
        "title": "گواهی عدم خلاف",
        "category": "building",
        "department": "urban-planning",
        "summary": (
            "گواهی اینکه ساختمان نیمه‌کاره تا امروز خلاف پروانه ساخته نشده است؛ دفترخانه "
            "برای معامله ساختمان ناتمام آن را می‌خواهد."
        ),
        "who_may_apply": "مالک ساختمان دارای پروانه یا وکیل رسمی او.",
        "legal_basis": "تبصره ۸ ماده ۱۰۰ قانون شهرداری‌ها.",
        "duration_days": 10,
        "delivery_channel": DeliveryChannel.BOTH,
        "fee_note": "",
        "accepts_online_requests": True,
        "reviewed_days_ago": 200,
        "steps": [
            ("ثبت درخواست", "در میز خدمت الکترونیکی یا دفتر پیشخوان.", "urban-planning", 1),
            (
                "بازدید از ساختمان",
                "تطبیق بخش ساخته‌شده با پروانه و نقشه‌ها.",
                "urban-planning",
                4,
            ),
            ("تسویه عوارض ملک", "", "revenue", 2),
            ("صدور گواهی عدم خلاف", "", "urban-planning", 2),
        ],
        "documents": [
            ("تصویر پروانه ساختمانی", "", MANDATORY, ONLINE, PDF_IMAGE),
            ("تصویر سند مالکیت", "", MANDATORY, ONLINE, PDF),
            ("گزارش مرحله‌ای مهندس ناظر", "", MANDATORY, ONLINE, PDF),
        ],
        "fees": [
            ("بازدید کارشناسی", 2_000_000),
            ("صدور گواهی", 1_000_000),
        ],
        "questions": [
            (
                "فرق گواهی عدم خلاف با پایان‌کار چیست؟",
                "عدم خلاف برای ساختمان نیمه‌کاره است و فقط تا تاریخ صدور اعتبار دارد؛ "
                "پایان‌کار برای ساختمان تمام‌شده.",
            ),
            (
                "گواهی عدم خلاف تا کی معتبر است؟",
                "تا تاریخ معامله‌ای که برای آن گرفته شده؛ معمولاً دفترخانه گواهی یک ماه "
                "اخیر را می‌پذیرد.",
            ),
        ],
    },
    {
        "slug": "excavation-permit",
        "title": "صدور مجوز حفاری در معابر",
        "category": "urban-services",
        "department": "civil-works",
        "summary": (
            "مجوز حفر معبر برای انشعاب آب، برق، گاز، مخابرات یا فاضلاب، با تعهد ترمیم "
            "آسفالت و پیاده‌رو."
        ),
        "who_may_apply": (
            "شرکت‌های خدمات‌رسان (آب و فاضلاب، برق، گاز، مخابرات) و شهروندانی که "
            "برای انشعاب ملک خود معرفی‌نامه شرکت خدمات‌رسان دارند."
        ),
        "legal_basis": (
            "ماده ۱۰۳ قانون شهرداری‌ها؛ بند ۱ ماده ۵۵ قانون شهرداری‌ها؛ "
            "آیین‌نامه هماهنگی حفاری‌ها در معابر شهری."
        ),
        "duration_days": 5,
        "delivery_channel": DeliveryChannel.IN_PERSON,
        "fee_note": (
            "هزینه ترمیم به طول، عرض و نوع روکش نوار حفاری بستگی دارد؛ رقم زیر برای هر "
            "متر طول در معبر آسفالته است."
        ),
        "accepts_online_requests": False,
        "reviewed_days_ago": 150,
        "steps": [
            (
                "ثبت درخواست با کروکی مسیر",
                "",
                "civil-works",
                None,
            ),
            (
                "بازدید از مسیر و تعیین ابعاد حفاری",
                "",
                "civil-works",
                2,
            ),
            (
                "هماهنگی ترافیکی",
                "برای معابر اصلی: تعیین ساعت کار و علائم هشدار.",
                "transport",
                1,
            ),
            (
                "پرداخت هزینه ترمیم و صدور مجوز",
                "",
                "revenue",
                1,
            ),
            (
                "بازدید پس از ترمیم",
                "تأیید ترمیم آسفالت و بستن پرونده حفاری.",
                "civil-works",
                None,
            ),
        ],
        "documents": [
            ("معرفی‌نامه شرکت خدمات‌رسان", "", MANDATORY, COUNTER, PDF),
            ("کروکی مسیر حفاری", "با طول و عرض نوار.", MANDATORY, COUNTER, PDF_IMAGE),
            ("کارت ملی متقاضی یا نماینده شرکت", "", MANDATORY, COUNTER, IMAGE),
        ],
        "fees": [
            ("بررسی و صدور مجوز حفاری", 1_500_000),
            ("ترمیم آسفالت (هر متر طول نوار حفاری)", 4_800_000),
        ],
        "questions": [
            (
                "ترمیم آسفالت با کیست؟",
                "شهرداری با هزینه‌ای که پیش از صدور مجوز گرفته است ترمیم می‌کند.",
            ),
            (
                "حفاری اضطراری (مثل ترکیدگی لوله) هم مجوز می‌خواهد؟",
                "کار اضطراری آغاز می‌شود و شرکت خدمات‌رسان ظرف ۲۴ ساعت به شهرداری خبر "
                "می‌دهد و مجوز می‌گیرد.",
            ),
            (
                "معبری که تازه آسفالت شده است را می‌توان حفر کرد؟",
                "معمولاً تا دو سال پس از آسفالت مجوز داده نمی‌شود، مگر در موارد ضروری.",
            ),
        ],
    },
    {
        "slug": "tree-felling-permit",
        "title": "مجوز قطع یا جابه‌جایی درخت",
        "category": "urban-services",
        "department": "green-space",
        "summary": (
            "قطع یا جابه‌جایی درخت در ملک خصوصی یا معبر، پس از بازدید کارشناس و رأی "
            "کمیسیون؛ بی‌مجوز ممنوع است."
        ),
        "who_may_apply": "مالک ملک یا وکیل رسمی او؛ برای درخت معبر، هر شهروند.",
        "legal_basis": (
            "قانون اصلاح لایحه قانونی حفظ و گسترش فضای سبز در شهرها (مصوب ۱۳۸۸) و "
            "آیین‌نامه اجرایی آن؛ کمیسیون ماده ۷ همان قانون."
        ),
        "duration_days": 20,
        "delivery_channel": DeliveryChannel.IN_PERSON,
        "fee_note": (
            "اگر قطع درخت تصویب شود، بهای درخت و کاشت درختان جایگزین طبق تعرفه مصوب "
            "جداگانه محاسبه می‌شود."
        ),
        "accepts_online_requests": False,
        # The one card not reviewed for over a year: it shows the notice.
        "reviewed_days_ago": 430,
        "steps": [
            (
                "ثبت درخواست",
                "در سازمان سیما، منظر و فضای سبز، با نشانی دقیق و عکس درخت.",
                "green-space",
                None,
            ),
            (
                "بازدید کارشناس فضای سبز",
                "بررسی سلامت، گونه، قطر و خطر درخت برای ساختمان یا رهگذران.",
                "green-space",
                5,
            ),
            (
                "طرح در کمیسیون ماده ۷",
                "کمیسیون درباره قطع، هرس یا جابه‌جایی رأی می‌دهد.",
                "green-space",
                10,
            ),
            (
                "پرداخت بها و اجرای رأی",
                "قطع یا جابه‌جایی با نظارت کارشناس و کاشت درخت جایگزین.",
                "green-space",
                5,
            ),
        ],
        "documents": [
            ("تصویر سند مالکیت", "برای درخت داخل ملک.", OPTIONAL, COUNTER, PDF),
            ("عکس درخت و محل آن", "", MANDATORY, COUNTER, IMAGE),
            ("کارت ملی متقاضی", "", MANDATORY, COUNTER, IMAGE),
        ],
        "fees": [("بازدید کارشناس فضای سبز", 1_000_000)],
        "questions": [
            (
                "درخت داخل حیاط خودم است؛ باز هم مجوز لازم است؟",
                "بله؛ قطع هر درخت در محدوده شهر بدون مجوز ممنوع است و جریمه دارد.",
            ),
            (
                "درخت خشک یا در حال افتادن است؛ چه کنم؟",
                "با سامانه ۱۳۷ تماس بگیرید؛ درخت خطرناک بی‌درنگ بازدید می‌شود.",
            ),
            (
                "برای هرس هم مجوز لازم است؟",
                "هرس درختان معابر را فقط سازمان فضای سبز انجام می‌دهد؛ درخواست آن رایگان است.",
            ),
        ],
    },
    {
        "slug": "construction-debris-collection",
        "title": "درخواست جمع‌آوری نخاله ساختمانی",
        "category": "urban-services",
        "department": "urban-services",
        "summary": (
            "جمع‌آوری نخاله و ضایعات ساختمانی کم‌حجم تخلیه‌شده در معبر یا زمین بایر؛ "
            "رایگان، با ثبت درخواست در میز خدمت یا سامانه ۱۳۷."
        ),
        "who_may_apply": "همه شهروندان.",
        "legal_basis": (
            "بند ۲ ماده ۵۵ قانون شهرداری‌ها (نظافت شهر)؛ قانون مدیریت پسماندها (مصوب ۱۳۸۳)."
        ),
        "duration_days": 3,
        "delivery_channel": DeliveryChannel.ONLINE,
        "fee_note": (
            "برای نخاله بیش از یک خاور یا نخاله کارگاه ساختمانی فعال، سازنده خود مسئول "
            "حمل است و تخلیه در معبر جریمه دارد."
        ),
        "accepts_online_requests": True,
        "reviewed_days_ago": 20,
        "steps": [
            (
                "ثبت درخواست با نشانی و عکس",
                "در میز خدمت الکترونیکی یا با سامانه ۱۳۷.",
                "urban-services",
                None,
            ),
            ("بازدید ناظر منطقه و برآورد حجم", "", "urban-services", 1),
            ("جمع‌آوری و حمل به محل دفع مجاز", "", "urban-services", 2),
        ],
        "documents": [
            ("عکس نخاله و محل آن", "", OPTIONAL, ONLINE, IMAGE),
            ("کروکی یا موقعیت روی نقشه", "", OPTIONAL, ONLINE, PDF_IMAGE),
        ],
        "fees": [],
        "questions": [
            (
                "این خدمت هزینه دارد؟",
                "خیر؛ جمع‌آوری نخاله کم‌حجم رایگان است.",
            ),
            (
                "نخاله کارگاه همسایه در معبر مانده است؛ چه کنم؟",
                "درخواست ثبت کنید؛ ناظر به سازنده اخطار می‌دهد و در صورت بی‌توجهی، نخاله "
                "به هزینه او جمع می‌شود.",
            ),
        ],
    },
    {
        "slug": "street-lighting-repair",
        "title": "ثبت درخواست تعمیر روشنایی معابر",
        "category": "urban-services",
        "department": "civil-works",
        "summary": (
            "گزارش چراغ خاموش یا آسیب‌دیده در معابر، پارک‌ها و میدان‌ها؛ رایگان و با "
            "اطلاع‌رسانی پیامکی."
        ),
        "who_may_apply": "همه شهروندان.",
        "legal_basis": (
            "بند ۱ ماده ۵۵ قانون شهرداری‌ها (تأمین روشنایی)؛ "
            "تفاهم‌نامه نگهداری روشنایی معابر با شرکت توزیع نیروی برق."
        ),
        "duration_days": 4,
        "delivery_channel": DeliveryChannel.ONLINE,
        "fee_note": "",
        "accepts_online_requests": True,
        "reviewed_days_ago": 20,
        "steps": [
            (
                "ثبت درخواست با نشانی یا شماره پایه چراغ",
                "در میز خدمت الکترونیکی یا با سامانه ۱۳۷.",
                "civil-works",
                None,
            ),
            (
                "بازدید و تعیین مسئول تعمیر",
                "چراغ‌های معابر اصلی با شرکت توزیع برق و چراغ‌های پارک با شهرداری است.",
                "civil-works",
                1,
            ),
            ("تعمیر یا تعویض چراغ", "", "civil-works", 3),
        ],
        "documents": [
            ("عکس پایه چراغ", "شماره پایه در عکس خوانا باشد.", OPTIONAL, ONLINE, IMAGE),
            ("موقعیت روی نقشه", "", OPTIONAL, ONLINE, PDF_IMAGE),
        ],
        "fees": [],
        "questions": [
            (
                "شماره پایه چراغ کجا نوشته شده است؟",
                "روی برچسب فلزی پایه، حدود یک و نیم متر بالاتر از زمین.",
            ),
            (
                "سیم برق از پایه بیرون زده است؛ صبر کنم؟",
                "خیر؛ خطر برق‌گرفتگی است. فوراً با ۱۲۱ (برق) یا ۱۲۵ (آتش‌نشانی) تماس بگیرید.",
            ),
            (
                "چطور بفهمم چراغ تعمیر شده است؟",
                "پس از تعمیر پیامک می‌گیرید و می‌توانید در نظرسنجی نتیجه را اعلام کنید.",
            ),
        ],
    },
]

# title, what it is for, the card's slug (None: every card), text
REPLY_TEMPLATES = [
    (
        "مراجعه با اصل مدارک",
        ReplyTemplate.Use.READY,
        None,
        "لطفاً در تاریخ اعلام‌شده با اصل مدارک بارگذاری‌شده و کارت ملی به میز خدمت مراجعه فرمایید.",
    ),
    (
        "تحویل انجام شد",
        ReplyTemplate.Use.COMPLETE,
        None,
        "نتیجه درخواست به شما تحویل شد. از اینکه از خدمات الکترونیکی شهرداری استفاده کردید "
        "سپاسگزاریم.",
    ),
    (
        "ملک در طرح",
        ReplyTemplate.Use.REJECT,
        "building-completion-certificate",
        "ملک در طرح تعریض معبر است و تا تعیین تکلیف طرح، گواهی صادر نمی‌شود.",
    ),
    (
        "نبود مدارک مالکیت",
        ReplyTemplate.Use.REJECT,
        None,
        "مدارک مالکیت به نام متقاضی نیست؛ درخواست باید به نام مالک یا وکیل رسمی او ثبت شود.",
    ),
]


def seed_demo_services() -> str:
    """The demo categories and service cards, and a few requests. Safe to run again: each
    card is found by its slug, brought back to what SERVICES says, and its steps, documents,
    fees and questions are replaced."""
    today = timezone.localdate()
    with transaction.atomic():
        units = demo_units()
        categories = {
            slug: ServiceCategory.objects.update_or_create(
                slug=slug, defaults={"title": title, "order": order}
            )[0]
            for slug, (title, order) in CATEGORIES.items()
        }
        for order, card in enumerate(SERVICES, start=1):
            _save_card(card, order * 10, categories, units, today)
        _reply_templates()
    return seed_demo_requests()


def _reply_templates() -> None:
    for title, use, slug, text in REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            title=title,
            use=use,
            defaults={"service": Service.objects.filter(slug=slug).first(), "text": text},
        )


def _save_card(card, order, categories, units, today) -> None:
    service, _ = Service.objects.update_or_create(
        slug=card["slug"],
        defaults={
            "title": card["title"],
            "summary": card["summary"],
            "category": categories[card["category"]],
            "department": units[card["department"]],
            "who_may_apply": card["who_may_apply"],
            "legal_basis": card["legal_basis"],
            "duration_days": card["duration_days"],
            "delivery_channel": card["delivery_channel"],
            "fee_note": card["fee_note"],
            "last_reviewed": today - timedelta(days=card["reviewed_days_ago"]),
            "published": True,
            "accepts_online_requests": card["accepts_online_requests"],
            "order": order,
        },
    )
    for model in (ServiceStep, RequiredDocument, ServiceFee, ServiceQuestion):
        model.objects.filter(service=service).delete()
    ServiceStep.objects.bulk_create(
        ServiceStep(
            service=service,
            order=number,
            title=title,
            description=description,
            department=units[unit] if unit else None,
            duration_days=days,
        )
        for number, (title, description, unit, days) in enumerate(card["steps"], start=1)
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            service=service,
            order=number,
            name=name,
            description=description,
            mandatory=mandatory,
            upload_online=online,
            accepted_types=types,
        )
        for number, (name, description, mandatory, online, types) in enumerate(
            card["documents"], start=1
        )
    )
    ServiceFee.objects.bulk_create(
        ServiceFee(service=service, order=number, title=title, amount_rials=amount)
        for number, (title, amount) in enumerate(card["fees"], start=1)
    )
    ServiceQuestion.objects.bulk_create(
        ServiceQuestion(service=service, order=number, question=question, answer=answer)
        for number, (question, answer) in enumerate(card["questions"], start=1)
    )


# --- demo service requests ------------------------------------------------------------------

# (card slug, citizen, mobile, national code, what happens to it)
DEMO_REQUESTS = [
    ("business-licence-renewal", "رضا محمدی", "09121110001", "0013542419", []),
    ("business-licence-issue", "فاطمه رضایی", "09121110002", "0067749828", ["refuse"]),
    ("building-permit", "حسن کاظمی", "09121110003", "0020000006", ["accept", "inquiry"]),
    ("property-transfer-clearance", "زهرا حسینی", "09121110004", "0084575948", ["accept", "ready"]),
    (
        "no-violation-certificate",
        "علی اکبری",
        "09121110005",
        "0075241641",
        ["accept", "ready", "done"],
    ),
    ("building-completion-certificate", "مریم نوری", "09121110006", "0499370899", ["reject"]),
]
DEMO_NOTES = {
    "refuse": "تصویر ارسال‌شده خوانا نیست؛ لطفاً تصویر واضح هر دو روی مدرک را بفرستید.",
    "reject": "ملک در طرح تعریض معبر است و تا تعیین تکلیف طرح، گواهی صادر نمی‌شود.",
    "inquiry": ("اداره ثبت اسناد و املاک", "استعلام وضعیت ثبتی پلاک"),
}


def seed_demo_requests() -> str:
    """A few online requests in every state, filed and moved through the real services
    (when there are none yet)."""
    if ServiceRequest.objects.exists():
        return "Service requests: demo requests already present, none added."
    clerk = demo_clerk()
    cards = {card.slug: card for card in Service.objects.prefetch_related("documents")}
    for slug, name, mobile, national_code, steps in DEMO_REQUESTS:
        card = cards[slug]
        with transaction.atomic():
            filed = services.submit_service_request(
                service=card,
                citizen_name=name,
                mobile=mobile,
                national_code=national_code,
                documents={
                    document.pk: _demo_file(document)
                    for document in card.documents.all()
                    if document.upload_online
                },
            )
            for step in steps:
                filed = _demo_step(filed, step, clerk)
    return f"Service requests: {len(DEMO_REQUESTS)} demo requests."


def _demo_step(filed, step: str, clerk):
    slots = list(filed.documents.all())
    if step in ("accept", "refuse"):
        verdicts = {slot.pk: ("accepted", "") for slot in slots}
        if step == "refuse":
            verdicts[slots[0].pk] = ("refused", DEMO_NOTES["refuse"])
        return services.review_documents(filed, verdicts=verdicts, actor=clerk)
    if step == "inquiry":
        agency, subject = DEMO_NOTES["inquiry"]
        services.record_inquiry(
            filed, agency=agency, subject=subject, sent_on=timezone.localdate(), actor=clerk
        )
        return filed
    if step == "ready":
        day = add_working_days(timezone.localdate(), 2)
        return services.mark_ready(filed, ready_date=day, actor=clerk)
    if step == "done":
        return services.complete_request(filed, actor=clerk)
    if step == "reject":
        return services.reject_request(filed, actor=clerk, reason=DEMO_NOTES["reject"])
    raise ValueError(f"Unknown demo step {step!r}")


def _demo_file(document: RequiredDocument):
    """A small made-up scan of the document: a PDF where only a PDF is taken, else a photo."""
    if document.accepted_types == AcceptedTypes.PDF:
        content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        upload = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")
    else:
        out = io.BytesIO()
        Image.new("RGB", (60, 40), (230, 230, 220)).save(out, format="PNG")
        upload = SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")
    return check_upload(upload)
