"""Benchmark of the organisation at scale: demo build, directory pages, import of the whole company.

Run it on an empty database (`make bench PEOPLE=10000` does this on a fresh SQLite file), e.g.:
    DJANGO_DEBUG=1 COMPTOIR_SQLITE_PATH=/tmp/bench.sqlite3 python manage.py migrate
    DJANGO_DEBUG=1 COMPTOIR_SQLITE_PATH=/tmp/bench.sqlite3 python manage.py bench_org --people 10000

Each line gives the wall-clock time and the CPU time of this process (SQLite runs inside it, so on
SQLite the CPU time is the work itself even when other programs share the machine's cores).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext


class Command(BaseCommand):
    help = "Build N people with the demo and time the directory and the people import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)

    def timed(self, label: str, action: Callable[[], Any]) -> Any:
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            result = action()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.stdout.write(
            f"{label:<48} {elapsed * 1000:9.1f} ms wall {cpu * 1000:9.1f} ms CPU {len(queries.captured_queries):4d} queries"
        )
        return result

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db.models import Count

        from comptoir.core.importjobs import import_file, import_kinds
        from comptoir.org.models import Team, User
        from comptoir.org.selectors import directory_for, profile_of, team_page

        if User.objects.exists():
            raise CommandError("Run the benchmark on an empty database (set COMPTOIR_SQLITE_PATH or DATABASE_URL).")
        n = options["people"]
        self.stdout.write(f"Database: {connection.vendor}; people: {n}")
        started, cpu = time.perf_counter(), time.process_time()
        call_command("demo", "--only", "org", "--scale", str(n), stdout=io.StringIO())
        self.stdout.write(
            f"{'demo --scale ' + str(n):<48} {time.perf_counter() - started:9.1f} s  wall "
            f"{time.process_time() - cpu:9.1f} s  CPU"
        )
        viewer = User.objects.get(email="lea.martin@comptoir-demo.fr")
        page = self.timed("directory, first page", lambda: directory_for(viewer=viewer))
        cursor = page.next_cursor
        for _ in range(100):
            cursor = directory_for(viewer=viewer, cursor=cursor).next_cursor
        self.timed("directory, page 101 (keyset)", lambda: directory_for(viewer=viewer, cursor=cursor))
        self.timed("directory, search 'martin'", lambda: directory_for(viewer=viewer, query="martin"))
        unit = viewer.unit_id
        self.timed("directory, filter by unit", lambda: directory_for(viewer=viewer, unit=unit))
        team = Team.objects.annotate(size=Count("members")).order_by("-size").first()
        assert team is not None
        self.timed(f"team page ({team.size} members), first page", lambda: team_page(team))
        head = User.objects.annotate(size=Count("reports")).order_by("-size").first()
        assert head is not None
        self.timed(f"profile with {head.size} reports, first page", lambda: profile_of(head))

        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["email", "first_name", "last_name", "role", "unit", "region", "team", "manager_email", "active"])
        people = User.objects.select_related("role", "unit", "region", "team", "manager").order_by("id")
        for p in people.iterator(chunk_size=2000):
            writer.writerow([
                p.email, p.first_name, p.last_name, p.role_code, p.unit.code if p.unit else "",
                p.region.code if p.region else "", p.team.name if p.team else "",
                p.manager.email if p.manager else "", "oui",
            ])
        data = out.getvalue().encode("cp1252", errors="replace")
        kind = import_kinds()["people"]
        report = self.timed(f"import {n} people (re-import, all unchanged)", lambda: import_file(kind, data, "rh.csv"))
        self.stdout.write(f"  -> {report.summary()}")
        changed = data.replace(b";oui\r\n", b";non\r\n", 500)
        report = self.timed("import with 500 people leaving", lambda: import_file(kind, changed, "rh.csv"))
        self.stdout.write(f"  -> {report.summary()}")
        # The first import of a company: everyone new (another e-mail domain), managers included.
        fresh = data.replace(b"@comptoir-demo.fr", b"@nouvelle-societe.fr")
        report = self.timed(f"import {n} new people (first import)", lambda: import_file(kind, fresh, "rh.csv"))
        self.stdout.write(f"  -> {report.summary()}")
