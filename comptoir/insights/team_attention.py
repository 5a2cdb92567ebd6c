"""The hierarchy's attention summed per week and team (`TeamAttention`), and the tallies the page reads.

The attention page of head office reads one row per team and week, and a manager's or director's
page the rows of their whole teams, however many people and posts those teams hold. Delays are kept
as a histogram in tenths of an hour, so tallies add up and their median stays exact to six minutes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from comptoir.insights.access import Scope
from comptoir.insights.models import PostAttention, TeamAttention, UnitAttention
from comptoir.insights.rollups import BATCH, week_start


def tenths(hours: float) -> int:
    return round(hours * 10)


@dataclass
class Tally:
    """Posts, those reached from above, and the histogram of the delays (tenths of an hour: posts)."""

    posts: int = 0
    reached: int = 0
    delays: Counter[int] = field(default_factory=Counter)

    def add(self, posts: int, reached: int, delays: dict[int, int], sign: int = 1) -> None:
        self.posts += sign * posts
        self.reached += sign * reached
        for key, count in delays.items():
            self.delays[key] += sign * count

    def merge(self, other: Tally) -> None:
        self.add(other.posts, other.reached, dict(other.delays))

    def median_hours(self) -> float | None:
        counted = sorted((key, n) for key, n in self.delays.items() if n > 0)
        total = sum(n for _key, n in counted)
        if not total:
            return None

        def nth(index: int) -> int:
            seen = 0
            for key, n in counted:
                seen += n
                if index < seen:
                    return key
            raise AssertionError("index past the histogram")

        # The two middle values (the same one when `total` is odd), in tenths of an hour.
        return (nth((total - 1) // 2) + nth(total // 2)) / 20


@dataclass(frozen=True)
class _Post:
    week: dt.date
    team_key: int
    unit_key: int
    hours: float | None


def _posts(rows: Iterable[tuple[int, int, dt.datetime, float | None]]) -> Iterable[_Post]:
    for team_key, unit_key, posted_at, hours in rows:
        yield _Post(week_start(timezone.localdate(posted_at)), team_key, unit_key, hours)


def _hours(tally: Tally) -> dict[str, int]:
    return {str(k): n for k, n in sorted(tally.delays.items())}


def team_attention_rebuild(since: dt.datetime) -> int:
    """Rewrite the `TeamAttention` and `UnitAttention` rows of the weeks from the one holding `since`,
    from `PostAttention`."""
    first = week_start(timezone.localdate(since))
    begin = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    tallies: dict[tuple[dt.date, int, int], Tally] = defaultdict(Tally)
    rows = PostAttention.objects.filter(posted_at__gte=begin).values_list(
        "team_key", "unit_key", "posted_at", "hours"
    )
    for post in _posts(rows.iterator(chunk_size=BATCH)):
        reached = post.hours is not None
        delays = {tenths(post.hours): 1} if post.hours is not None else {}
        tallies[(post.week, post.team_key, post.unit_key)].add(1, int(reached), delays)
    units: dict[tuple[dt.date, int], Tally] = defaultdict(Tally)
    for (week, _team, unit), tally in tallies.items():
        units[(week, unit)].merge(tally)
    with transaction.atomic():
        UnitAttention.objects.filter(week__gte=first).delete()
        UnitAttention.objects.bulk_create(
            [
                UnitAttention(week=week, unit_key=unit, posts=t.posts, reached=t.reached, hours=_hours(t))
                for (week, unit), t in units.items()
            ],
            batch_size=BATCH,
        )
        TeamAttention.objects.filter(week__gte=first).delete()
        TeamAttention.objects.bulk_create(
            [
                TeamAttention(
                    week=week,
                    team_key=team,
                    unit_key=unit,
                    posts=t.posts,
                    reached=t.reached,
                    hours=_hours(t),
                )
                for (week, team, unit), t in tallies.items()
            ],
            batch_size=BATCH,
        )
    return len(tallies)


def tallies_for(
    scope: Scope, first: dt.date, *, team: int | None = None, unit: int | None = None
) -> dict[tuple[dt.date, int], Tally]:
    """Per (week, team) from the week `first` on, within `scope`.

    Head office reads the team rows; a manager or director the rows of their whole teams, less their
    own posts there, plus the posts of their other people written outside those teams (few).
    """
    rows = TeamAttention.objects.filter(week__gte=first)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    posts = PostAttention.objects.filter(posted_at__gte=since)
    if team:
        rows, posts = rows.filter(team_key=team), posts.filter(team_key=team)
    if unit:
        rows, posts = rows.filter(unit_key=unit), posts.filter(unit_key=unit)
    found: dict[tuple[dt.date, int], Tally] = defaultdict(Tally)
    teams = sorted(scope.teams)
    if scope.everyone:
        _add_rows(found, rows)
        return found
    if teams:
        _add_rows(found, rows.filter(team_key__in=teams))
        _add_posts(found, posts.filter(author_id=scope.viewer_id, team_key__in=teams), sign=-1)
    if scope.loose:
        _add_posts(found, posts.filter(author_id__in=sorted(scope.loose)).exclude(team_key__in=teams), sign=1)
    return found


def _add_rows(found: dict[tuple[dt.date, int], Tally], rows: QuerySet[TeamAttention]) -> None:
    for week, team_key, posts, reached, hours in rows.values_list(
        "week", "team_key", "posts", "reached", "hours"
    ):
        found[(week, team_key)].add(posts, reached, {int(k): n for k, n in hours.items()})


def _add_posts(found: dict[tuple[dt.date, int], Tally], posts: QuerySet[PostAttention], *, sign: int) -> None:
    rows = posts.values_list("team_key", "unit_key", "posted_at", "hours")
    for post in _posts(rows):
        delays = {tenths(post.hours): 1} if post.hours is not None else {}
        found[(post.week, post.team_key)].add(1, int(post.hours is not None), delays, sign)


def weekly_company_tallies(first: dt.date, *, unit: int | None = None) -> dict[dt.date, Tally]:
    """Head office's figures per week from the week `first` on: a row per unit and week."""
    rows = UnitAttention.objects.filter(week__gte=first)
    if unit:
        rows = rows.filter(unit_key=unit)
    found: dict[dt.date, Tally] = defaultdict(Tally)
    for week, posts, reached, hours in rows.values_list("week", "posts", "reached", "hours"):
        found[week].add(posts, reached, {int(k): n for k, n in hours.items()})
    return found


def company_team_keys(first: dt.date, *, unit: int | None = None) -> list[int]:
    """The teams that posted from the week `first` on (one index scan, a thousand integers at most)."""
    rows = TeamAttention.objects.filter(week__gte=first, posts__gt=0)
    if unit:
        rows = rows.filter(unit_key=unit)
    return list(rows.values_list("team_key", flat=True).distinct().order_by())


def team_tallies(first: dt.date, teams: list[int], *, unit: int | None = None) -> dict[int, Tally]:
    """The whole window's tally of each of `teams` (a page of them), from their weekly rows."""
    rows = TeamAttention.objects.filter(week__gte=first, team_key__in=teams)
    if unit:
        rows = rows.filter(unit_key=unit)
    found: dict[int, Tally] = defaultdict(Tally)
    for team_key, posts, reached, hours in rows.values_list("team_key", "posts", "reached", "hours"):
        found[team_key].add(posts, reached, {int(k): n for k, n in hours.items()})
    return found
