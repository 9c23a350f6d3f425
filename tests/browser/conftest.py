"""Playwright fixtures: one headless Debian Chromium per test session, a fresh page per test.

Playwright's own browser download does not work here, so the tests drive /usr/bin/chromium.
Set BROWSER_SCREENSHOTS=/some/dir to keep a full-page screenshot of each checked page.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import django.test.signals  # noqa: F401 (connects the setting_changed receivers used below)
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an asyncio event loop in the test thread for as long as the
# browser lives (the whole session). Django sees that running loop and refuses every ORM call
# from the thread (SynchronousOnlyOperation), including the database set-up of later tests.
# Nothing here runs concurrently with the ORM on that loop, so the safety check is a false alarm.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The portal is built for phones first: every page is checked at this width.
MOBILE_VIEWPORT = {"width": 360, "height": 780}


def pytest_configure(config):
    """Compile the catalogues when a .po is newer than its .mo: the .mo files are build output
    (not in git) and the browser tests look for the Persian text."""
    stale = [
        po
        for locale_dir in settings.LOCALE_PATHS
        for po in Path(locale_dir).glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", ignore_patterns=[".venv", "node_modules"], verbosity=0)
        # Django has already loaded (and cached) the old catalogues while setting up; the
        # signal override_settings sends for LOCALE_PATHS makes it drop them.
        setting_changed.send(
            sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )


@dataclass
class PageLog:
    """What a page did that a test may want to refuse: errors and where it sent requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    request_urls: list[str] = field(default_factory=list)

    def foreign_requests(self, allowed_netloc: str) -> list[str]:
        return [url for url in self.request_urls if urlsplit(url).netloc != allowed_netloc]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: apt-get install chromium")
        pytest.skip("Chromium is not installed at /usr/bin/chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def production_server(transactional_db, settings, tmp_path):
    """The portal as a release serves it, for measuring what a phone downloads: the static
    files collected by the production storage (hashed names, .gz copies) and answered by
    WhiteNoise, compressed when the browser accepts it. The `live_server` fixture instead serves
    /static/ uncompressed from the source folders, through Django's development handler.

    Yields the server's address."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "desk.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    # No static handler in front of the application: WhiteNoise's middleware answers /static/.
    server = LiveServerThread("localhost", static_handler=lambda application: application)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://localhost:{server.port}"
    server.terminate()


@pytest.fixture
def page_log():
    return PageLog()


@pytest.fixture
def context_options():
    """Override in a test module to change the browser context (e.g. disable JavaScript)."""
    return {}


@pytest.fixture
def page(browser, live_server, page_log, context_options):
    context = browser.new_context(
        base_url=live_server.url, viewport=MOBILE_VIEWPORT, locale="fa-IR", **context_options
    )
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and page_log.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page_log.page_errors.append(str(error)))
    page.on("request", lambda request: page_log.request_urls.append(request.url))
    yield page
    context.close()


def save_screenshot(page, name: str) -> None:
    if directory := os.environ.get("BROWSER_SCREENSHOTS"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
