"""Take Kavenegar's API key out of the errors already stored in the SMS outbox.

Until desk.redaction, a connection error stored the provider's URL, key included, in
`last_error`, where the back office showed it. Self-contained on purpose: a migration must do
the same thing whatever the code around it becomes.
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.db import migrations
from django.db.models import Q

REDACTED = "[redacted]"
# The segment between the API version and the action of a Kavenegar path: a key rotated out
# of the settings since is still a key.
KEY_IN_PATH = re.compile(r"(?P<version>/v\d+/)[^/\s'\"]+(?=/\w+/\w+\.json)")


def scrub(text, key):
    if key:
        text = text.replace(key, REDACTED).replace(quote(key, safe=""), REDACTED)
    return KEY_IN_PATH.sub(rf"\g<version>{REDACTED}", text)


def scrub_last_errors(apps, schema_editor):
    SmsMessage = apps.get_model("desk", "SmsMessage")
    key = settings.KAVENEGAR_API_KEY
    suspects = Q(last_error__contains=".json")
    if key:
        suspects |= Q(last_error__contains=key)
    changed = []
    for message in SmsMessage.objects.filter(suspects).only("pk", "last_error").iterator():
        clean = scrub(message.last_error, key)
        if clean != message.last_error:
            message.last_error = clean
            changed.append(message)
    SmsMessage.objects.bulk_update(changed, ["last_error"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0003_smsmessage_queued_at"),
    ]

    operations = [
        migrations.RunPython(scrub_last_errors, migrations.RunPython.noop),
    ]
