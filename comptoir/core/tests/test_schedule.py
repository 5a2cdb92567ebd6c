"""Periodic jobs: each app's `schedule.py` says what runs when; the scheduler hands each due run to the
task worker once, whatever the number of schedulers and however long one was down."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command, get_commands

from comptoir.core import clock
from comptoir.core.models import ScheduledRun
from comptoir.core.schedule import Job, schedule_tick, scheduled_jobs

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


def test_a_periodic_job_runs_on_the_boundaries_of_its_period() -> None:
    hourly = Job("actions_escalate", every=dt.timedelta(hours=1))
    assert hourly.next_after(at(10, 9, 20)) == at(10, 10)
    assert hourly.next_after(at(10, 10)) == at(10, 11)  # strictly after
    five = Job("learning_close_expired", every=dt.timedelta(minutes=5))
    assert five.next_after(at(10, 9, 21)) == at(10, 9, 25)


def test_a_daily_job_runs_at_its_local_time_also_across_the_change_to_summer_time() -> None:
    job = Job("voice_reminders", at=dt.time(8, 0))
    assert job.next_after(at(10, 7, 59)) == at(10, 8)
    assert job.next_after(at(10, 8)) == at(11, 8)
    # Summer time starts on Sunday 29 March 2026 at 2:00 in Paris: still 8:00 local time.
    assert job.next_after(at(28, 9)) == at(29, 8)
    assert job.next_after(at(28, 9)).utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    "bad",
    [
        {"every": dt.timedelta(hours=2), "at": dt.time(8)},  # a time of day needs a daily job
        {"every": dt.timedelta(minutes=7)},  # does not divide a day
        {"every": dt.timedelta(0)},
    ],
)
def test_a_period_that_cannot_be_kept_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Job("voice_reminders", **bad)


def test_every_scheduled_job_is_an_existing_command_scheduled_once() -> None:
    jobs = scheduled_jobs()
    commands = get_commands()
    assert {job.command for job in jobs} >= {
        "actions_escalate",
        "rebuild_action_rollups",
        "voice_reminders",
        "feed_flag_overdue",
        "insights_digest",
    }
    assert all(job.command in commands for job in jobs)
    assert len({job.name for job in jobs}) == len(jobs)


def queued() -> list[tuple[str, list[str]]]:
    """The scheduled commands waiting in the database task queue, oldest first."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path__endswith="run_scheduled_command").order_by("enqueued_at")
    return [(row.args_kwargs["kwargs"]["command"], row.args_kwargs["kwargs"]["args"]) for row in rows]


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_and_a_missed_stretch_is_run_once(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    jobs = [
        Job("actions_escalate", every=dt.timedelta(hours=1)),
        Job("actions_apply_rules", every=dt.timedelta(hours=1), args=("--hours", "48")),
        Job("voice_reminders", at=dt.time(8, 0)),
    ]

    def tick(moment: dt.datetime) -> list[str]:
        with clock.frozen(moment), django_capture_on_commit_callbacks(execute=True):
            return schedule_tick(jobs=jobs)

    assert tick(at(10, 9, 20)) == []  # first seen: due at the next boundary, not at once
    assert ScheduledRun.objects.get(name="actions_escalate").next_run_at == at(10, 10)
    assert tick(at(10, 9, 59)) == []
    assert tick(at(10, 10)) == ["actions_escalate", "actions_apply_rules --hours 48"]
    assert tick(at(10, 10)) == []  # a second scheduler at the same moment: nothing more
    assert queued() == [("actions_escalate", []), ("actions_apply_rules", ["--hours", "48"])]
    # The scheduler was down for two days: each job runs once, then the rhythm resumes.
    assert tick(at(12, 11, 40)) == ["actions_escalate", "actions_apply_rules --hours 48", "voice_reminders"]
    assert tick(at(12, 11, 41)) == []
    assert len(queued()) == 5
    assert ScheduledRun.objects.get(name="actions_escalate").next_run_at == at(12, 12)
    assert ScheduledRun.objects.get(name="voice_reminders").next_run_at == at(13, 8)
    assert ScheduledRun.objects.get(name="voice_reminders").last_enqueued_at == at(12, 11, 40)


@pytest.mark.django_db
def test_the_scheduler_command_lists_the_jobs_and_checks_once() -> None:
    import io

    out = io.StringIO()
    with clock.frozen(at(10, 9, 20)):
        call_command("scheduler", "--once", stdout=out)
        call_command("scheduler", "--list", stdout=out)
    text = out.getvalue()
    assert "rebuild_action_rollups" in text and "2026-03-11T02:30:00+01:00" in text
