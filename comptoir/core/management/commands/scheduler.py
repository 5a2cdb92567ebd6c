"""`manage.py scheduler`: hand the periodic jobs of every app to the task worker when they are due.

Run one next to `db_worker` on each server (several are safe: each run is claimed once), or
`scheduler --once` from cron every minute. `--list` prints the jobs and when each is next due.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from comptoir.core.models import ScheduledRun
from comptoir.core.schedule import schedule_tick, scheduled_jobs


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (escalations, reminders, digests, roll-ups) when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit (for cron)")
        parser.add_argument("--list", action="store_true", help="print the jobs and their next run")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between two checks")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            due = dict(ScheduledRun.objects.values_list("name", "next_run_at"))
            for job in scheduled_jobs():
                when = due.get(job.name)
                self.stdout.write(
                    f"{job.name:<40} {timezone.localtime(when).isoformat() if when else 'at the first check'}"
                )
            return
        while True:
            for name in schedule_tick():
                self.stdout.write(f"enqueued: {name}")
            if options["once"]:
                return
            close_old_connections()  # a long-lived process: do not hold a stale connection
            time.sleep(options["interval"])
