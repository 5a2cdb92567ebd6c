"""A worker killed in the middle of an SMTP exchange, then restarted: nobody's digest is lost, and the
only possible second copy is the one whose whole message reached the server before the kill.

This runs the real thing: `manage.py insights_digest --now` in its own process, on its own SQLite file
(or this test's PostgreSQL database), handing messages to a real SMTP server on loopback that holds the
13th exchange at a chosen step, so the worker is killed (SIGKILL: no chance to clean up) exactly there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = 30
HELD = 13  # the exchange the server holds while the worker is killed


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


@dataclass
class HoldingServer:
    """An SMTP server on loopback that holds the `HELD`th exchange at `step` until released.

    "rcpt": before the message is sent, so the server never has it. "data": once the whole message has
    arrived (it counts as delivered, as a real server queues it then), before answering it.
    """

    step: str
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    recipients_seen: int = 0

    async def _hold(self) -> None:
        self.holding.set()
        while not self.released.is_set():
            await asyncio.sleep(0.02)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.recipients_seen += 1
        if self.step == "rcpt" and self.recipients_seen == HELD:
            await self._hold()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        if self.step == "data" and len(self.messages) == HELD:
            await self._hold()
        return "250 Message accepted"


@pytest.fixture(params=["rcpt", "data"])
def holding_server(request: Any) -> Iterator[HoldingServer]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = HoldingServer(step=request.param, port=port)
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield server
    finally:
        server.released.set()
        controller.stop()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_exchange_and_restarted_loses_nobody(
    tmp_path: Path, holding_server: HoldingServer
) -> None:
    server = holding_server
    env = _env(tmp_path, server)
    _seed()
    _database_for_the_worker(tmp_path / "crash.sqlite3", env)
    # A short lease, so the restarted run may take back at once what the killed worker left in flight.
    send = [
        sys.executable,
        "manage.py",
        "insights_digest",
        "--now",
        "--day",
        "2026-11-23",
        "--batch-size",
        "10",
    ]
    send += ["--lease", "1"]

    worker = subprocess.Popen(send, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    assert server.holding.wait(timeout=120), "the worker never reached the held exchange"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    server.released.set()
    assert worker.returncode == -signal.SIGKILL
    statuses, _log = _outcome(tmp_path / "crash.sqlite3")
    left = "sending" if server.step == "rcpt" else "handed"
    assert statuses == {"sent": HELD - 1, left: 1}  # in the middle of the second batch of ten
    delivered_before_restart = len(server.messages)
    assert delivered_before_restart == (HELD - 1 if server.step == "rcpt" else HELD)

    time.sleep(1.2)  # the lease runs out
    restarted = subprocess.run(  # noqa: S603
        send, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    time.sleep(0.3)

    statuses, log = _outcome(tmp_path / "crash.sqlite3")
    assert statuses == {"sent": PEOPLE}
    copies = Counter(m["To"] for m in server.messages)
    assert len(copies) == PEOPLE, "someone never got the week's digest"
    if server.step == "rcpt":
        # Cut before the end of the message: the server had nothing, the resent copy is the only one.
        assert set(copies.values()) == {1}
        assert "1 cut off before the end of the message (never delivered)" in log
    else:
        # The whole message had reached the server: the resent copy is a second one, with the same
        # Message-ID so that a mail client that knows it keeps one.
        (twice,) = [to for to, n in copies.items() if n == 2]
        assert sorted(copies.values()) == [1] * (PEOPLE - 1) + [2]
        ids = {m["Message-ID"] for m in server.messages if m["To"] == twice}
        assert len(ids) == 1
        assert "1 handed over without an answer (may arrive twice)" in log
    assert "resumed" in log and "finished" in log
    assert "sent" in restarted.stdout
