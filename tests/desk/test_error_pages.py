"""Error pages: Persian, right-to-left, in the portal's look, and never a bare 500 — not for a
form in another charset, not for an expired form, not while the database is down."""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections, connection
from django.test import Client

from config.wsgi import application

BAD_REQUEST = "درخواست شما خوانده نشد"
NOT_FOUND = "صفحه‌ای که خواستید پیدا نشد"
FORBIDDEN = "شما به این صفحه دسترسی ندارید"
SERVER_ERROR = "متأسفیم، خطایی در سامانه رخ داد"
EXPIRED_FORM = "فرم فرستاده نشد: اعتبار صفحه تمام شده است"


def assert_persian_error_page(response, heading: str) -> None:
    page = response.content.decode()
    assert heading in page
    assert '<html lang="fa" dir="rtl">' in page
    assert "css/portal.css" in page
    assert "bootstrap.rtl.min.css" in page


@pytest.fixture
def browser_with_a_csrf_cookie():
    """A citizen's browser that has opened a form: it sends the CSRF cookie back, and Django
    checks the token (the test client skips that check unless asked)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "k" * 32
    return client


@pytest.mark.parametrize("url", ["/track/", "/complaints/new/"])
@pytest.mark.parametrize(
    "charset, body",
    [
        ("utf-16", "code=123456789012&mobile=09121234567".encode("utf-16")),
        ("utf-32", "code=123456789012&mobile=09121234567".encode("utf-32")),
        ("latin-1", b"code=\xe9&mobile=09121234567"),
    ],
)
def test_a_form_posted_in_another_charset_gets_the_persian_400_page(
    browser_with_a_csrf_cookie, url, charset, body
):
    response = browser_with_a_csrf_cookie.generic(
        "POST", url, body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )

    assert response.status_code == 400
    assert_persian_error_page(response, BAD_REQUEST)


def call_the_wsgi_application(method: str, path: str, content_type: str, body: bytes = b""):
    """The request as gunicorn hands it over: through config.wsgi, where Django builds its
    request object (the test client builds it itself)."""
    environ = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD=method,
        PATH_INFO=path,
        QUERY_STRING="code=%D9%A1%FF",
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(len(body)),
        HTTP_HOST="127.0.0.1",
    )
    environ["wsgi.input"] = io.BytesIO(body)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    # As Django's test client does: the test's database connection is not the request's to
    # close (there is none to close in these tests, but pytest-django refuses even the look).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        page = b"".join(response).decode()
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], page


@pytest.mark.parametrize(
    "method, path, content_type",
    [
        # Codecs that are not text: Django failed while building the request.
        ("GET", "/", "text/plain; charset=base64"),
        ("POST", "/track/", "multipart/form-data; boundary=b; charset=rot13"),
        # A text codec that refuses errors="replace" when the query has a non-ASCII byte.
        ("GET", "/track/", "text/plain; charset=idna"),
        # An RFC 2231 parameter in a charset that does not exist.
        ("POST", "/complaints/new/", "text/plain; charset*=nosuchcharset''utf-8"),
        # Not ASCII-compatible: every field name would be garbage.
        ("POST", "/track/", "multipart/form-data; boundary=b; charset=cp500"),
        ("POST", "/complaints/new/", "application/x-www-form-urlencoded; charset=utf-16"),
        # Numbered and unnumbered parts of one parameter: Python's e-mail parser raised
        # TypeError on any page (found by tests/fuzz).
        ("GET", "/contacts/", "text/plain; a*=1; a*0=2"),
        # A NUL for a charset name: codecs.lookup raised ValueError.
        ("POST", "/track/", "text/plain; charset*=utf-8''%00"),
    ],
)
def test_a_charset_django_cannot_read_gets_the_persian_400_page(method, path, content_type):
    """Without the database: nothing past the refusal runs."""
    status, page = call_the_wsgi_application(method, path, content_type, b"code=1")

    assert status == 400
    assert BAD_REQUEST in page
    assert '<html lang="fa" dir="rtl">' in page


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "iso-8859-1", "windows-1256", "foo"])
def test_a_readable_or_unknown_charset_is_let_through(charset):
    status, page = call_the_wsgi_application(
        "GET", "/no-such-page/", f"text/plain; charset={charset}"
    )

    assert status == 404
    assert NOT_FOUND in page


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def test_the_500_page_is_persian_while_the_database_is_down(client, db):
    client.raise_request_exception = False
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/")

    assert response.status_code == 500
    assert_persian_error_page(response, SERVER_ERROR)


def test_the_404_page_is_persian_while_the_database_is_down(client, db):
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_persian_error_page(response, NOT_FOUND)


def test_an_expired_form_gets_the_persian_page_that_says_what_to_do(
    browser_with_a_csrf_cookie,
):
    response = browser_with_a_csrf_cookie.post(
        "/track/", {"code": "123456789012", "mobile": "09121234567"}
    )

    assert response.status_code == 403
    assert_persian_error_page(response, EXPIRED_FORM)
    assert "دوباره بارگذاری کنید" in response.content.decode()


def test_a_staff_member_without_the_permission_gets_the_persian_403_page(outsider_client):
    response = outsider_client.get("/admin/appointments/meetingsession/1/agenda/")

    assert response.status_code == 403
    assert_persian_error_page(response, FORBIDDEN)


def test_an_unknown_host_gets_the_persian_400_page(client):
    response = client.get("/", headers={"host": "attacker.example"})

    assert response.status_code == 400
    assert_persian_error_page(response, BAD_REQUEST)


def test_a_broken_multipart_form_gets_the_persian_400_page(client):
    response = client.generic(
        "POST", "/track/", b"not a multipart body", content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert_persian_error_page(response, BAD_REQUEST)


def test_a_multipart_part_header_the_parser_chokes_on_gets_the_persian_400_page(client):
    body = (
        b'--b\r\nContent-Disposition: form-data; name="code"; x*=1; x*0=2\r\n\r\n123\r\n--b--\r\n'
    )
    response = client.generic(
        "POST", "/track/", body, content_type="multipart/form-data; boundary=b"
    )

    assert response.status_code == 400
    assert_persian_error_page(response, BAD_REQUEST)
