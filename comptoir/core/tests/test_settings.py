"""The settings: safe by default, SQLite that survives concurrent writers, strict security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "COMPTOIR_", "PYTEST"))}
    clean.pop("DATABASE_URL", None)
    clean["COMPTOIR_SQLITE_PATH"] = str(ROOT / "var" / "settings-check.sqlite3")
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_with_debug_off_the_app_refuses_the_development_key():
    result = run_check(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_with_debug_off_and_a_real_key_the_app_starts():
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-real-secret-key-for-this-test-" + "x" * 30)
    assert result.returncode == 0, result.stderr


def test_with_debug_on_the_development_key_is_allowed():
    assert run_check(DJANGO_DEBUG="1").returncode == 0


def test_production_defaults_are_secure():
    from comptoir import settings as defaults

    # The module was imported with DEBUG off (no DJANGO_DEBUG under pytest): cookies are secure.
    assert defaults.DEBUG is False
    assert defaults.SESSION_COOKIE_SECURE and defaults.CSRF_COOKIE_SECURE
    assert defaults.SESSION_COOKIE_HTTPONLY
    assert defaults.X_FRAME_OPTIONS == "DENY"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout" in options["init_command"]


SQLITE_WRITER = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "comptoir.settings"
django.setup()
from django.db import connection, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS hits (worker TEXT, n INTEGER)")
for n in range(int(sys.argv[2])):
    with transaction.atomic():
        with connection.cursor() as c:
            # Read then write in one transaction: the pattern that fails with "database is
            # locked" under DEFERRED transactions when another writer holds the lock.
            c.execute("SELECT COUNT(*) FROM hits")
            c.fetchone()
            c.execute("INSERT INTO hits VALUES (%s, %s)", [sys.argv[1], n])
"""


def test_two_processes_writing_at_once_never_see_database_is_locked(tmp_path):
    # Separate processes, not threads: that is how a web server and a task worker share the file.
    path = tmp_path / "concurrent.sqlite3"
    env = {**os.environ, "DJANGO_DEBUG": "1", "COMPTOIR_SQLITE_PATH": str(path)}
    env.pop("DATABASE_URL", None)
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", SQLITE_WRITER, f"w{i}", "300"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
        )
        for i in range(3)
    ]
    errors = [w.communicate(timeout=120)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], errors
    import sqlite3

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM hits").fetchone()[0] == 900
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_security_headers():
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_page_template_carries_inline_scripts_or_styles():
    import re

    offenders = []
    for template in ROOT.glob("comptoir/*/templates/**/*.html"):
        text = template.read_text()
        if "/email/" in str(template):
            continue  # e-mails are not served under the CSP and need inline styles
        if re.search(r"<script(?![^>]*\bsrc=)", text) or "<style" in text or re.search(r"\sstyle=\"", text):
            offenders.append(str(template.relative_to(ROOT)))
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_the_health_check_needs_no_login(db):
    response = Client().get("/health/")
    assert response.status_code == 200 and response.content == b"ok"

