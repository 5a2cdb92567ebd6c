"""Benchmark of the customer pages at 100,000 accounts and 1,000 agreements.

Run it on an empty database, e.g.:
    DJANGO_DEBUG=0 COMPTOIR_SQLITE_PATH=/tmp/bench-customers.sqlite3 python manage.py migrate
    DJANGO_DEBUG=0 COMPTOIR_SQLITE_PATH=/tmp/bench-customers.sqlite3 python manage.py bench_customers

It builds the organisation and its customers with `demo --scale` (9,500 people give 100,000
accounts and 1,000 agreements), then requests each page through the whole Django stack
(middleware, session, templates) as the person who uses it, and prints the median and 95th
percentile server time and the number of SQL queries. The issue's bar: a fixed number of queries
and a median under 20 ms on SQLite for the account list, "my accounts" and an agreement page.
"""

from __future__ import annotations

import io
import statistics
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client


class Command(BaseCommand):
    help = "Build 100,000 accounts and 1,000 agreements, then time the customer pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=9500, help="demo scale (9,500 people: 100,000 accounts)")
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--reuse", action="store_true", help="measure a database a previous run built")

    def measure(self, client: Client, label: str, url: str, runs: int) -> None:
        for _warm in range(3):
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        queries: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        # A wrapper, not CaptureQueriesContext: the request closes and reopens the connection.
        with connection.execute_wrapper(count):
            client.get(url)
        times, cpu = [], []
        for _run in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        # Wall time is the server time a person waits; CPU time is this process's own work, the
        # figure to compare when other programs share the machine's cores (wall time then counts
        # the time spent waiting for a core).
        self.stdout.write(
            f"{label:<52} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
            f"CPU median {statistics.median(cpu):6.1f} ms  {len(queries):3d} queries"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from comptoir.customers.models import Account, AgreementSite, FrameworkAgreement
        from comptoir.customers.selectors import account_list
        from comptoir.org.models import User

        people, runs = options["people"], options["runs"]
        self.stdout.write(f"Database: {connection.vendor}")
        if options["reuse"]:
            if not Account.objects.exists():
                raise CommandError("--reuse: this database holds no accounts.")
        elif User.objects.exists():
            raise CommandError("Run the benchmark on an empty database (set COMPTOIR_SQLITE_PATH or DATABASE_URL).")
        else:
            out = io.StringIO()
            started = time.perf_counter()
            call_command("demo", "--only", "org", "customers", "--scale", str(people), stdout=out)
            total = time.perf_counter() - started
            customers_part = next((ln for ln in out.getvalue().splitlines() if ln.strip().startswith("customers:")), "")
            self.stdout.write(f"demo --scale {people}: {total:.1f} s in all, {customers_part.strip()}")
        self.stdout.write(
            "Data: "
            f"{Account.objects.count()} accounts, {FrameworkAgreement.objects.count()} agreements, "
            f"{AgreementSite.objects.count()} sites"
        )
        hq = User.objects.filter(role__code="hq").order_by("id").first()
        director = User.objects.filter(role__code="director").order_by("id").first()
        rep = User.objects.filter(role__code="rep").annotate(n=Count("owned_accounts")).order_by("-n", "id").first()
        kam = User.objects.filter(role__code="kam").order_by("id").first()
        if not (hq and director and rep and kam):
            raise CommandError("The demo did not build the people the benchmark needs.")
        biggest = (
            FrameworkAgreement.objects.filter(kam=kam).annotate(n=Count("sites")).order_by("-n", "id").first()
        )
        assert biggest is not None
        cursor = None
        for _page in range(100):
            cursor = account_list(viewer=hq, cursor=cursor).next_cursor
        clients = {}
        for person in (hq, director, rep, kam):
            client = Client(SERVER_NAME="localhost")
            client.force_login(person)
            clients[person.pk] = client
        own = Account.objects.filter(owner=rep).count()
        self.stdout.write(f"Pages ({runs} requests each, after 3 warm-up requests):")
        self.measure(clients[hq.pk], "account list, HQ (all accounts), first page", "/customers/", runs)
        self.measure(clients[hq.pk], "account list, HQ, page 101 (keyset)", f"/customers/?after={cursor}", runs)
        self.measure(clients[hq.pk], "account list, HQ, filtered by unit and status", f"/customers/?unit={rep.unit_id}&status=active", runs)
        self.measure(clients[director.pk], "account list, director (their organisation)", "/customers/", runs)
        self.measure(clients[rep.pk], f"my accounts, rep ({own} accounts)", "/customers/mine/", runs)
        self.measure(clients[rep.pk], "account list, rep (their team's)", "/customers/", runs)
        some_account = Account.objects.filter(owner=rep, agreement_sites__isnull=False).first() or Account.objects.filter(owner=rep).first()
        assert some_account is not None
        self.measure(clients[rep.pk], "account page, rep", f"/customers/{some_account.pk}/", runs)
        self.measure(clients[kam.pk], "agreement list, KAM", "/customers/agreements/", runs)
        self.measure(clients[hq.pk], "agreement list, HQ (1,000 agreements)", "/customers/agreements/", runs)
        self.measure(
            clients[kam.pk], f"agreement page, KAM ({biggest.n} sites)", f"/customers/agreements/{biggest.pk}/", runs  # type: ignore[attr-defined]
        )
        self.measure(clients[hq.pk], "API account list, HQ", "/api/customers/accounts", runs)
