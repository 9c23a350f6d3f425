"""The back office's notice of SMS that failed for good: staff must not learn of an outage
from citizens who never got their message."""

from datetime import timedelta
from typing import Any

from django import template
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from desk.models import SmsMessage

register = template.Library()

FAILED_SMS_NOTICE_DAYS = 7


@register.inclusion_tag("admin/desk/failed_sms_notice.html", takes_context=True)
def failed_sms_notice(context: template.Context) -> dict[str, Any]:
    """How many SMS failed in the last week, with a link to them, for staff who may read the
    SMS log; nothing for the others."""
    request = context["request"]
    if not admin.site.get_model_admin(SmsMessage).has_view_permission(request):
        return {}
    since = timezone.now() - timedelta(days=FAILED_SMS_NOTICE_DAYS)
    changelist = reverse("admin:desk_smsmessage_changelist")
    return {
        "count": SmsMessage.objects.failed_since(since).count(),
        "days": FAILED_SMS_NOTICE_DAYS,
        "url": f"{changelist}?status__exact={SmsMessage.Status.FAILED}",
    }
