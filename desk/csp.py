"""The Content-Security-Policy of settings.CONTENT_SECURITY_POLICY, and the one exception the
back office needs.

django-import-export's export page (the contact directory's "Export") has an inline `onchange`
handler on its "select all" box and two `style` attributes. Instead of 'unsafe-inline', exactly
these three snippets are allowed by their hashes ('unsafe-hashes' is what lets a hash apply to an
attribute), and only on the back office's pages; the public pages get the plain policy. Checked
in a browser by tests/browser/test_content_security_policy.py.
"""

from csp.middleware import CSPMiddleware, PolicyParts
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
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and _is_back_office(request):
            parts.update = ADMIN_POLICY_UPDATE
        return parts


def _is_back_office(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and ADMIN_NAMESPACE in match.namespaces
