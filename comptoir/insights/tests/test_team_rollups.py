"""The per-team roll-ups: maintained incrementally they equal a full recomputation, and the pages of head
office, a director and a manager read from them the figures a person-by-person count gives."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import pytest

from comptoir.core import clock
from comptoir.feed.models import Post, Reaction
from comptoir.insights import attention, rollups, selectors
from comptoir.insights.access import insights_scope_for
from comptoir.insights.models import PeriodActivity, PostAttention, TeamAttention
from comptoir.insights.stats import median
from comptoir.insights.tests.conftest import at
from comptoir.org.models import User
from comptoir.org.testing import make_person

SIX_MINUTES = dt.timedelta(minutes=6)  # the delays are kept to six minutes: the tests stay on that grid


def authors(cast: Any) -> list[User]:
    return list(User.objects.filter(manager__isnull=False).exclude(pk=cast.hq.pk).order_by("id"))


def write_posts(
    rng: random.Random, people: list[User], first: dt.datetime, days: int, count: int
) -> list[Post]:
    posts = []
    for _i in range(count):
        author = rng.choice(people)
        moment = first + rng.randrange(days * 240) * SIX_MINUTES
        posts.append(
            Post.objects.create(
                author=author, author_team=author.team, body="Pratique", created_at=moment, updated_at=moment
            )
        )
    return posts


def react(rng: random.Random, posts: list[Post], cast: Any) -> None:
    """The author's manager or director reacts to about half the posts, a colleague to some."""
    for p in posts:
        above = [p.author.manager, p.author.manager.manager if p.author.manager else None]
        for person in [x for x in above if x is not None] + [cast.teammate]:
            if person.pk != p.author_id and rng.random() < 0.5:
                moment = p.created_at + rng.randrange(1, 600) * SIX_MINUTES
                Reaction.objects.get_or_create(post=p, person=person, defaults={"created_at": moment})


def team_rows() -> list[tuple[Any, ...]]:
    return sorted(
        TeamAttention.objects.values_list("week", "team_key", "unit_key", "posts", "reached", "hours")
    )


def test_the_team_roll_up_kept_up_day_by_day_equals_a_full_recomputation(company: Any) -> None:
    cast, rng = company, random.Random(8)
    people = authors(cast)
    early = write_posts(rng, people, at("2026-06-01"), 150, 60)
    react(rng, early, cast)
    with clock.frozen(at("2026-11-01")):
        attention.attention_rebuild(at("2026-01-01"))
    late = write_posts(rng, people, at("2026-11-01"), 18, 25)
    react(rng, late + [p for p in early if p.created_at >= at("2026-09-15")], cast)
    with clock.frozen(at("2026-11-20")):
        rollups.rollup_all()
    kept_up = team_rows()

    TeamAttention.objects.all().delete()
    PostAttention.objects.all().delete()
    with clock.frozen(at("2026-11-20")):
        attention.attention_rebuild(at("2026-01-01"))
    assert team_rows() == kept_up
    assert sum(row[3] for row in kept_up) == 85
    assert len({row[1] for row in kept_up}) == 4  # the three field teams, and "no team"


def by_hand(scope_people: set[int], first: dt.date) -> dict[int, tuple[int, int, float | None]]:
    """Per team: posts, reached, median delay, counted post by post for the given authors."""
    since = at(first.isoformat(), 0)
    hours: dict[int, list[float | None]] = defaultdict(list)
    for team, delay in PostAttention.objects.filter(
        author_id__in=scope_people, posted_at__gte=since
    ).values_list("team_key", "hours"):
        hours[team].append(delay)
    return {
        team: (len(ds), sum(d is not None for d in ds), median([d for d in ds if d is not None]))
        for team, ds in hours.items()
    }


@pytest.mark.parametrize("who", ["hq", "director", "manager", "manager_trade"])
def test_the_attention_page_reads_from_the_roll_up_what_a_post_by_post_count_gives(
    company: Any, who: str
) -> None:
    cast, rng = company, random.Random(3)
    posts = write_posts(rng, [*authors(cast), cast.manager], at("2026-09-01"), 70, 80)
    react(rng, posts, cast)
    viewer = getattr(cast, who)
    with clock.frozen(at("2026-11-10")):
        attention.attention_rebuild(at("2026-01-01"))
        scope = insights_scope_for(viewer)
        result = attention.attention_overview(scope)
    people = set(User.objects.values_list("id", flat=True)) if scope.everyone else set(scope.people)
    expected = by_hand(people, result.first_day)
    got = {t.key: (t.reached.whole, t.reached.part, t.median_hours) for t in result.teams}
    assert got.keys() == expected.keys() and got
    for team, (posts_n, reached, middle) in expected.items():
        assert got[team][:2] == (posts_n, reached)
        assert got[team][2] == pytest.approx(middle)
    if who == "manager":
        assert set(got) == {
            cast.team.pk,
            0,
        }  # their team (without their own posts) and their report without one


@pytest.mark.parametrize("who", ["director", "manager"])
@pytest.mark.parametrize("by", ["team", "role"])
def test_the_activity_by_team_reads_from_the_roll_up_what_a_person_by_person_count_gives(
    company: Any, active_on: Any, who: str, by: str
) -> None:
    cast, rng = company, random.Random(6)
    for person in User.objects.all():
        for day in range(30):
            if rng.random() < 0.3:
                active_on(person, (dt.date(2026, 10, 12) + dt.timedelta(days=day)).isoformat())
    with clock.frozen(at("2026-11-10")):
        rollups.periods_rebuild(dt.date(2026, 9, 1))
        scope = insights_scope_for(getattr(cast, who))
        trend = selectors.activity_trend(scope, kind="w", count=6, by=by)
    key = selectors.DIMENSIONS[by]
    for figure in trend:
        rows = PeriodActivity.objects.filter(kind="w", start=figure.start, user_id__in=scope.people)
        expected: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
        for group, days in rows.values_list(key, "active_days"):
            expected[group] = (expected[group][0] + (days > 0), expected[group][1] + 1)
        assert {g: (s.part, s.whole) for g, s in figure.groups.items()} == dict(expected)
    assert scope.teams == {cast.team.pk} and cast.manager.pk not in scope.loose


@pytest.mark.parametrize("url", ["/insights/attention/", "/insights/?by=team", "/api/insights/attention"])
def test_a_manager_s_page_costs_the_same_when_their_team_grows(
    company: Any, login: Any, url: str, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast, rng = company, random.Random(2)
    react(rng, write_posts(rng, authors(cast), at("2026-10-01"), 30, 20), cast)
    with clock.frozen(at("2026-11-10")):
        rollups.rollup_all()
        client = login(cast.manager)
        client.get(url)  # the day's visit is recorded by the first request
        with CaptureQueriesContext(connection) as before:
            assert client.get(url).status_code == 200
        grown = [
            make_person(
                role=cast.roles["rep"],
                unit=cast.team.unit,
                region=cast.team.region,
                team=cast.team,
                manager=cast.manager,
                first_name=f"Nouveau{i}",
                date_joined=at("2026-01-05"),
            )
            for i in range(25)
        ]
        react(rng, write_posts(rng, grown, at("2026-10-01"), 30, 40), cast)
        rollups.rollup_all()
        with django_assert_num_queries(len(before.captured_queries)):
            assert client.get(url).status_code == 200
