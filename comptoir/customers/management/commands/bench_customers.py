"""Benchmark of the customer pages at 100,000 accounts and 1,000 agreements.

Build once, then measure as often as needed (on a quiet machine, say):
    export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=... COMPTOIR_SQLITE_PATH=/tmp/bench-customers.sqlite3
    python manage.py migrate && python manage.py bench_customers     # builds, then measures
    python manage.py bench_customers --reuse                         # measures what was built

It builds the organisation and its customers with `demo --scale` (9,500 people give 100,000
accounts and 1,000 agreements), then times each page with `comptoir.core.bench` through the whole
Django stack as the person who uses it: queries, SQL time, median and p95 wall time, CPU time. The
issue's bar: a fixed number of queries and a median under 20 ms on SQLite for the account list,
"my accounts" and an agreement page.
"""

from __future__ import annotations

import io
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client

from comptoir.core.bench import HEADER, served_as_in_production, time_page


class Command(BaseCommand):
    help = "Build 100,000 accounts and 1,000 agreements, then time the customer pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=9500, help="demo scale (9,500 people: 100,000 accounts)"
        )
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--reuse", action="store_true", help="measure a database a previous run built")

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
            raise CommandError(
                "Run the benchmark on an empty database (set COMPTOIR_SQLITE_PATH or DATABASE_URL)."
            )
        else:
            out = io.StringIO()
            started = time.perf_counter()
            call_command("demo", "--only", "org", "customers", "--scale", str(people), stdout=out)
            total = time.perf_counter() - started
            customers_part = next(
                (ln for ln in out.getvalue().splitlines() if ln.strip().startswith("customers:")), ""
            )
            self.stdout.write(f"demo --scale {people}: {total:.1f} s in all, {customers_part.strip()}")
        self.stdout.write(
            "Data: "
            f"{Account.objects.count()} accounts, {FrameworkAgreement.objects.count()} agreements, "
            f"{AgreementSite.objects.count()} sites"
        )
        hq = User.objects.filter(role__code="hq").order_by("id").first()
        director = User.objects.filter(role__code="director").order_by("id").first()
        rep = (
            User.objects.filter(role__code="rep")
            .annotate(n=Count("owned_accounts"))
            .order_by("-n", "id")
            .first()
        )
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
        some_account = (
            Account.objects.filter(owner=rep, agreement_sites__isnull=False).first()
            or Account.objects.filter(owner=rep).first()
        )
        assert some_account is not None
        # A word that names one account in 100,000: its CRM id (the search an agent types most).
        rare = some_account.external_id or some_account.name
        pages = [
            (hq, "account list, HQ (all accounts), first page", "/customers/"),
            (hq, "account list, HQ, page 101 (keyset)", f"/customers/?after={cursor}"),
            (
                hq,
                "account list, HQ, filtered by unit and status",
                f"/customers/?unit={rep.unit_id}&status=active",
            ),
            (hq, f"account list, HQ, search '{rare}'", f"/customers/?q={rare}"),
            (hq, "account list, HQ, search 'brasserie lyon'", "/customers/?q=brasserie+lyon"),
            (director, "account list, director (their organisation)", "/customers/"),
            (rep, f"my accounts, rep ({own} accounts)", "/customers/mine/"),
            (rep, "account list, rep (their team's)", "/customers/"),
            (rep, "account page, rep", f"/customers/{some_account.pk}/"),
            (kam, "agreement list, KAM", "/customers/agreements/"),
            (hq, "agreement list, HQ (1,000 agreements)", "/customers/agreements/"),
            (kam, f"agreement page, KAM ({biggest.n} sites)", f"/customers/agreements/{biggest.pk}/"),  # type: ignore[attr-defined]
            (hq, "API account list, HQ", "/api/customers/accounts"),
        ]
        self.stdout.write(f"Pages ({runs} requests each, after 3 warm-up requests):")
        self.stdout.write(HEADER)
        with served_as_in_production():
            for person, label, url in pages:
                self.stdout.write(time_page(clients[person.pk], url, label=label, runs=runs).row())
