"""An uploaded people import shows its progress while it writes, and a crash in the middle of the
writing is finished by running the job again.

This runs the real thing: the database task worker (`manage.py db_worker`) in its own process, on
its own SQLite file (a copy of this test's database) or on this test's PostgreSQL database, while
the test reads, in one statement each time, the job's progress and the people already committed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from comptoir.core.importjobs import import_job_create, import_kinds
from comptoir.org.testing import build_cast

ROOT = Path(__file__).resolve().parents[3]
MANAGERS, REPS_EACH = 20, 99
PEOPLE = MANAGERS * (1 + REPS_EACH)  # 2,000 rows
CHUNK = 20


def _hr_export() -> bytes:
    lines = ["email;first_name;last_name;role;unit;manager_email;active"]
    for m in range(MANAGERS):
        boss = f"boss{m:02d}@progress.test"
        lines.append(f"{boss};Chef{m};Équipe{m};manager;HoReCa;;oui")
        lines += [
            f"rep{m:02d}.{r:02d}@progress.test;Rep{r};Équipe{m};rep;HoReCa;{boss};oui"
            for r in range(REPS_EACH)
        ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        COMPTOIR_SQLITE_PATH=str(tmp_path / "worker.sqlite3"),
        DJANGO_SECRET_KEY="progress-test-key",
        COMPTOIR_CACHE_BACKEND="django.core.cache.backends.locmem.LocMemCache",
        COMPTOIR_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        COMPTOIR_IMPORT_CHUNK_ROWS=str(CHUNK),
        COMPTOIR_LOG_LEVEL="WARNING",
    )
    return env


class Observer:
    """Reads the job and the committed people in one statement: one consistent snapshot."""

    SQL = (
        "SELECT j.status, j.done, j.total, "
        "(SELECT COUNT(*) FROM org_user u WHERE u.email LIKE '%%@progress.test'), "
        "(SELECT COUNT(*) FROM org_user u WHERE u.email LIKE '%%@progress.test' AND u.manager_id IS NOT NULL) "
        "FROM core_importjob j WHERE j.id = {param}"
    )

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        from django.db import connection

        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(path) as target:
                connection.connection.backup(target)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.sql = self.SQL.replace("%%", "%").format(param="?")
        else:
            db = connection.settings_dict
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            )
            self.sql = self.SQL.format(param="%s")

    def read(self, job_id: int) -> tuple[str, int, int, int, int]:
        if self.sqlite:
            row = self.db.execute(self.sql, (job_id,)).fetchone()
        else:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(self.sql, [job_id])
                row = cursor.fetchone()
        return tuple(row)  # type: ignore[return-value]


def _queue_the_upload(settings: Any) -> int:
    cast = build_cast()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = import_job_create(
        kind=import_kinds()["people"], user=cast.admin, data=_hr_export(), filename="rh.csv", options={}
    )
    return job.pk


@pytest.mark.django_db(transaction=True)
def test_the_progress_of_an_upload_shows_rows_really_written_and_a_killed_worker_is_finished_by_a_rerun(
    tmp_path: Path, settings: Any
) -> None:
    job_id = _queue_the_upload(settings)
    env = _env(tmp_path)
    observer = Observer(tmp_path / "worker.sqlite3", env)
    assert observer.read(job_id) == ("queued", 0, 0, 0, 0)

    worker_command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
    ]
    worker = subprocess.Popen(  # noqa: S603 - our own command line
        worker_command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    seen: list[tuple[str, int, int, int, int]] = []
    deadline = time.monotonic() + 300  # a loaded CI machine can take minutes to start the worker
    # Watch until half the people are written, then kill the worker where it stands.
    while time.monotonic() < deadline and worker.poll() is None:
        state = observer.read(job_id)
        seen.append(state)
        if state[3] >= PEOPLE // 2:
            break
        time.sleep(0.005)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)

    writing = [s for s in seen if s[0] == "running" and 0 < s[3] < PEOPLE]
    assert writing, f"no progress seen while writing: {seen[-3:]}"
    status, done, total, written, _managed = writing[-1]
    assert total == 4 * PEOPLE  # checking the rows, then the people, then their managers
    # The progress counts rows committed: at most one chunk behind what a reader already sees.
    assert 2 * PEOPLE + written - CHUNK <= done <= 2 * PEOPLE + written
    assert len({s[1] for s in writing}) > 1, "the progress moved while the people were written"

    killed = observer.read(job_id)
    assert killed[0] == "running" and (killed[3] < PEOPLE or killed[4] < PEOPLE - MANAGERS), killed

    # The job, run again (as a worker re-delivering it would), writes what the crash left out.
    rerun = f"from comptoir.core.importjobs import import_job_run; import_job_run({job_id})"
    subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", "shell", "-c", rerun], cwd=ROOT, env=env, check=True, timeout=120
    )
    status, done, total, written, managed = observer.read(job_id)
    assert (status, written, managed) == ("done", PEOPLE, PEOPLE - MANAGERS)
    assert done == total
