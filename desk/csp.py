"""The Content-Security-Policy of settings.CONTENT_SECURITY_POLICY, and the one exception the
back office needs.

django-import-export's export page (the contact directory's "Export") has an inline `onchange`
handler on its "select all" box and two `style` attributes. Instead of 'unsafe-inline', exactly
these three snippets are allowed by their hashes ('unsafe-hashes' is what lets a hash apply to an
attribute), and only on the back office's pages; the public pages get the plain policy. Checked
in a browser by tests/browser/test_content_security_policy.py.
"""

from functools import cache

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

ADMIN_NAMESPACE = "admin"
# sha256 of the attribute values in import_export/templates/admin/import_export/export.html.
ADMIN_POLICY_UPDATE = {
    # onchange="onSelectToggleChange(event)"
    "script-src-attr": [
        "'unsafe-hashes'",
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
    ],
    # style="padding: 0;" and style="font-weight: bold;"
    "style-src-attr": [
        "'unsafe-hashes'",
        "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",
        "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",
    ],
}


class PortalCSPMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # The header is the same for every response that asks nothing of its own (no nonce
        # used, no decorator's change, no report-only policy): built once per process, not
        # twice per response as the package does (a tenth of a light page's CPU).
        if _plain_response(request, response):
            response[HEADER] = _policy(back_office=_is_back_office(request))
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and _is_back_office(request):
            parts.update = ADMIN_POLICY_UPDATE
        return parts


def _plain_response(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        # The package leaves Django's debug pages (404, 500) without a policy.
        not (settings.DEBUG and response.status_code in (404, 500))
        and getattr(request, "_csp_nonce", None) is None
        and HEADER not in response
        and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        and not any(
            hasattr(response, name)
            for name in ("_csp_exempt", "_csp_config", "_csp_update", "_csp_replace")
        )
    )


@cache
def _policy(*, back_office: bool) -> str:
    return build_policy(update=ADMIN_POLICY_UPDATE if back_office else None)


@receiver(setting_changed)
def _forget_policy(setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


def _is_back_office(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and ADMIN_NAMESPACE in match.namespaces
