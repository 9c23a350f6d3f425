"""Cases of every kind, filed through the apps' services, and the back-office personas who
look at them: a desk clerk (tied to no unit, sees everything) and a unit clerk (staff of the
urban-services unit, sees only its complaints and service requests). Used by the tests of
the admin home page's day's work and of the case finder."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone

from appointments import services as appointments
from appointments.models import Host, MeetingRequest, MeetingSession
from complaints import services as complaints
from complaints.models import Complaint, ComplaintCategory, Kind
from desk.models import Department, SmsMessage
from processes import services as processes
from processes.models import Service, ServiceCategory, ServiceRequest

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=TEHRAN)  # Monday 2 Azar 1405
TODAY = date(2026, 11, 23)
NATIONAL_CODE = "0013542419"

PERMISSIONS = [
    ("complaints", "view_complaint"),
    ("appointments", "view_meetingrequest"),
    ("processes", "view_servicerequest"),
    ("processes", "view_service"),
    ("desk", "view_smsmessage"),
]


def grant_all(user):
    wanted = Q()
    for app_label, codename in PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    user.user_permissions.add(*Permission.objects.filter(wanted))
    return user


class Desk:
    """Two units, a complaint category and a service card in each, a host and sessions
    today and tomorrow; `complaint()`, `meeting()`, `service_request()` file one case."""

    def __init__(self, streets: Department):
        self.streets = streets
        self.green = Department.objects.create(name="سازمان فضای سبز", slug="green-space")
        self.potholes = ComplaintCategory.objects.create(title="آسفالت", department=streets)
        self.trees = ComplaintCategory.objects.create(title="درختان", department=self.green)
        trade = ServiceCategory.objects.create(title="کسب و پیشه", slug="trade")
        self.street_card = self._card("مجوز حفاری", "digging", trade, streets)
        self.green_card = self._card("مجوز قطع درخت", "tree-cutting", trade, self.green)
        self.mayor = Host.objects.create(name="علی رستمی", title="شهردار")
        self.today = self._session(TODAY)
        self.tomorrow = self._session(TODAY + timedelta(days=1))
        self.next_week = self._session(TODAY + timedelta(days=7))
        self._mobiles = iter(range(1000000, 9999999))

    @staticmethod
    def _card(title, slug, category, unit) -> Service:
        return Service.objects.create(
            title=title,
            slug=slug,
            summary="خلاصه",
            category=category,
            department=unit,
            duration_days=5,
            published=True,
            accepts_online_requests=True,
            last_reviewed=TODAY - timedelta(days=30),
        )

    def _session(self, day: date) -> MeetingSession:
        return MeetingSession.objects.create(
            host=self.mayor,
            date=day,
            start_time=time(9),
            end_time=time(12),
            place="دفتر شهردار",
            capacity=50,
            slot_minutes=3,
        )

    def new_mobile(self) -> str:
        return f"0912{next(self._mobiles)}"

    def complaint(self, *, unit=None, mobile=None, **fields) -> Complaint:
        category = self.trees if unit == "green" else self.potholes
        case = complaints.submit_complaint(
            kind=Kind.COMPLAINT,
            category=category,
            subject="چاله",
            description="چاله‌ای عمیق در خیابان.",
            citizen_name="مریم احمدی",
            mobile=mobile or self.new_mobile(),
        )
        if fields:
            Complaint.objects.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
        return case

    def meeting(self, *, mobile=None, **fields) -> MeetingRequest:
        # One open request per mobile and host: another host for a mobile used already.
        host = self.mayor
        if mobile and MeetingRequest.objects.filter(mobile=mobile, host=host).exists():
            host = Host.objects.create(name="سارا نوروزی", title="معاون")
        case = appointments.request_meeting(
            host=host,
            subject="پروانه",
            citizen_name="مریم احمدی",
            mobile=mobile or self.new_mobile(),
        )
        if fields:
            MeetingRequest.objects.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
        return case

    def service_request(self, *, unit=None, mobile=None, **fields) -> ServiceRequest:
        card = self.green_card if unit == "green" else self.street_card
        case = processes.submit_service_request(
            service=card,
            citizen_name="مریم احمدی",
            mobile=mobile or self.new_mobile(),
            national_code=NATIONAL_CODE,
            documents={},
        )
        if fields:
            ServiceRequest.objects.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
        return case

    def inquiry(self, case: ServiceRequest, actor) -> None:
        processes.record_inquiry(
            case, agency="اداره ثبت", subject="استعلام سند", sent_on=TODAY, actor=actor
        )

    def failed_sms(self) -> SmsMessage:
        return SmsMessage.objects.create(
            receiver=self.new_mobile(),
            kind="complaint_received",
            text="پیامک",
            status=SmsMessage.Status.FAILED,
            next_attempt_at=timezone.now(),
        )
