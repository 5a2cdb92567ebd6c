"""Benchmark of the closed loop at scale: `manage.py bench_actions --actions 1000000 [--reuse]`.

Fills the database up to N actions (spread over the existing reps; build the organisation first with
`manage.py demo --scale N --only org`), rebuilds the roll-up, then times each page through the whole
Django stack with `comptoir.core.bench`: a rep's "my actions", a manager's team view, customer
relations' list (unfiltered and filtered), the same lists in the API, and the closed-loop metrics.
`--reuse` measures the database as it is, without adding a row (a re-measure on a quiet machine).

The fill drops the action table's secondary indexes, loads the rows in creation order (SQLite:
executemany in large batches; PostgreSQL: COPY), then builds the indexes once: a million rows take
minutes instead of half an hour of index page splits.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from comptoir.actions import rollups
from comptoir.actions.models import Action, ActionKind
from comptoir.core.bench import HEADER, served_as_in_production, time_page
from comptoir.core.progress import ProgressBar
from comptoir.org.models import User

COLUMNS = (
    "author_id", "assignee_id", "team_id", "to_team", "unit_id", "region_id", "kind_id", "priority", "title",
    "description", "due_on", "status", "resolution_note", "cancel_reason", "created_at", "updated_at",
    "first_response_at", "closed_at",
)  # fmt: skip
BATCH = 20_000
SPAN_SECONDS = 3 * 365 * 86400


def action_rows(
    count: int,
    reps: list[dict[str, Any]],
    agent_id: int,
    kinds: list[int],
    rng: random.Random,
    now: dt.datetime,
) -> Iterator[tuple[Any, ...]]:
    """`count` actions over three years, oldest first (ids follow time, as in real life): nearly all
    of the old ones closed, half of the last month's still open."""
    offsets = sorted((rng.uniform(0, SPAN_SECONDS) for _i in range(count)), reverse=True)
    for offset in offsets:
        rep = rng.choice(reps)
        created = now - dt.timedelta(seconds=offset)
        closed = rng.random() < (0.97 if offset > 30 * 86400 else 0.5)
        first = created + dt.timedelta(hours=rng.uniform(0.5, 72))
        closed_at = first + dt.timedelta(hours=rng.uniform(1, 200)) if closed else None
        if closed_at and closed_at > now:
            closed_at, closed = None, False
        status = (
            ("done" if rng.random() < 0.93 else "cancelled")
            if closed
            else rng.choice(["open", "in_progress"])
        )
        answered = (closed or rng.random() < 0.5) and first < now
        yield (
            agent_id, rep["id"], rep["team_id"], False, rep["unit_id"], rep["region_id"], rng.choice(kinds), 2,
            "Rappeler le client", "", created.date() + dt.timedelta(days=rng.choice([2, 3, 5, 7])), status,
            "Client rappelé, problème réglé." if status == "done" else "", "Doublon." if status == "cancelled" else "",
            created, closed_at or created, first if answered else None, closed_at,
        )  # fmt: skip


class Command(BaseCommand):
    help = "Fill up to N actions and time the closed-loop pages (queries, SQL, median, p95 and CPU time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actions", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=40)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--reuse", action="store_true", help="measure the database as it is, add nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        reps: list[dict[str, Any]] = [
            dict(row)
            for row in User.objects.filter(role__code="rep", is_active=True)
            .exclude(team=None)
            .order_by("id")
            .values("id", "team_id", "unit_id", "region_id")
        ]
        agent = User.objects.filter(role__code="cr_agent", is_active=True).order_by("id").first()
        if not reps or agent is None:
            raise CommandError("Build the organisation first: manage.py demo --scale N --only org.")
        total = Action.objects.count()
        if options["reuse"]:
            if not total:
                raise CommandError("--reuse: the database holds no action; run without --reuse to fill it.")
        elif options["actions"] > total:
            started = time.monotonic()
            self.fill(options["actions"] - total, reps, agent.pk, random.Random(options["seed"]))
            self.stdout.write(f"filled in {time.monotonic() - started:.1f}s")
            started = time.monotonic()
            rollups.rebuild()
            self.stdout.write(f"roll-up rebuilt in {time.monotonic() - started:.1f}s")
            total = Action.objects.count()
        self.measure(total, reps, agent, runs=options["runs"])

    def measure(self, total: int, reps: list[dict[str, Any]], agent: User, *, runs: int) -> None:
        # The rep with the most open actions, and their manager: the worst case, not a lucky one.
        busiest = (
            Action.objects.filter(status__in=["open", "in_progress"])
            .values("assignee_id")
            .annotate(n=Count("id"))
            .order_by("-n", "assignee_id")
            .first()
        )
        rep = User.objects.get(pk=busiest["assignee_id"] if busiest else reps[0]["id"])
        manager = rep.manager or rep
        unit = rep.unit_id
        vendor = connection.vendor
        self.stdout.write(
            f"\n{total:,} actions ({vendor}); rep {rep.email}, manager {manager.email}, agent {agent.email}\n"
        )
        pages = [
            ("rep: my actions", rep, "/actions/?tab=mine"),
            ("manager: team view", manager, "/actions/?tab=team"),
            ("customer relations: all actions", agent, "/actions/?tab=all"),
            ("customer relations: open, one unit, overdue", agent, f"/actions/?tab=all&status=open_any&unit={unit}&overdue=on"),
            ("customer relations: posted this week", agent, "/actions/?tab=all&age=7"),
            ("API: my actions", rep, "/api/actions/?view=mine"),
            ("API: all actions, done", agent, "/api/actions/?view=all&status=done"),
            ("closed-loop metrics page", agent, "/actions/metrics/"),
            ("closed-loop metrics page, one unit", agent, f"/actions/metrics/?unit={unit}"),
            ("API: closed-loop metrics", agent, "/api/actions/metrics"),
        ]  # fmt: skip
        self.stdout.write(HEADER)
        with served_as_in_production():
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
                self.stdout.write(time_page(client, url, label=label, runs=runs).row())

    def fill(self, count: int, reps: list[dict[str, Any]], agent_id: int, rng: random.Random) -> None:
        kinds = list(ActionKind.objects.order_by("id").values_list("id", flat=True))
        rows = action_rows(count, reps, agent_id, kinds, rng, timezone.now())
        bar = ProgressBar("Actions", count, stream=self.stdout)
        indexes = Action._meta.indexes
        with connection.schema_editor() as editor:
            for index in indexes:
                editor.remove_index(Action, index)
        try:
            if connection.vendor == "postgresql":
                self.copy_rows(rows, count, bar)
            else:
                self.insert_rows(rows, count, bar)
        finally:
            bar.finish()
            started = time.monotonic()
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.add_index(Action, index)
            self.stdout.write(f"{len(indexes)} indexes built in {time.monotonic() - started:.1f}s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {Action._meta.db_table}")

    def insert_rows(self, rows: Iterator[tuple[Any, ...]], count: int, bar: ProgressBar) -> None:
        table = Action._meta.db_table
        sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
        adapt, adapt_date = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
        done = 0
        while batch := [list(row) for row in itertools.islice(rows, BATCH)]:
            for row in batch:
                row[10] = adapt_date(row[10])
                row[14:18] = [adapt(value) for value in row[14:18]]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            done += len(batch)
            bar.update(done)

    def copy_rows(self, rows: Iterator[tuple[Any, ...]], count: int, bar: ProgressBar) -> None:
        table = Action._meta.db_table
        done = 0
        sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        # psycopg's COPY: rows stream to the server without one statement per row.
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
                if done % BATCH == 0:
                    bar.update(done)
        bar.update(done)
