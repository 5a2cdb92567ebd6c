"""Benchmark of the engagement insights at scale: `manage.py bench_insights --people 10000 --days 365`.

Builds a synthetic organisation of N people (teams of ~10 with their manager, a director per unit and
region) and a year of activity (daily roll-ups, posts, likes from colleagues and from above,
recommendations), rebuilds the roll-ups, then times every insights page through the full Django stack
(median and p95 of --runs requests, queries per page) for HQ, a director and a manager. Finally it
builds the weekly digest for --digest people and hands it to an SMTP server on loopback, and
extrapolates that time to the whole organisation (said as such).

Run it on an empty database (it refuses to mix with another organisation):
    COMPTOIR_SQLITE_PATH=/tmp/bench.sqlite3 manage.py migrate && ... manage.py bench_insights
"""

from __future__ import annotations

import datetime as dt
import random
import socket
import statistics
import threading
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from comptoir.core.progress import ProgressBar
from comptoir.feed.models import Post, Reaction, Recommendation
from comptoir.insights import attention, rollups
from comptoir.insights.digest.sending import digest_run
from comptoir.insights.models import (
    DailyActivity,
    DigestDelivery,
    DigestPreference,
    DigestRun,
    PeriodActivity,
)
from comptoir.org.demo import ensure_reference_data
from comptoir.org.models import Team, User

TEAM_SIZE = 10


