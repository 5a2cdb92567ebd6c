"""Benchmark of the closed loop at scale: `manage.py bench_actions --actions 1000000`.

Fills the database up to N actions (spread over the existing reps; build the organisation first with
`manage.py demo` or `demo --scale`), rebuilds the roll-up, then requests each page through the full
Django stack (middleware, session, template) and prints the number of SQL queries and the median
and 95th-percentile server time of: a rep's "my actions", a manager's team view, customer
relations' list (unfiltered and filtered), the same lists in the API, and the closed-loop metrics.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from comptoir.actions import rollups
from comptoir.actions.models import Action, ActionKind
from comptoir.core.progress import ProgressBar
from comptoir.org.models import User


class Command(BaseCommand):
    help = "Fill up to N actions and time the closed-loop pages (queries, median and p95 server time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actions", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=40)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        reps: list[dict[str, Any]] = [
            dict(row)
            for row in User.objects.filter(role__code="rep", is_active=True)
            .exclude(team=None)
            .values("id", "team_id", "unit_id", "region_id")
        ]
        agent = User.objects.filter(role__code="cr_agent", is_active=True).order_by("id").first()
        if not reps or agent is None:
            raise CommandError("Build the organisation first: manage.py demo (or demo --scale N).")
        missing = options["actions"] - Action.objects.count()
        if missing > 0:
            # Not logged even under DJANGO_DEBUG=1: a million inserts would fill memory for nothing.
            with override_settings(DEBUG=False):
                self.fill(missing, reps, agent.pk, random.Random(options["seed"]))
            started = time.monotonic()
            rollups.rebuild()
            self.stdout.write(f"roll-up rebuilt in {time.monotonic() - started:.1f}s")
        total = Action.objects.count()
        # The rep and the manager with the most open actions: the worst case, not a lucky one.
        busiest = (
            Action.objects.filter(status__in=["open", "in_progress"])
            .values("assignee_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        rep = User.objects.get(pk=busiest["assignee_id"]) if busiest else User.objects.get(pk=reps[0]["id"])
        manager = rep.manager or rep
        unit = rep.unit_id
        self.stdout.write(
            f"\n{total:,} actions; rep {rep.email}, manager {manager.email}, agent {agent.email}\n"
        )
        pages = [
            ("rep: my actions", rep, "/actions/?tab=mine"),
            ("manager: team view", manager, "/actions/?tab=team"),
            ("customer relations: all actions", agent, "/actions/?tab=all"),
            (
                "customer relations: open, one unit, overdue",
                agent,
                f"/actions/?tab=all&status=open_any&unit={unit}&overdue=on",
            ),
            ("customer relations: posted this week", agent, "/actions/?tab=all&age=7"),
            ("API: my actions", rep, "/api/actions/?view=mine"),
            ("API: all actions, done", agent, "/api/actions/?view=all&status=done"),
            ("closed-loop metrics page", agent, "/actions/metrics/"),
            ("closed-loop metrics page, one unit", agent, f"/actions/metrics/?unit={unit}"),
            ("API: closed-loop metrics", agent, "/api/actions/metrics"),
        ]
        self.stdout.write(
            f"{'page':<48} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'SQL ms':>7}"
        )
        with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
            # Page 2 of customer relations' list through the API, by its cursor (keyset, no OFFSET).
            client = Client()
            client.force_login(agent)
            cursor = client.get("/api/actions/?view=all&size=50").json()["next_cursor"]
            pages.append(
                (
                    "API: all actions, page 2 (cursor)",
                    agent,
                    f"/api/actions/?view=all&size=50&cursor={cursor}",
                )
            )
            for label, user, url in pages:
                client = Client()
                client.force_login(user)
                client.get(url)  # warm caches (templates, the session)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                # Count now: `captured_queries` slices the connection's query log when read, and
                # every request empties that log (request_started -> reset_queries), so reading it
                # after the timed runs below always gave 0.
                queries = len(captured.captured_queries)
                # SQL time of that request as the driver saw it: what grows with the table, if anything.
                sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                timings, cpu = [], []
                for _i in range(options["runs"]):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - cpu_started) * 1000)
                timings.sort()
                p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
                # CPU ms: this process's CPU time (with SQLite, the database work too; not with
                # PostgreSQL). On a shared machine the wall time also counts waiting for a core.
                self.stdout.write(
                    f"{label:<48} {queries:>7} {statistics.median(timings):>10.1f} {p95:>8.1f}"
                    f" {statistics.median(cpu):>7.1f} {sql_ms:>7.1f}"
                )

    def fill(self, count: int, reps: list[dict[str, Any]], agent_id: int, rng: random.Random) -> None:
        kinds = list(ActionKind.objects.values_list("id", flat=True))
        now = timezone.now()
        today = timezone.localdate(now)
        columns = [
            "author_id", "assignee_id", "team_id", "to_team", "unit_id", "region_id", "kind_id", "priority", "title",
            "description", "due_on", "status", "resolution_note", "cancel_reason", "created_at", "updated_at",
            "first_response_at", "closed_at",
        ]  # fmt: skip
        table = Action._meta.db_table
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        adapt = connection.ops.adapt_datetimefield_value
        adapt_date = connection.ops.adapt_datefield_value
        bar = ProgressBar("Actions", count, stream=self.stdout)
        done = 0
        span = 3 * 365 * 86400
        while done < count:
            rows = []
            for _i in range(min(20_000, count - done)):
                rep = rng.choice(reps)
                created = now - dt.timedelta(seconds=rng.uniform(0, span))
                age = (now - created).days
                closed = rng.random() < (0.97 if age > 30 else 0.5)
                first = created + dt.timedelta(hours=rng.uniform(0.5, 72))
                closed_at = first + dt.timedelta(hours=rng.uniform(1, 200)) if closed else None
                if closed_at and closed_at > now:
                    closed_at, closed = None, False
                status = (
                    ("done" if rng.random() < 0.93 else "cancelled")
                    if closed
                    else rng.choice(["open", "in_progress"])
                )
                rows.append(
                    (
                        agent_id,
                        rep["id"],
                        rep["team_id"],
                        False,
                        rep["unit_id"],
                        rep["region_id"],
                        rng.choice(kinds),
                        2,
                        "Rappeler le client",
                        "",
                        adapt_date(created.date() + dt.timedelta(days=rng.choice([2, 3, 5, 7]))),
                        status,
                        "Client rappelé, problème réglé." if status == "done" else "",
                        "Doublon." if status == "cancelled" else "",
                        adapt(created),
                        adapt(closed_at or created),
                        adapt(first if (closed or rng.random() < 0.5) and first < now else None),
                        adapt(closed_at),
                    )
                )
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            done += len(rows)
            bar.update(done)
        bar.finish()
        del today
