"""Security on by default: every kind of response carries the headers, cookies are locked down, and
the production settings follow the environment."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from comptoir.api.models import ApiToken

ROOT = Path(__file__).resolve().parents[3]


def assert_strict_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no CDN, no eval
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_errors_and_the_api_carry_the_security_headers(cast, login):
    client = login(cast.rep)
    for url in ("/", "/people/", f"/people/teams/{cast.team.pk}/", "/notifications/", "/people/999999/"):
        assert_strict_headers(client.get(url))
    _token, raw = ApiToken.issue(user=cast.rep, name="t")
    assert_strict_headers(Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/org/people"))
    assert_strict_headers(Client().get("/api/org/people"))  # the 401 too
    assert_strict_headers(client.get("/api/docs"))


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(cast, settings):
    # Production values (the test settings turn them off for the plain-HTTP test client).
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/login/", {"username": cast.rep.email, "password": "a-long-test-password", "csrfmiddlewaretoken": csrf.value}
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_a_form_without_its_csrf_token_is_refused(cast):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": cast.rep.email, "password": "a-long-test-password"})
    assert response.status_code == 403


def settings_in_a_fresh_process(**env):
    """Import the settings with `env` the way a production server would, and report a few values."""
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "COMPTOIR_", "PYTEST"))}
    clean.pop("DATABASE_URL", None)
    clean["COMPTOIR_SQLITE_PATH"] = str(ROOT / "var" / "settings-check.sqlite3")
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'comptoir.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER is not None, s.ALLOWED_HOSTS)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_settings_come_from_the_environment():
    key = "a-real-secret-key-for-this-test-" + "x" * 30
    assert settings_in_a_fresh_process(DJANGO_SECRET_KEY=key) == "False True True 0 False False ['127.0.0.1', 'localhost']"
    behind_tls = settings_in_a_fresh_process(
        DJANGO_SECRET_KEY=key,
        COMPTOIR_HSTS_SECONDS="31536000",
        COMPTOIR_SSL_REDIRECT="1",
        COMPTOIR_BEHIND_PROXY="1",
        DJANGO_ALLOWED_HOSTS="comptoir.example.com",
    )
    assert behind_tls == "False True True 31536000 True True ['comptoir.example.com']"
    # Development: cookies over plain HTTP, the development key accepted.
    assert settings_in_a_fresh_process(DJANGO_DEBUG="1").startswith("True False False")


def test_no_template_loads_anything_from_the_internet():
    offenders = []
    for template in ROOT.glob("comptoir/*/templates/**/*.html"):
        if "/email/" in str(template):
            continue
        text = template.read_text()
        if re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("asset", ["vendor/htmx-2.0.11.min.js", "vendor/pico-2.1.1.min.css", "css/app.css"])
def test_the_vendored_assets_are_served_by_the_application(db, asset):
    response = Client().get(f"/static/{asset}")
    assert response.status_code == 200
