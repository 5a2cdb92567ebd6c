"""The closed loop's periodic jobs run on the task worker: the nightly rebuild repairs the roll-up."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from comptoir.actions import rollups
from comptoir.actions.models import ActionStat
from comptoir.actions.schedule import JOBS
from comptoir.core import clock
from comptoir.core.schedule import schedule_tick


def run_worker_once() -> None:
    """Run the database task worker until the queue is empty.

    The worker drops connections that are not in autocommit mode (its hygiene between tasks); in a
    test that is the test's own connection, which PostgreSQL would then refuse to use."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def test_the_closed_loop_schedules_escalation_hourly_and_the_rebuild_nightly() -> None:
    by_command = {job.command: job for job in JOBS}
    assert by_command["actions_escalate"].every == dt.timedelta(hours=1)
    assert by_command["rebuild_action_rollups"].at == dt.time(2, 30)


# The worker commits for real (it runs outside the test's transaction).
@pytest.mark.django_db(transaction=True)
def test_the_nightly_rebuild_runs_on_the_task_worker_and_repairs_the_roll_up(
    settings: Any, post_action: Any, make_response: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    evening = timezone.make_aware(dt.datetime(2026, 11, 9, 22, 0))
    with clock.frozen(evening):
        post_action(response=make_response(nps=2))
        post_action()
    expected = rollups.stored_rows()
    assert sum(n for key, n in expected.items() if key[0] == rollups.FOLLOWED) == 1
    # Changed behind the services' back (a fix in SQL, a restored backup): the roll-up is wrong.
    ActionStat.objects.filter(metric=rollups.FOLLOWED).delete()
    ActionStat.objects.filter(metric=rollups.CREATED).update(count=7)
    rebuild = [job for job in JOBS if job.command == "rebuild_action_rollups"]
    with clock.frozen(evening):
        assert schedule_tick(jobs=rebuild) == []
    with clock.frozen(evening + dt.timedelta(hours=4, minutes=29)):
        assert schedule_tick(jobs=rebuild) == []
    with clock.frozen(evening + dt.timedelta(hours=4, minutes=30)):
        assert schedule_tick(jobs=rebuild) == ["rebuild_action_rollups"]
    assert rollups.stored_rows() != expected  # enqueued, not run by the scheduler itself
    run_worker_once()
    assert rollups.stored_rows() == expected
    finished = DBTaskResult.objects.filter(task_path__endswith="run_scheduled_command").get()
    assert finished.status == "SUCCESSFUL"
