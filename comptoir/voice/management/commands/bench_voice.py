"""Benchmark of the love-score dashboard at scale (the issue's numbers: at 10 million responses the
dashboard answers in under 100 ms median on PostgreSQL and SQLite, and a submission costs a fixed
number of queries).

    export DJANGO_SECRET_KEY=bench COMPTOIR_SQLITE_PATH=/tmp/voice-10m.sqlite3   # or DATABASE_URL=…
    manage.py migrate && manage.py bench_voice --responses 10000000
    manage.py bench_voice --reuse          # measure the database built above again, unchanged

The first run builds the demo organisation and its customers, then bulk-loads responses up to
`--responses` with the demo's generator (progress bar; the roll-ups are counted as the rows are
drawn, never recomputed). Then it times, with `comptoir/core/bench.py`, the analytics functions
and the pages and API a customer-relations agent opens, and counts a submission's queries.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from comptoir.core import clock
from comptoir.core.bench import HEADER, counting_queries, served_as_in_production, time_callable, time_page
from comptoir.core.demo import DemoContext
from comptoir.core.permissions import Cap, has_cap
from comptoir.core.progress import ProgressBar
from comptoir.customers.models import Contact
from comptoir.org.models import User
from comptoir.voice import analytics, demo, services
from comptoir.voice.models import Invitation, JourneyStep, Response, Rollup, Survey


class Command(BaseCommand):
    help = "Time the love-score dashboard and a response submission at N responses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--responses", type=int, default=10_000_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument(
            "--reuse", action="store_true", help="measure the database as it is (built by a previous run)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reuse"]:
            if not Response.objects.exists():
                raise CommandError("--reuse: this database holds no responses; run without --reuse first.")
        else:
            self._fill(options["responses"])
        self._report(options["runs"])

    def _fill(self, target: int) -> None:
        if not User.objects.exists():
            call_command("demo", only=["core", "org", "customers"], stdout=io.StringIO())
        missing = target - Response.objects.count()
        if missing <= 0:
            return
        ctx = DemoContext(stdout=io.StringIO())
        accounts = demo._accounts(ctx)
        steps = {s.code: s for s in JourneyStep.objects.filter(is_active=True)}
        surveys = {
            (s.step.code if s.step else ""): s.pk
            for s in Survey.objects.filter(status=Survey.Status.ACTIVE).select_related("step")
        }
        if len(surveys) < len(steps) + 1:
            surveys = demo._surveys(steps, None)
        bar = ProgressBar("Generating responses", missing, stream=self.stdout)
        started, cpu = time.perf_counter(), time.process_time()
        with _throwaway_file(), transaction.atomic():
            demo.generate(
                missing, rng=ctx.rng, accounts=accounts, steps=steps, surveys=surveys, progress=bar.advance
            )
        bar.finish()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.stdout.write(
            f"Generated {missing:,} responses and their roll-ups in {wall:.0f} s "
            f"({missing / wall:,.0f} rows/s; {cpu:.0f} s CPU in this process, {missing / max(cpu, 0.001):,.0f} rows/s)"
        )

    def _report(self, runs: int) -> None:
        total = Response.objects.count()
        cells = Rollup.objects.count()
        load = os.getloadavg()
        self.stdout.write(
            f"\n{connection.vendor}: {total:,} responses, {cells:,} roll-up cells; "
            f"load average {load[0]:.1f} on {os.cpu_count()} cores"
        )
        year = analytics.Filters.last_months(12)
        quarter = analytics.Filters.last_months(3)
        unit = Rollup.objects.exclude(unit_key=0).values_list("unit_key", flat=True).first()
        region = Rollup.objects.exclude(region_key=0).values_list("region_key", flat=True).first()
        by_unit = analytics.Filters(quarter.start, quarter.end, unit=unit)
        by_region = analytics.Filters(year.start, year.end, region=region)
        agent = User.objects.filter(is_active=True, role__code="cr_agent").order_by("id").first()
        if agent is None or not has_cap(agent, Cap.READ_LOVE_SCORE):
            raise CommandError("No one may read the love score in this database.")
        client = Client()
        client.force_login(agent)
        timings = [
            ("dashboard(), 12 months by month", lambda: analytics.dashboard(year, "month")),
            ("dashboard(), 12 months by week", lambda: analytics.dashboard(year, "week")),
            ("dashboard(), 3 months by week, one unit", lambda: analytics.dashboard(by_unit, "week")),
            ("dashboard(), 12 months, one region", lambda: analytics.dashboard(by_region, "month")),
            (
                "dashboard(), 18 months by quarter",
                lambda: analytics.dashboard(analytics.Filters.last_months(18), "quarter"),
            ),
            (
                "priorities() + change_sources(), 12 months",
                lambda: (analytics.priorities(year), analytics.change_sources(year, "unit")),
            ),
        ]
        pages = [
            ("page /voice/ (dashboard)", "/voice/"),
            ("page /voice/?grain=week", "/voice/?grain=week"),
            (f"page /voice/?unit={unit}", f"/voice/?unit={unit}"),
            ("page /voice/effort/", "/voice/effort/"),
            ("page /voice/priorities/", "/voice/priorities/"),
            ("API /api/voice/analytics/dashboard", "/api/voice/analytics/dashboard"),
        ]
        self.stdout.write(HEADER)
        with served_as_in_production():
            for label, call in timings:
                self.stdout.write(time_callable(label, call, runs=runs).row())
            for label, url in pages:
                self.stdout.write(time_page(client, url, label=label, runs=runs).row())
        self._submission()

    def _submission(self) -> None:
        """A submission's queries, twice: the count is fixed, whatever the data."""
        contact = Contact.objects.filter(survey_consent=True).order_by("-id").first()
        survey = Survey.objects.filter(status=Survey.Status.ACTIVE).first()
        if contact is None or survey is None:
            return
        counts = []
        for _attempt in range(2):
            now = clock.now()
            invitation = Invitation.objects.create(
                survey=survey,
                contact=contact,
                account_id=contact.account_id,
                created_at=now,
                expires_at=now + dt.timedelta(days=1),
            )
            with counting_queries() as durations:
                response = services.response_submit(
                    token=invitation.token, data={"nps": "9", "ces": "6", "comment": "bench"}
                )
            counts.append(f"{len(durations)} queries, {sum(durations) * 1000:.1f} ms SQL")
            # The benchmark removes its own answer (through the service: the roll-ups stay exact).
            services.response_delete(by=_Admin(), response=response)  # type: ignore[arg-type]
            invitation.delete()
        self.stdout.write(f"Response submission: {'; '.join(counts)}")


@contextmanager
def _throwaway_file() -> Iterator[None]:
    """SQLite only, and only here, for a benchmark file that is rebuilt rather than repaired: no
    rollback journal, no fsync, no foreign-key lookups during the load (the generator takes its
    keys from the database itself), a 512 MB page cache for the index builds. The file's usual
    settings (settings.py) come back afterwards. A crash during the load leaves a file to delete."""
    if connection.vendor != "sqlite":
        yield
        return
    usual = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-65536")
    with connection.cursor() as cursor:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-524288"):
            cursor.execute(f"PRAGMA {pragma}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for pragma in usual:
                cursor.execute(f"PRAGMA {pragma}")


class _Admin:
    is_authenticated = True
    is_active = True
    is_superuser = True
