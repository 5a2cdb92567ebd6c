"""Benchmark of the organisation at scale: demo build, directory pages, import of the whole company.

Build once, then measure as often as needed (on a quiet machine, say):
    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=... COMPTOIR_SQLITE_PATH=/tmp/bench-org.sqlite3 python manage.py migrate
    ... python manage.py bench_org --people 10000     # builds the demo organisation, then measures
    ... python manage.py bench_org --reuse            # measures the database a previous run built

Pages are requested through the whole Django stack with `comptoir.core.bench` (queries, SQL time,
median and p95 wall time, CPU time); the imports run once each inside a transaction that is rolled
back, so `--reuse` measures the same data every time.
"""

from __future__ import annotations

import csv
import io
import time
from typing import Any
from urllib.parse import urlencode

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from comptoir.core.bench import HEADER, served_as_in_production, time_once, time_page


class Command(BaseCommand):
    help = "Build N people with the demo (or --reuse a built database), time the directory and the people import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--reuse", action="store_true", help="measure a database a previous run built")
        parser.add_argument("--skip-imports", action="store_true", help="only the pages")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db.models import Count

        from comptoir.org.models import Team, User
        from comptoir.org.selectors import directory_for

        n, runs = options["people"], options["runs"]
        if options["reuse"]:
            if not User.objects.exists():
                raise CommandError("--reuse: this database holds no people.")
        elif User.objects.exists():
            raise CommandError(
                "Run the benchmark on an empty database (set COMPTOIR_SQLITE_PATH or DATABASE_URL)."
            )
        else:
            started, cpu = time.perf_counter(), time.process_time()
            call_command("demo", "--only", "org", "--scale", str(n), stdout=io.StringIO())
            self.stdout.write(
                f"demo --scale {n}: {time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU"
            )
        self.stdout.write(
            f"Database: {connection.vendor}; people: {User.objects.count()}, teams: {Team.objects.count()}"
        )
        viewer = User.objects.filter(role__code="rep", is_active=True).order_by("id").first()
        team = Team.objects.annotate(size=Count("members")).order_by("-size", "id").first()
        head = User.objects.annotate(size=Count("reports")).order_by("-size", "id").first()
        if viewer is None or team is None or head is None:
            raise CommandError("The database holds no organisation to measure.")
        client = Client(SERVER_NAME="localhost")
        client.force_login(viewer)
        with served_as_in_production():
            cursor = directory_for(viewer=viewer).next_cursor
            for _page in range(99):
                cursor = directory_for(viewer=viewer, cursor=cursor).next_cursor
            pages = [
                ("directory, first page", "/people/"),
                ("directory, page 101 (keyset)", "/people/?" + urlencode({"after": cursor or ""})),
                ("directory, search 'martin'", "/people/?q=martin"),
                ("directory, filter by unit", f"/people/?unit={viewer.unit_id}"),
                ("directory, filter by team name", "/people/?" + urlencode({"team": team.name})),
                ("team suggestions for 'hor'", "/people/teams/options/?team=hor"),
                (f"team page ({team.size} members), first page", f"/people/teams/{team.pk}/"),  # type: ignore[attr-defined]
                (f"profile with {head.size} reports, first page", f"/people/{head.pk}/"),  # type: ignore[attr-defined]
            ]
            self.stdout.write(HEADER)
            for label, url in pages:
                self.stdout.write(time_page(client, url, label=label, runs=runs).row())
        if not options["skip_imports"]:
            self.imports(User)

    def imports(self, user_model: Any) -> None:
        from comptoir.core.importjobs import import_file, import_kinds

        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            ["email", "first_name", "last_name", "role", "unit", "region", "team", "manager_email", "active"]
        )
        people = user_model.objects.select_related("role", "unit", "region", "team", "manager").order_by("id")
        for p in people.iterator(chunk_size=2000):
            writer.writerow([
                p.email, p.first_name, p.last_name, p.role_code, p.unit.code if p.unit else "",
                p.region.code if p.region else "", p.team.name if p.team else "",
                p.manager.email if p.manager else "", "oui" if p.is_active else "non",
            ])  # fmt: skip
        data = out.getvalue().encode("cp1252", errors="replace")
        kind = import_kinds()["people"]
        n = data.count(b"\r\n") - 1
        files = [
            (f"import {n} people (re-import, all unchanged)", data),
            ("import with 500 people leaving", data.replace(b";oui\r\n", b";non\r\n", 500)),
            # The first import of a company: everyone new (another e-mail domain), managers included.
            (
                f"import {n} new people (first import)",
                data.replace(b"@comptoir-demo.fr", b"@nouvelle-societe.fr"),
            ),
        ]
        self.stdout.write(HEADER)
        for label, content in files:
            with transaction.atomic():
                timing, report = time_once(
                    label, lambda content=content: import_file(kind, content, "rh.csv")
                )
                transaction.set_rollback(True)  # the next run measures the same data
            self.stdout.write(timing.row())
            self.stdout.write(f"  -> {report.summary()}")
