"""Benchmark of the engagement insights at scale: the issue's figure is 10,000 people and a year of activity.

Build once, then measure as often as needed:
    export DJANGO_SECRET_KEY=bench COMPTOIR_SQLITE_PATH=/tmp/insights-10k.sqlite3
    python manage.py migrate && python manage.py bench_insights --people 10000 --days 365
    python manage.py bench_insights --reuse            # measure the database built above, nothing rebuilt

It builds a synthetic company (`comptoir.insights.benchdata`), then times every insights page with
`comptoir.core.bench` for head office, a director and a manager (queries, SQL time, median, p95, CPU),
and finally sends the weekly digest to --digest people (everyone by default) through an SMTP server on
loopback in this process: the time from the first person claimed to the last message accepted.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from comptoir.core.bench import HEADER, served_as_in_production, time_callable, time_page
from comptoir.feed.models import Post
from comptoir.insights import benchdata, rollups
from comptoir.insights.digest.sending import digest_run
from comptoir.insights.models import (
    DailyActivity,
    DigestDelivery,
    DigestPreference,
    DigestRun,
    GroupPeriod,
    PeriodActivity,
    PostAttention,
    TeamAttention,
)
from comptoir.org.models import User

PAGES = [
    "/insights/",
    "/insights/?by=team",
    "/insights/participation/",
    "/insights/attention/",
    "/insights/recommendations/",
    "/api/insights/activity",
    "/api/insights/activity?by=team",
    "/api/insights/participation",
    "/api/insights/attention",
]
PAGE_BUDGET_MS = 200
DIGEST_BUDGET_S = 300


class Command(BaseCommand):
    help = "Fill N people and a year of activity (or --reuse), then time the insights pages and the digest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--reuse", action="store_true", help="measure a database a previous run built")
        parser.add_argument(
            "--digest", type=int, default=None, help="digests to send (default: everyone; 0: no digest)"
        )
        parser.add_argument("--runs", type=int, default=30, help="requests per page (0: no pages)")
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args: Any, **options: Any) -> None:
        built = User.objects.filter(email__endswith="@bench.comptoir").exists()
        if options["reuse"]:
            if not built:
                raise CommandError("--reuse: this database holds no benchmark company; build it first.")
        elif User.objects.exists():
            raise CommandError(
                "Run the benchmark on an empty, migrated database (COMPTOIR_SQLITE_PATH or DATABASE_URL)."
            )
        else:
            started = time.monotonic()
            benchdata.build(options["people"], options["days"], random.Random(options["seed"]), self.stdout)
            self.stdout.write(f"built in {time.monotonic() - started:.0f}s")
        call_command("createcachetable", verbosity=0)  # the pages' cache, as `manage.py deploy` makes it
        self.stdout.write(
            f"Database: {connection.vendor}. {User.objects.count():,} people; "
            f"{DailyActivity.objects.count():,} person-days; {PeriodActivity.objects.count():,} person-periods; "
            f"{GroupPeriod.objects.count():,} group-periods; {Post.objects.count():,} posts; "
            f"{PostAttention.objects.count():,} post-attention rows; {TeamAttention.objects.count():,} team-weeks"
        )
        if options["runs"]:
            self.time_pages(options["runs"])
        if options["digest"] != 0:
            self.time_digest(options["digest"])

    # --- Pages -------------------------------------------------------------------------------------------

    def time_pages(self, runs: int) -> None:
        viewers = []
        for role in ("hq", "director", "manager"):
            person = (
                User.objects.filter(role__code=role, email__endswith="@bench.comptoir").order_by("id").first()
            )
            if person is None:
                raise CommandError(f"No {role} to read the pages as.")
            viewers.append((role, person))
        self.stdout.write(
            f"\nPages ({runs} requests each after 3 warm-ups; budget {PAGE_BUDGET_MS} ms median)"
        )
        self.stdout.write(HEADER)
        slow: dict[str, list[str]] = {"wall": [], "CPU": []}
        with served_as_in_production():
            for role, person in viewers:
                client = Client()
                client.force_login(person)
                for url in PAGES:
                    timing = time_page(client, url, label=f"{role:<9} {url}", runs=runs)
                    self.stdout.write(timing.row())
                    for clock, figure in (("wall", timing.median_ms), ("CPU", timing.cpu_median_ms)):
                        if figure > PAGE_BUDGET_MS:
                            slow[clock].append(" ".join(timing.label.split()))
        # On a machine busy with other work, wall time mostly measures the wait for a core.
        for clock, labels in slow.items():
            self.stdout.write(
                f"median {clock} time over budget: " + (", ".join(labels) if labels else "none")
            )

    # --- The digest --------------------------------------------------------------------------------------

    def time_digest(self, count: int | None) -> None:
        from aiosmtpd.controller import Controller

        received = [0]
        lock = threading.Lock()

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                with lock:
                    received[0] += 1
                return "250 Message accepted"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        day = timezone.localdate()
        active = list(User.objects.filter(is_active=True).order_by("id").values_list("id", flat=True))
        chosen = set(active if count is None else random.Random(1).sample(active, min(count, len(active))))
        DigestPreference.objects.all().delete()
        DigestPreference.objects.bulk_create(
            [
                DigestPreference(
                    user_id=pk, weekday=day.weekday() if pk in chosen else DigestPreference.NEVER
                )
                for pk in User.objects.values_list("id", flat=True)
            ],
            batch_size=5000,
        )
        runs: list[DigestRun] = []

        def send_everyone() -> None:
            # Each timed call sends the whole day again: the week's deliveries are forgotten first.
            DigestDelivery.objects.filter(week=rollups.week_start(day)).delete()
            DigestRun.objects.filter(day=day).delete()
            received[0] = 0
            runs.append(digest_run(day, batch_size=200))

        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            smtp = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"host": "127.0.0.1", "port": port}}
            with override_settings(MAILERS={"default": smtp}):
                # Once counting its queries, once on the clock: the SMTP server's thread is in the CPU time.
                timing = time_callable(f"digest for {len(chosen):,} people", send_everyone, runs=1, warmups=0)
        finally:
            time.sleep(0.5)
            controller.stop()
        run = runs[-1]
        self.stdout.write(
            f"\nDigest (one worker, batches of 200, SMTP on loopback; budget {DIGEST_BUDGET_S} s)"
        )
        self.stdout.write(HEADER)
        self.stdout.write(timing.row())
        handled = max(run.total, 1)
        self.stdout.write(
            f"{run.sent:,} sent, {run.failed:,} failed, {run.total - run.sent - run.failed:,} with nothing to say, "
            f"{received[0]:,} accepted by the SMTP server, in {run.batches} batches: "
            f"{timing.median_ms / 1000:.1f} s ({timing.median_ms / handled:.1f} ms a person, CPU "
            f"{timing.cpu_median_ms / handled:.1f} ms), {timing.queries / handled:.1f} queries a person; "
            + ("under budget" if timing.median_ms / 1000 <= DIGEST_BUDGET_S else "OVER BUDGET")
        )
