"""Production settings from the environment alone pass Django's deployment check, and are
HTTPS only; the development .env.example still serves plain http://127.0.0.1:8000.

Each case starts manage.py in its own process: settings are read once, at start-up."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "desk.example.ir",
}

# Run in the other process: what a browser would notice on the first plain-HTTP request and on
# one the proxy marks as HTTPS. A missing page: its answer needs no database.
PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST=next(iter(settings.ALLOWED_HOSTS)))
plain = client.get("/no-such-page/")
https = client.get("/no-such-page/", headers={"x-forwarded-proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "hsts": https.headers.get("Strict-Transport-Security"),
    "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    # The test run's own settings (DEBUG, security overrides, the browser tests' async
    # switch) must not leak into the process.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not name.startswith("SECURE_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**inherited, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_deployment_check_passes_with_production_settings_from_the_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_redirects_to_https_and_asks_browsers_to_stay_there():
    result = manage("shell", "--no-imports", "-c", PROBE, environment=PRODUCTION)

    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers["plain"] == [301, "https://desk.example.ir/no-such-page/"]
    assert answers["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert answers["secure_cookies"] == [True, True]


def development_settings() -> dict[str, str]:
    lines = Path(settings.BASE_DIR, ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def test_the_development_settings_serve_plain_http():
    result = manage("shell", "--no-imports", "-c", PROBE, environment=development_settings())

    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers["plain"] == [404, None]
    assert answers["hsts"] is None
    assert answers["secure_cookies"] == [False, False]