class Command(BaseCommand):
    help = "Fill N people and a year of activity, then time the insights pages and the digest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--digest", type=int, default=1000, help="How many digests to build and send.")
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        started = time.monotonic()
        if not User.objects.filter(email__endswith="@bench.comptoir").exists():
            if User.objects.exists():
                raise CommandError(
                    "Run the benchmark on an empty database (COMPTOIR_SQLITE_PATH=/tmp/bench.sqlite3)."
                )
            self.build(options["people"], options["days"], rng)
        self.stdout.write(f"data ready in {time.monotonic() - started:.0f}s")
        self.report_sizes()
        self.time_pages(options["runs"])
        self.time_digest(options["digest"])

    # --- Data -----------------------------------------------------------------------------------------

    def build(self, people: int, days: int, rng: random.Random) -> None:
        units, regions, roles = ensure_reference_data()
        business = [units["horeca"], units["trade"], units["office"]]
        region_list = list(regions.values())
        password = make_password(None)
        now = timezone.now()
        joined = now - dt.timedelta(days=days + 30)
        # Directors (one per unit x region), then a manager per team of TEAM_SIZE.
        directors = {}
        for unit in business:
            for region in region_list:
                directors[(unit.pk, region.pk)] = User(
                    email=f"director.{unit.code}.{region.code}@bench.comptoir",
                    first_name="Dir",
                    last_name=f"{unit.code} {region.code}",
                    role=roles["director"],
                    unit=unit,
                    region=region,
                    password=password,
                    date_joined=joined,
                )
        User.objects.bulk_create(directors.values())
        hq = User.objects.create(
            email="hq@bench.comptoir",
            first_name="Hugo",
            last_name="Siège",
            role=roles["hq"],
            unit=units["hq"],
            password=password,
            date_joined=joined,
        )
        teams_needed = max(1, (people - len(directors) - 1) // (TEAM_SIZE + 1))
        managers, teams = [], []
        for i in range(teams_needed):
            unit, region = business[i % 3], region_list[(i // 3) % len(region_list)]
            managers.append(
                User(
                    email=f"manager{i}@bench.comptoir",
                    first_name="Manager",
                    last_name=str(i),
                    role=roles["manager"],
                    unit=unit,
                    region=region,
                    manager=directors[(unit.pk, region.pk)],
                    password=password,
                    date_joined=joined,
                )
            )
        User.objects.bulk_create(managers, batch_size=2000)
        for i, manager in enumerate(managers):
            teams.append(Team(name=f"Équipe {i}", unit=manager.unit, region=manager.region, manager=manager))
        Team.objects.bulk_create(teams, batch_size=2000)
        reps = []
        left = people - len(directors) - 1 - len(managers)
        for i in range(left):
            team = teams[i % len(teams)]
            manager = managers[i % len(teams)]
            gone = rng.random() < 0.05
            reps.append(
                User(
                    email=f"rep{i}@bench.comptoir",
                    first_name="Rep",
                    last_name=str(i),
                    role=roles["rep"],
                    unit=team.unit,
                    region=team.region,
                    team=team,
                    manager=manager,
                    password=password,
                    date_joined=joined + dt.timedelta(days=rng.randrange(0, days // 2))
                    if rng.random() < 0.1
                    else joined,
                    is_active=not gone,
                    deactivated_at=now - dt.timedelta(days=rng.randrange(1, days)) if gone else None,
                )
            )
        User.objects.bulk_create(reps, batch_size=2000)
        for manager, team in zip(managers, teams, strict=True):
            manager.team = team
        User.objects.bulk_update(managers, ["team"], batch_size=2000)
        rollups.spans_reconcile(now - dt.timedelta(days=days + 30))
        self.fill_activity(days, rng)
        self.fill_feed(days, rng, hq)
        began = time.monotonic()
        first = timezone.localdate(now) - dt.timedelta(days=days)
        rollups.periods_rebuild(first)
        self.stdout.write(f"weeks and months rolled up in {time.monotonic() - began:.0f}s")
        began = time.monotonic()
        attention.attention_rebuild(now - dt.timedelta(days=days))
        self.stdout.write(f"hierarchy's attention rolled up in {time.monotonic() - began:.0f}s")

    def fill_activity(self, days: int, rng: random.Random) -> None:
        people = list(User.objects.values_list("id", flat=True))
        today = timezone.localdate()
        table = DailyActivity._meta.db_table
        columns = ["user_id", "day", "visited", "posts", "comments", "reactions", "quizzes", "actions_closed"]
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        bar = ProgressBar("Daily activity", len(people), stream=self.stdout)
        rows: list[tuple[Any, ...]] = []
        adapt = connection.ops.adapt_datefield_value
        for n, person in enumerate(people, 1):
            keen = rng.betavariate(1.2, 2.0)  # most people now and then, a few every day
            for back in range(days):
                day = today - dt.timedelta(days=back)
                if day.weekday() >= 5 or rng.random() > keen:
                    continue
                rows.append(
                    (
                        person,
                        adapt(day),
                        True,
                        int(rng.random() < keen * 0.1),
                        int(rng.random() < keen * 0.2),
                        int(rng.random() < keen * 0.5),
                        int(rng.random() < 0.02),
                        0,
                    )
                )
            if len(rows) > 50_000 or n == len(people):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(sql, rows)
                rows = []
                bar.update(n)
        bar.finish()

    def fill_feed(self, days: int, rng: random.Random, hq: User) -> None:
        now = timezone.now()
        authors = list(User.objects.filter(role__code="rep").values_list("id", "team_id", "manager_id"))
        posts = []
        for _i in range(len(authors) * days // 70):  # a post per rep every ten weeks or so
            author, team, _manager = rng.choice(authors)
            at = now - dt.timedelta(seconds=rng.uniform(0, days * 86400))
            posts.append(
                Post(
                    author_id=author,
                    author_team_id=team,
                    body="Une pratique",
                    created_at=at,
                    updated_at=at,
                    like_count=0,
                )
            )
        Post.objects.bulk_create(posts, batch_size=5000)
        by_id = {a[0]: a for a in authors}
        everyone = [a[0] for a in authors]
        reactions = []
        for post in posts:
            manager = by_id[post.author_id][2]
            seen = {post.author_id}
            if manager and rng.random() < 0.55:
                reactions.append(
                    Reaction(
                        post_id=post.pk,
                        person_id=manager,
                        created_at=post.created_at + dt.timedelta(hours=rng.expovariate(1 / 30)),
                    )
                )
                seen.add(manager)
            for _j in range(rng.randrange(0, 5)):
                person = rng.choice(everyone)
                if person not in seen:
                    seen.add(person)
                    reactions.append(
                        Reaction(
                            post_id=post.pk,
                            person_id=person,
                            created_at=post.created_at + dt.timedelta(hours=rng.uniform(0, 96)),
                        )
                    )
        Reaction.objects.bulk_create(reactions, batch_size=5000)
        hq_team = Team.objects.create(name="Siège — marketing", unit=hq.unit, manager=hq)  # type: ignore[misc]
        recos = []
        for post in rng.sample(posts, min(len(posts), max(1, len(posts) // 50))):
            answered = post.created_at + dt.timedelta(days=rng.uniform(1, 30)) if rng.random() < 0.8 else None
            status = rng.choice(["adopted", "planned", "declined"]) if answered else "received"
            recos.append(
                Recommendation(
                    post_id=post.pk,
                    title="Idée",
                    hq_team=hq_team,
                    raised_by_id=post.author_id,
                    status=status,
                    created_at=post.created_at,
                    status_changed_at=answered or post.created_at,
                    answered_at=answered,
                )
            )
        Recommendation.objects.bulk_create(recos, batch_size=5000)
        self.stdout.write(f"{len(posts):,} posts, {len(reactions):,} likes, {len(recos):,} recommendations")

    def report_sizes(self) -> None:
        self.stdout.write(
            f"{User.objects.count():,} people; {DailyActivity.objects.count():,} person-days; "
            f"{PeriodActivity.objects.count():,} person-periods; {Post.objects.count():,} posts"
        )

    # --- Pages -------------------------------------------------------------------------------------------

    def time_pages(self, runs: int) -> None:
        hq = User.objects.filter(role__code="hq").order_by("id").first()
        director = User.objects.filter(role__code="director").order_by("id").first()
        manager = User.objects.filter(role__code="manager").order_by("id").first()
        if hq is None or director is None or manager is None:
            raise CommandError("No HQ, director or manager to read the pages as.")
        pages = [
            "/insights/",
            "/insights/?by=team",
            "/insights/participation/",
            "/insights/attention/",
            "/insights/recommendations/",
            "/api/insights/activity",
            "/api/insights/attention",
        ]
        # Wall time is what a person waits; CPU time (this process, SQLite included) is what the page
        # costs when the machine is shared with other work, as it is on a busy CI or laptop.
        self.stdout.write(
            f"\n{'who':<9} {'page':<30} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'median CPU ms':>14}"
        )
        with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
            for label, user in (("HQ", hq), ("director", director), ("manager", manager)):
                client = Client()
                client.force_login(user)
                for url in pages:
                    client.get(url)  # the day's visit, the templates
                    reset_queries()
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(url)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code} to {label}")
                    timings, cpu = [], []
                    for _i in range(runs):
                        began, began_cpu = time.perf_counter(), time.process_time()
                        client.get(url)
                        timings.append((time.perf_counter() - began) * 1000)
                        cpu.append((time.process_time() - began_cpu) * 1000)
                    timings.sort()
                    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
                    self.stdout.write(
                        f"{label:<9} {url:<30} {len(queries.captured_queries):>7} {statistics.median(timings):>10.1f} {p95:>8.1f}"
                        f" {statistics.median(cpu):>14.1f}"
                    )

    # --- The digest --------------------------------------------------------------------------------------

    def time_digest(self, count: int) -> None:
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
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        day = timezone.localdate()
        everyone = User.objects.filter(is_active=True).count()
        chosen = set(User.objects.filter(is_active=True).order_by("?").values_list("id", flat=True)[:count])
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
        DigestDelivery.objects.filter(week=rollups.week_start(day)).delete()
        DigestRun.objects.filter(day=day).delete()
        try:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
            ):
                began, began_cpu = time.monotonic(), time.process_time()
                run = digest_run(day, batch_size=200)
                elapsed, elapsed_cpu = time.monotonic() - began, time.process_time() - began_cpu
        finally:
            time.sleep(0.5)
            controller.stop()
        per = elapsed / max(run.sent + run.failed, 1)
        per_cpu = elapsed_cpu / max(run.sent + run.failed, 1)
        self.stdout.write(
            f"\ndigest: {run.sent} sent, {run.failed} failed, {run.total - run.sent - run.failed} with nothing to say, "
            f"{received[0]} received by the SMTP server, in {elapsed:.1f}s ({1000 * per:.1f} ms each, {run.batches} batches)"
        )
        self.stdout.write(
            f"extrapolated (not run) to the {everyone:,} active people at this rate: {per * everyone / 60:.1f} min on one worker "
            f"(CPU {1000 * per_cpu:.1f} ms each, the SMTP server's thread included: {per_cpu * everyone / 60:.1f} min)"
        )
