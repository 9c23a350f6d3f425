"""Error pages that need nothing but the template engine: no request, no session, no database.

Django's own handlers re-run the CSRF check (`requires_csrf_token`), and that reads
`request.POST`: a form post Django cannot decode raised again inside the 400 handler, then inside
the 500 handler, and the server answered an empty 500. The base layout's context processors read
the database, which may be what just failed. So these pages are rendered from a plain context,
and when even that fails the visitor still gets a short Persian page.

The pages are written in Persian in the templates, not through the catalogue: an error page must
read right even when the translations are not compiled or not yet activated for the request.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

FALLBACK_PAGE = (
    '<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">'
    "<title>خطا | میز خدمت</title></head><body><h1>خطایی رخ داد</h1>"
    '<p>لطفاً چند دقیقهٔ دیگر دوباره تلاش کنید. <a href="/">صفحهٔ اصلی میز خدمت</a></p>'
    "</body></html>"
)


def render_error_page(template_name: str, status: int) -> HttpResponse:
    """The page in `templates/errors/`, or the built-in one if even that cannot be rendered."""
    try:
        body = loader.get_template(template_name).render({"status": status})
    except Exception:
        logger.exception("The error page %s could not be rendered", template_name)
        body = FALLBACK_PAGE
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error_page("errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error_page("errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error_page("errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render_error_page("errors/500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired form or a browser that refuses cookies, in the visitor's words."""
    return render_error_page("errors/csrf.html", 403)
