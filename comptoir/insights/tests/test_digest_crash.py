"""A worker killed in the middle of a batch, then restarted: nobody gets the week's digest twice,
and everyone not yet served is served by the restarted run.

This runs the real thing: `manage.py insights_digest --now` in its own process, on its own SQLite file,
handing messages to a real SMTP server on loopback, killed with SIGKILL (no chance to clean up).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = 30


def _seed() -> None:
    from comptoir.actions.models import Action, ActionKind
    from comptoir.org.demo import ensure_reference_data
    from comptoir.org.models import User

    _units, _regions, roles = ensure_reference_data()
    kind, _created = ActionKind.objects.get_or_create(
        code="call_back", defaults={"name": "Rappeler", "name_en": "Call back"}
    )
    agent = User.objects.create_user(
        "agent@crash.test",
        "pw",
        first_name="Agnès",
        last_name="Agent",
        role=roles["cr_agent"],
        email_notifications=False,
    )
    now = timezone.now()
    for i in range(PEOPLE):
        person = User.objects.create_user(
            f"rep{i:02d}@crash.test", "pw", first_name=f"Rep{i}", last_name="Test", role=roles["rep"]
        )
        Action.objects.create(
            author=agent,
            assignee=person,
            kind=kind,
            title=f"Rappeler le client {i}",
            due_on=dt.date(2026, 11, 30),
            created_at=now,
            updated_at=now,
        )


def _database_for_the_worker(path: Path, env: dict[str, str]) -> None:
    """On SQLite, the worker gets a copy of this test's database (migrated, seeded, committed) in a file;
    on PostgreSQL, it connects to this test's own database (the seed is committed)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        return
    db = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _outcome(path: Path) -> tuple[dict[str, int], str]:
    from django.db import connection

    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as db:
            statuses = dict(
                db.execute("SELECT status, COUNT(*) FROM insights_digestdelivery GROUP BY status").fetchall()
            )
            (log,) = db.execute("SELECT log FROM insights_digestrun").fetchone()
        return statuses, log
    from django.db.models import Count

    from comptoir.insights.models import DigestDelivery, DigestRun

    counted = DigestDelivery.objects.values_list("status").annotate(n=Count("id")).order_by()
    return {status: n for status, n in counted}, DigestRun.objects.get().log


def _env(tmp_path: Path, smtp: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        COMPTOIR_SQLITE_PATH=str(tmp_path / "crash.sqlite3"),
        DJANGO_SECRET_KEY="crash-test-key",
        COMPTOIR_CACHE_BACKEND="django.core.cache.backends.locmem.LocMemCache",
        COMPTOIR_TASK_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        COMPTOIR_EMAIL_HOST=smtp.host,
        COMPTOIR_EMAIL_PORT=str(smtp.port),
        COMPTOIR_LOG_LEVEL="WARNING",
    )
    return env


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_never_sends_twice(tmp_path: Path, smtp_server: Any) -> None:
    env = _env(tmp_path, smtp_server)
    _seed()
    _database_for_the_worker(tmp_path / "crash.sqlite3", env)
    send = [
        sys.executable,
        "manage.py",
        "insights_digest",
        "--now",
        "--day",
        "2026-11-23",
        "--batch-size",
        "10",
        "--delay",
        "0.1",
    ]

    worker = subprocess.Popen(send, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    smtp_server.wait_for(13, timeout=60)  # in the middle of the second batch
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    delivered_before_restart = len(smtp_server.messages)
    assert 13 <= delivered_before_restart < PEOPLE

    restarted = subprocess.run(  # noqa: S603
        send, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    time.sleep(0.3)

    recipients = [m["To"] for m in smtp_server.messages]
    assert len(recipients) == len(set(recipients)), "someone got the week's digest twice"
    statuses, log = _outcome(tmp_path / "crash.sqlite3")
    # At most the one message in flight at the kill is unconfirmed (claimed, maybe handed over): never resent.
    assert statuses.get("sent", 0) + statuses.get("claimed", 0) + statuses.get("unconfirmed", 0) == PEOPLE
    assert statuses.get("claimed", 0) + statuses.get("unconfirmed", 0) <= 1
    in_flight = statuses.get("claimed", 0) + statuses.get("unconfirmed", 0)
    assert statuses["sent"] <= len(recipients) <= statuses["sent"] + in_flight
    assert "resumed" in log and "finished" in log
    assert "sent" in restarted.stdout
