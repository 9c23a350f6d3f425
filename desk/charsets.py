"""Requests that declare a character set the portal cannot read are answered 400, not 500.

Django decodes the query string and multipart fields in the charset of the Content-Type header
and ignores only names that are not codecs at all. A codec that is not text (`charset=base64`,
`rot13`), one that refuses errors="replace" (`idna`), or an RFC 2231 parameter in an unknown
charset (`charset*=foo''x`) makes Django raise while it builds the request object, before any
middleware or error handler runs: the server answers a bare 500. A codec that is not
ASCII-compatible (`utf-16`, `cp500`) turns every field name into garbage. Our forms always post
UTF-8, so the WSGI application is wrapped (config/wsgi.py) to take such a header away before
Django sees it, together with a url-encoded form in another charset, which Django refuses anyway
(its BadRequest comes back at every later read of request.POST); the middleware below turns the
mark the wrapper leaves into a 400 with the Persian error page of desk/errors.py.
"""

import codecs
from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_header_parameters

UNREADABLE_CHARSET = "desk.unreadable_charset"
# Everything a query string or a form field name is made of, and an escape sequence that some
# codecs (unicode_escape, raw_unicode_escape) would turn into another character.
# (The backslash is left out of the range: "\]" would be an invalid escape sequence there.)
_ASCII_SAMPLE = bytes(b for b in range(0x20, 0x7F) if b != 0x5C) + b"\t\r\n\\u0041"
_NON_ASCII_SAMPLE = bytes(range(0x80, 0x100))


def is_readable_charset(name: str) -> bool:
    """Whether Django can read a query string or form field in this charset: ASCII decodes to
    itself, and other bytes decode with errors="replace" without raising.

    An unknown name counts as readable: Django ignores it and reads UTF-8.
    """
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return True
    except ValueError:  # a NUL in the name (charset*=%00)
        return False
    if not codec._is_text_encoding:
        return False
    try:
        # Django decodes percent-escaped bytes with errors="replace"; some codecs refuse that.
        _NON_ASCII_SAMPLE.decode(codec.name, "replace")
        return _ASCII_SAMPLE.decode(codec.name) == _ASCII_SAMPLE.decode("ascii")
    except (UnicodeError, ValueError, TypeError):
        return False


def _unreadable_charset(content_type: str) -> str | None:
    try:
        media_type, params = parse_header_parameters(content_type)
    except (ValueError, TypeError):
        # An RFC 2231 parameter in an unknown charset, or numbered and unnumbered parts of
        # one parameter (a*=1; a*0=2), which Python's e-mail parser cannot sort.
        return content_type
    charset = params.get("charset", "")
    if not charset:
        return None
    if media_type == "application/x-www-form-urlencoded" and _is_codec(charset):
        # Django's own rule, applied before Django reads the form.
        return None if charset.lower() == "utf-8" else charset
    return None if is_readable_charset(charset) else charset


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    return True


def mark_unreadable_charset(environ: dict) -> None:
    """Replaces an unreadable Content-Type by its bare media type and marks the request, for
    `RefuseUnreadableCharsetMiddleware` to answer 400. Also for test clients, which build
    Django's request from an environ without going through the WSGI application."""
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type and (charset := _unreadable_charset(content_type)) is not None:
        environ[UNREADABLE_CHARSET] = charset
        environ["CONTENT_TYPE"] = content_type.split(";", 1)[0].strip()


def refuse_unreadable_charsets(application: Callable) -> Callable:
    """Wraps a WSGI application (config/wsgi.py) with `mark_unreadable_charset`."""

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        mark_unreadable_charset(environ)
        return application(environ, start_response)

    return wrapped


class RefuseUnreadableCharsetMiddleware:
    """Answers 400 (the Persian page of desk/errors.py) for a request marked by the wrapper.

    Placed before every middleware that reads the request's data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (charset := request.META.get(UNREADABLE_CHARSET)) is not None:
            raise BadRequest(f"Unreadable charset in the Content-Type header: {charset!r}")
        return self.get_response(request)
