import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PersianFirstLocaleMiddleware(LocaleMiddleware):
    """Persian unless the visitor chose English with the language switch.

    Django's own middleware follows the browser's Accept-Language, and many phones in Iran
    are set to English: the portal would greet most citizens in English. Only the choice
    made on the site (the language cookie) counts here.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# C0 and C1 controls but tab, line feed and carriage return; and the Unicode non-characters
# U+FFFE/U+FFFF, which no keyboard produces.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


class StripControlCharactersMiddleware:
    """Removes control characters from every query-string and form value, at one place.

    No citizen means to type a NUL or an escape character; they arrive from fuzzers, broken
    copy-paste and hostile scripts, and PostgreSQL refuses NUL in text (a 500 for anyone who
    sends one). Tabs and line breaks are kept: free text has them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = strip_control_characters(request.GET)
        if request.method == "POST" and _is_form(request):
            request.POST = strip_control_characters(_form_data(request))
        return self.get_response(request)


def _form_data(request) -> QueryDict:
    try:
        return request.POST
    except (TypeError, ValueError) as error:
        # A multipart part header Python's e-mail parser chokes on (x*=1; x*0=2), or bytes
        # no codec reads: the client's mistake, answered with the Persian 400 page.
        raise BadRequest("Unreadable form data") from error


def _is_form(request) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def strip_control_characters(data: QueryDict) -> QueryDict:
    if not any(_CONTROL.search(key) or _CONTROL.search(v) for key, v in _pairs(data)):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(_CONTROL.sub("", key), [_CONTROL.sub("", value) for value in values])
    cleaned._mutable = False
    return cleaned


def _pairs(data: QueryDict):
    for key, values in data.lists():
        for value in values:
            yield key, value


class StaffIdleTimeoutMiddleware:
    """A signed-in staff member's session lasts STAFF_IDLE_MINUTES from their last request:
    a back-office screen left open at the counter does not stay signed in. A citizen's
    tracking session keeps its own, longer life."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_IDLE_MINUTES * 60)
        return self.get_response(request)
