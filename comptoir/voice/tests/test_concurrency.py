"""Concurrent submissions of the same personal link store exactly one response (a double click that
reaches two application servers at once, a replayed request): the invitation row is locked, and
the one-to-one between response and invitation is the last word in the database.

On PostgreSQL the threads share the test database. SQLite's in-memory test database cannot show
real concurrency (its shared-cache mode fails at once with "table is locked" instead of waiting),
so there the test copies it to a file and the threads work on that file, in the product's own
configuration (WAL, IMMEDIATE transactions, busy timeout).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from comptoir.voice import services
from comptoir.voice.models import Invitation, Response
from comptoir.voice.rollups import recomputed_cells, stored_cells

from .conftest import World, invite

ATTEMPTS = 6


def _database_for_threads(tmp_path: Path) -> str | None:
    """A file copy of an in-memory SQLite test database (None: the threads use the test database)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():  # type: ignore[attr-defined]
        return None
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return str(path)


def _run(fn: Callable[[], Any], database: str | None) -> Any:
    """Run `fn` in a new thread (its own connection), on `database` if given, and return its result."""
    out: dict[str, Any] = {}

    def target() -> None:
        if database:
            wrapper = connections["default"]
            wrapper.settings_dict = {**wrapper.settings_dict, "NAME": database}
        try:
            out["value"] = fn()
        except Exception as exc:  # handed back to the test
            out["value"] = f"error: {exc!r}"
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    return out.get("value")


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_token_store_exactly_one_response(world: World, tmp_path: Path) -> None:
    invitation = invite(world)
    database = _database_for_threads(tmp_path)
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(score: int) -> None:
        def attempt() -> str:
            barrier.wait(timeout=20)
            try:
                services.response_submit(
                    token=invitation.token, data={"nps": str(score), "comment": f"essai {score}"}
                )
            except services.SurveyLinkError as exc:
                return exc.code
            return "stored"

        result = _run(attempt, database)
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(score,)) for score in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert sorted(outcomes) == ["answered"] * (ATTEMPTS - 1) + ["stored"], outcomes

    def check() -> tuple[int, str, bool]:
        return (
            Response.objects.count(),
            Invitation.objects.get(pk=invitation.pk).status,
            stored_cells() == recomputed_cells(),
        )

    assert _run(check, database) == (1, Invitation.Status.ANSWERED, True)
