"""The printed receipt of a case registered at the counter: what it shows and the QR code
that opens the tracking page, as inline SVG (segno: pure Python, no image files)."""

from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from desk import registry
from desk.models import SiteProfile


def tracking_url(code: str) -> str:
    """The absolute address of the tracking page with the code filled in: the citizen adds
    the mobile to open the case."""
    path = reverse("desk:track")
    return f"{settings.PORTAL_URL.rstrip('/')}{path}?{urlencode({'code': code})}"


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of `url` as an <svg> element, with a medium error correction (a crumpled
    receipt still scans) and a title for screen readers."""
    code = segno.make(url, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=scale, title=url, dark="#000", border=2))


def receipt_context(case: Any, *, thermal: bool, change_url: str, receipt_url: str) -> dict:
    kind = registry.case_kind_for(case.tracking_code)
    url = tracking_url(case.tracking_code)
    return {
        "case": case,
        "kind_label": kind.label if kind else "",
        "facts": case.receipt_facts(),
        "next_step": case.receipt_next_step(),
        "tracking_url": url,
        "qr": qr_svg(url, scale=3 if thermal else 4),
        "profile": SiteProfile.current(),
        "thermal": thermal,
        "change_url": change_url,
        "receipt_url": receipt_url,
    }
