"""Demo meetings for `seed_demo`: the mayor and two deputies, sessions on the working days of
the coming weeks, and requests in every state, made only through the service functions."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from appointments import services
from appointments.models import BookingWindow, Host, MeetingRequest, MeetingSession, ReplyTemplate
from desk.cases.models import Channel
from desk.models import Department
from desk.workdays import add_working_days

HOSTS = [
    ("مهندس علی رستمی", "شهردار", 0),
    ("دکتر سارا نوروزی", "معاون خدمات شهری", 1),
    ("مهندس حمید کاظمی", "معاون شهرسازی و معماری", 2),
]
PLACE = "ساختمان مرکزی شهرداری، طبقه دوم، دفتر شهردار"

# name, mobile, subject, host index, what happens to it
REQUESTS = [
    ("مریم احمدی", "09121110001", "مشکل پروانه ساختمانی منزل مسکونی", 0, "pending"),
    ("رضا محمدی", "09121110002", "پیشنهاد ایجاد پارک محله", 0, "pending_in_session"),
    ("زهرا حسینی", "09121110003", "عوارض نوسازی ملک قدیمی", 0, "approved"),
    ("حسن کریمی", "09121110004", "سد معبر جلوی مغازه", 1, "approved"),
    ("فاطمه رضایی", "09121110005", "تغییر کاربری زمین کشاورزی", 0, "referred_host"),
    ("محمد جعفری", "09121110006", "شکایت از پیمانکار آسفالت", 0, "referred_unit"),
    ("لیلا مرادی", "09121110007", "درخواست شغل در شهرداری", 0, "declined"),
    ("امیر صادقی", "09121110008", "نورپردازی خیابان", 2, "cancelled"),
    ("نرگس عباسی", "09121110009", "وضعیت جمع‌آوری پسماند محله", 0, "held"),
    ("علی نوری", "09121110010", "تخفیف عوارض برای ایثارگران", 0, "no_show"),
]

Use = ReplyTemplate.Use
# title, what it is for, text
REPLY_TEMPLATES = [
    (
        "خارج از وظایف شهرداری",
        Use.DECLINE,
        "شهروند گرامی، موضوع درخواست شما در حوزه وظایف شهرداری نیست. لطفاً برای پیگیری "
        "به دستگاه مربوط مراجعه فرمایید.",
    ),
    (
        "قابل پیگیری در میز خدمت",
        Use.DECLINE,
        "شهروند گرامی، موضوع درخواست شما بدون نیاز به دیدار و با ثبت درخواست در میز خدمت "
        "شهرداری قابل پیگیری است. لطفاً از بخش «ثبت شکایت، انتقاد و پیشنهاد» اقدام کنید.",
    ),
    (
        "ارجاع به معاونت مربوط",
        Use.REFER,
        "موضوع در حوزه کاری معاونت است؛ لطفاً بررسی و نتیجه را در سامانه ثبت فرمایید.",
    ),
    (
        "همراه داشتن مدارک",
        Use.APPROVE,
        "لطفاً ده دقیقه پیش از زمان دیدار با کارت ملی و مدارک مربوط به موضوع حاضر شوید.",
    ),
    (
        "پیگیری در واحد مربوط",
        Use.OUTCOME,
        "موضوع در دیدار بررسی شد و دستور پیگیری به واحد مربوط داده شد. نتیجه با پیامک "
        "به اطلاع شما می‌رسد.",
    ),
]


def seed_demo_appointments() -> str:
    for title, use, text in REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(title=title, use=use, defaults={"text": text})
    if MeetingRequest.objects.exists():
        return "Demo meetings: already there."
    with transaction.atomic():
        BookingWindow.objects.get_or_create(pk=1)
        hosts = [
            Host.objects.get_or_create(name=name, defaults={"title": title, "order": order})[0]
            for name, title, order in HOSTS
        ]
        sessions = _sessions(hosts)
        clerk = get_user_model().objects.filter(is_superuser=True).first()
        for name, mobile, subject, host_index, fate in REQUESTS:
            _request(hosts, sessions, clerk, name, mobile, subject, hosts[host_index], fate)
    return f"Demo meetings: {MeetingRequest.objects.count()} requests."


def _sessions(hosts: list[Host]) -> dict[int, list[MeetingSession]]:
    """Two sessions a week for the mayor, one for each deputy, and one past session each."""
    today = timezone.localdate()
    sessions: dict[int, list[MeetingSession]] = {host.pk: [] for host in hosts}
    past = today - timedelta(days=7)
    for host in hosts:
        day = past if _working(past) else add_working_days(past, 1)
        sessions[host.pk].append(_session(host, day))
    for week in range(5):
        day = add_working_days(today + timedelta(days=7 * week), 1)
        sessions[hosts[0].pk].append(_session(hosts[0], day))
        sessions[hosts[0].pk].append(_session(hosts[0], add_working_days(day, 2)))
        for host in hosts[1:]:
            sessions[host.pk].append(_session(host, add_working_days(day, 1), capacity=6))
    return sessions


def _working(day) -> bool:
    from desk.workdays import is_working_day

    return is_working_day(day)


def _session(host: Host, day, capacity: int = 8) -> MeetingSession:
    session, _created = MeetingSession.objects.get_or_create(
        host=host,
        date=day,
        start_time=time(9, 0),
        defaults={
            "end_time": time(12, 0),
            "place": PLACE,
            "capacity": capacity,
            "slot_minutes": 20,
        },
    )
    return session


def _request(hosts, sessions, clerk, name, mobile, subject, host, fate) -> None:
    # The past session, the first upcoming one, and one a week or more ahead (inside the
    # booking window even for a citizen, as no staff account may exist yet).
    past, upcoming, next_week = sessions[host.pk][0], sessions[host.pk][1], sessions[host.pk][3]
    in_session = fate in {"pending_in_session", "held", "no_show"}
    meeting = services.request_meeting(
        host=host,
        subject=subject,
        citizen_name=name,
        mobile=mobile,
        session=next_week if fate == "pending_in_session" else None,
        channel=Channel.WEB if in_session else Channel.WALK_IN,
        actor=clerk,
    )
    if fate in {"approved", "cancelled"}:
        # No time given: each citizen gets the session's next free time, never a shared one.
        services.approve_meeting(meeting, session=upcoming, meeting_time=None, actor=clerk)
    if fate == "cancelled":
        services.cancel_meeting(meeting, reason="کارم در واحد مربوط انجام شد.")
    elif fate == "referred_host":
        services.refer_meeting(
            meeting, host=hosts[2], actor=clerk, note="موضوع در حوزه معاونت شهرسازی است."
        )
    elif fate == "referred_unit":
        unit = Department.objects.filter(is_active=True).first()
        if unit:
            services.refer_meeting(meeting, department=unit, actor=clerk)
    elif fate == "declined":
        services.decline_meeting(
            meeting, actor=clerk, reason="استخدام از طریق آزمون عمومی انجام می‌شود."
        )
    elif fate in {"held", "no_show"}:
        # A past session: approved then, recorded afterwards.
        services.approve_meeting(meeting, session=past, meeting_time=None, actor=clerk)
        if fate == "held":
            services.mark_held(meeting, actor=clerk)
            services.write_outcome(
                meeting, actor=clerk, outcome="مقرر شد واحد خدمات شهری تا پایان ماه اقدام کند."
            )
        else:
            services.mark_no_show(meeting, actor=clerk)
