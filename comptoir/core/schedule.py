"""Periodic jobs: what each app wants run on a schedule, handed to the task worker when due.

An app lists its periodic management commands in a `schedule.py` exposing `JOBS: list[Job]`
(escalations every hour, a digest every morning, a roll-up rebuild every night). `manage.py
scheduler` (one per server, next to `db_worker`; or `scheduler --once` from cron every minute) calls
`schedule_tick`, which enqueues the due ones as `run_scheduled_command` tasks: the work itself runs
on the task worker, like every other background job, and shows in its queue.

A run is claimed with a conditional update of its `ScheduledRun` row before it is enqueued, so two
schedulers never enqueue the same run. A scheduler that was down does not replay the runs it missed:
it runs each late job once, then resumes the rhythm; the jobs are idempotent sweeps (they act on
what is due now), so one late run catches up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from comptoir.core import clock
from comptoir.core.extensions import app_modules
from comptoir.core.models import ScheduledRun

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Job:
    """Run `manage.py <command> <args>` every `every` or, with `at`, once a day at that local time."""

    command: str
    every: dt.timedelta = DAY
    at: dt.time | None = None
    args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.at is not None and self.every != DAY:
            raise ValueError(f"{self.command}: a time of day only makes sense for a daily job")
        if self.every <= dt.timedelta(0) or (DAY % self.every and self.every % DAY):
            raise ValueError(f"{self.command}: the period must divide a day or be a whole number of days")

    @property
    def name(self) -> str:
        return " ".join((self.command, *self.args))

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        """The first run strictly after `moment`: the next `at` (local time), or the next boundary
        of the period counted from midnight UTC (every hour on the hour, every 15 minutes at :00,
        :15...; UTC, so that a change of summer time neither skips nor doubles a run)."""
        if self.at is not None:
            local = timezone.localtime(moment)
            candidate = timezone.make_aware(dt.datetime.combine(local.date(), self.at))
            if candidate <= moment:
                candidate = timezone.make_aware(dt.datetime.combine(local.date() + DAY, self.at))
            return candidate
        utc = moment.astimezone(dt.UTC)
        midnight = dt.datetime.combine(utc.date(), dt.time(), tzinfo=dt.UTC)
        return midnight + ((utc - midnight) // self.every + 1) * self.every


def scheduled_jobs() -> list[Job]:
    jobs: list[Job] = []
    for module in app_modules("schedule"):
        jobs.extend(getattr(module, "JOBS", ()))
    names = [job.name for job in jobs]
    duplicated = {name for name in names if names.count(name) > 1}
    if duplicated:
        raise ValueError(f"Scheduled twice: {', '.join(sorted(duplicated))}")
    return jobs


def schedule_tick(*, jobs: list[Job] | None = None) -> list[str]:
    """Enqueue the jobs that are due now (each once); returns their names.

    A job seen for the first time is due at its next boundary, not at once: deploying the scheduler
    does not fire every job in the same minute."""
    from comptoir.core.tasks import run_scheduled_command

    now = clock.now()
    enqueued: list[str] = []
    for job in scheduled_jobs() if jobs is None else jobs:
        run = ScheduledRun.objects.filter(name=job.name).first()
        if run is None:
            try:
                with transaction.atomic():
                    ScheduledRun.objects.create(name=job.name, next_run_at=job.next_after(now))
            except IntegrityError:
                pass  # another scheduler registered it at the same moment
            continue
        if run.next_run_at > now:
            continue
        with transaction.atomic():
            claimed = ScheduledRun.objects.filter(pk=run.pk, next_run_at=run.next_run_at).update(
                next_run_at=job.next_after(now), last_enqueued_at=now
            )
            if claimed:
                transaction.on_commit(
                    partial(run_scheduled_command.enqueue, command=job.command, args=list(job.args))
                )
                enqueued.append(job.name)
    return enqueued
