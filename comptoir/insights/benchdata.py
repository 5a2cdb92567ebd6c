"""The synthetic company `bench_insights` measures: N people and a year of activity, filled in bulk.

Teams of ~10 with their manager, a director per unit and region, one head office person; daily activity
rows written straight to the roll-up table (one multi-row INSERT per 50,000 rows), posts, likes from
colleagues and from above, recommendations; then the weekly, monthly and per-team roll-ups.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import OutputWrapper
from django.db import connection, transaction
from django.utils import timezone

from comptoir.core.progress import ProgressBar
from comptoir.feed.models import Post, Reaction, Recommendation
from comptoir.insights import attention, rollups
from comptoir.insights.models import DailyActivity
from comptoir.org.demo import ensure_reference_data
from comptoir.org.models import Team, User

TEAM_SIZE = 10


def build(people: int, days: int, rng: random.Random, out: OutputWrapper) -> None:
    """N people in teams of ~10 with their manager, a director per unit and region, and `days` of activity."""
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
    fill_activity(days, rng, out)
    fill_feed(days, rng, hq, out)
    began = time.monotonic()
    first = timezone.localdate(now) - dt.timedelta(days=days)
    rollups.periods_rebuild(first)
    out.write(f"weeks and months rolled up in {time.monotonic() - began:.0f}s")
    began = time.monotonic()
    attention.attention_rebuild(now - dt.timedelta(days=days))
    out.write(f"hierarchy's attention rolled up in {time.monotonic() - began:.0f}s")


def fill_activity(days: int, rng: random.Random, out: OutputWrapper) -> None:
    people = list(User.objects.values_list("id", flat=True))
    today = timezone.localdate()
    table = DailyActivity._meta.db_table
    columns = ["user_id", "day", "visited", "posts", "comments", "reactions", "quizzes", "actions_closed"]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    bar = ProgressBar("Daily activity", len(people), stream=out)
    rows: list[tuple[Any, ...]] = []
    adapt = connection.ops.adapt_datefield_value
    dates = [today - dt.timedelta(days=back) for back in range(days)]
    workdays = [adapt(date) for date in dates if date.weekday() < 5]
    for n, person in enumerate(people, 1):
        keen = rng.betavariate(1.2, 2.0)  # most people now and then, a few every day
        for day in workdays:
            if rng.random() > keen:
                continue
            rows.append(
                (
                    person,
                    day,
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


def fill_feed(days: int, rng: random.Random, hq: User, out: OutputWrapper) -> None:
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
    out.write(f"{len(posts):,} posts, {len(reactions):,} likes, {len(recos):,} recommendations")
