"""The back office's home page: the day's work (what each app declared in the registry, in
the clerk's scope) and the notice of SMS that failed for good: staff must not learn of an
outage from citizens who never got their message."""

from datetime import timedelta
from typing import Any

from django import template
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from desk import registry
from desk.models import SmsMessage

register = template.Library()

FAILED_SMS_NOTICE_DAYS = 7
# The failed-SMS count among the day's work (desk/apps.py), counted here with the notice's.
FAILED_SMS_WORK = "desk.failed_sms"


def failed_sms_counts(request: Any) -> dict[str, int]:
    """The SMS that failed for good: all of them ("total", the day's work) and those of the
    last FAILED_SMS_NOTICE_DAYS ("recent", the notice), in one query for the page."""
    if not hasattr(request, "_failed_sms_counts"):
        since = timezone.now() - timedelta(days=FAILED_SMS_NOTICE_DAYS)
        request._failed_sms_counts = SmsMessage.objects.filter(
            status=SmsMessage.Status.FAILED
        ).aggregate(total=Count("pk"), recent=Count("pk", filter=Q(last_attempt_at__gte=since)))
    return request._failed_sms_counts


@register.inclusion_tag("admin/desk/failed_sms_notice.html", takes_context=True)
def failed_sms_notice(context: template.Context) -> dict[str, Any]:
    """How many SMS failed in the last week, with a link to them, for staff who may read the
    SMS log; nothing for the others."""
    request = context["request"]
    if not admin.site.get_model_admin(SmsMessage).has_view_permission(request):
        return {}
    changelist = reverse("admin:desk_smsmessage_changelist")
    return {
        "count": failed_sms_counts(request)["recent"],
        "days": FAILED_SMS_NOTICE_DAYS,
        "url": f"{changelist}?status__exact={SmsMessage.Status.FAILED}",
    }


@register.inclusion_tag("admin/todays_work.html", takes_context=True)
def todays_work(context: template.Context) -> dict[str, Any]:
    """The counts of the day's work the user may see, grouped by kind in the order declared:
    `groups` is a list of {"title", "items"}."""
    request = context["request"]
    known = {}
    if request.user.has_perm("desk.view_smsmessage"):
        known[FAILED_SMS_WORK] = failed_sms_counts(request)["total"]
    groups: list[dict[str, Any]] = []
    for work in registry.work_counts(request.user, known=known):
        if not groups or groups[-1]["title"] != work.group:
            groups.append({"title": work.group, "items": []})
        groups[-1]["items"].append(work)
    return {"groups": groups}
