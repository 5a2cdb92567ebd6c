"""Scheduled daily: `manage.py insights_digest` enqueues today's digest for the task worker.

`--now` sends in this process instead (a cron without a worker, and the tests); run again after a
crash, it resumes where the dead run stopped and never sends anyone the same week's digest twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from comptoir.core import clock
from comptoir.insights.digest.sending import LEASE, digest_run
from comptoir.insights.tasks import digest_send_batch


class Command(BaseCommand):
    help = "Send (or enqueue) the weekly digest of the people whose chosen day is today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day", type=dt.date.fromisoformat, help="Send as if today were this day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--now", action="store_true", help="Send in this process instead of the task worker."
        )
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument(
            "--lease",
            type=float,
            default=LEASE.total_seconds(),
            help="Seconds after which a message left in flight by a stopped worker is taken back and resent.",
        )
        parser.add_argument(
            "--delay", type=float, default=0.0, help="Seconds between two messages (a throttling relay)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options.get("day") or clock.today()
        if not options["now"]:
            digest_send_batch.enqueue(day=day.isoformat(), batch_size=options["batch_size"])
            self.stdout.write(f"digest of {day} enqueued")
            return
        run = digest_run(
            day,
            batch_size=options["batch_size"],
            delay=options["delay"],
            lease=dt.timedelta(seconds=options["lease"]),
        )
        self.stdout.write(run.log)
        self.stdout.write(
            f"digest of {day}: {run.sent} sent, {run.failed} failed, {run.resumed + run.unconfirmed} resent after a crash ({run.unconfirmed} possibly twice) of {run.total}"
        )
