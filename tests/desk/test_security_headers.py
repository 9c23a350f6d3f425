"""Every page says what the browser may load: only our own files, nothing inline, no frames."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from desk.csp import ADMIN_POLICY_UPDATE

PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: value for name, value in directives}


@pytest.mark.parametrize("url", ["/", "/track/", "/complaints/new/", "/no-such-page/"])
def test_public_pages_allow_only_our_own_files_and_nothing_inline(client, db, url):
    response = client.get(url)

    assert policy_of(response) == PUBLIC_POLICY
    assert "unsafe" not in response.headers["Content-Security-Policy"]


def test_the_back_office_allows_only_the_hashed_attributes_of_the_export_page(client, db):
    response = client.get("/admin/login/")

    policy = policy_of(response)
    assert policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["script-src-attr"] == " ".join(ADMIN_POLICY_UPDATE["script-src-attr"])
    assert policy["style-src-attr"] == " ".join(ADMIN_POLICY_UPDATE["style-src-attr"])
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_pages_are_not_framed_sniffed_or_named_to_other_sites(client, db):
    response = client.get("/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Case pages carry the tracking code in their address.
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


# <script> without src (a JSON data block is not run), <style>, style="…" and on…="…".
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


def test_no_template_of_ours_has_an_inline_script_or_style():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    inline = {
        str(path.relative_to(settings.BASE_DIR)): INLINE.findall(path.read_text())
        for path in templates
    }

    assert {path: found for path, found in inline.items() if found} == {}
