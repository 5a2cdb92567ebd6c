"""The hierarchy's attention: does someone above the author react to their posts, and how fast?

A reaction counts when it comes from whoever was the author's manager or director (their manager's
manager) at the moment of the reaction, as recorded in `ManagerSpan`: after a change of manager, the
new manager's reaction counts and the former manager's later one does not. A like, a comment and a
congratulation are all reactions here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from comptoir.core import clock
from comptoir.feed.models import Comment, Congratulation, Post, Reaction
from comptoir.insights.access import Scope
from comptoir.insights.models import ManagerSpan, PostAttention
from comptoir.insights.paging import RowsPage, rows_page
from comptoir.insights.rollups import week_start
from comptoir.insights.stats import Share
from comptoir.insights.team_attention import (
    Tally,
    company_team_keys,
    tallies_for,
    team_attention_rebuild,
    team_tallies,
    weekly_company_tallies,
)
from comptoir.org.models import Team, User
from comptoir.org.selectors import managed_people_ids

BATCH = 5000
TODO_DAYS = 30


@dataclass(frozen=True)
class _Span:
    manager: int
    director: int
    start: dt.datetime
    end: dt.datetime | None


def _relation_at(spans: list[_Span], person: int, moment: dt.datetime) -> str:
    for span in spans:
        if span.start <= moment and (span.end is None or moment < span.end):
            if person == span.manager:
                return "manager"
            if person == span.director:
                return "director"
            return ""
    return ""


def attention_rebuild(since: dt.datetime) -> int:
    """Rewrite the `PostAttention` rows of the posts published since `since`."""
    posts = list(
        Post.objects.filter(created_at__gte=since, is_deleted=False).values_list(
            "id", "author_id", "author_team_id", "author__unit_id", "created_at"
        )
    )
    authors = {p[1] for p in posts}
    spans: dict[int, list[_Span]] = defaultdict(list)
    for person, manager, director, start, end in (
        ManagerSpan.objects.filter(person_id__in=authors)
        .values_list("person_id", "manager_id_then", "director_id_then", "start", "end")
        .order_by("person_id", "start")
    ):
        spans[person].append(_Span(manager, director, start, end))
    bosses = {s.manager for ss in spans.values() for s in ss} | {
        s.director for ss in spans.values() for s in ss
    }
    bosses.discard(0)
    # Every reaction on these posts by someone who was ever above one of the authors, oldest first.
    responses: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
    recent = {"post__created_at__gte": since}
    for post_id, person, at in Reaction.objects.filter(**recent, person_id__in=bosses).values_list(
        "post_id", "person_id", "created_at"
    ):
        responses[post_id].append((at, person))
    for post_id, person, at in Comment.objects.filter(
        **recent, author_id__in=bosses, is_deleted=False
    ).values_list("post_id", "author_id", "created_at"):
        responses[post_id].append((at, person))
    for post_id, person, at in Congratulation.objects.filter(**recent, by_id__in=bosses).values_list(
        "post_id", "by_id", "created_at"
    ):
        responses[post_id].append((at, person))
    rows = []
    for post_id, author, team, unit, posted_at in posts:
        row = PostAttention(
            post_id=post_id, author_id=author, team_key=team or 0, unit_key=unit or 0, posted_at=posted_at
        )
        for at, person in sorted(responses.get(post_id, [])):
            relation = _relation_at(spans.get(author, []), person, at)
            if relation:
                row.first_at, row.responder_id, row.relation = at, person, relation
                row.hours = max(0.0, (at - posted_at).total_seconds() / 3600)
                break
        rows.append(row)
    with transaction.atomic():
        PostAttention.objects.filter(posted_at__gte=since).delete()
        PostAttention.objects.bulk_create(rows, batch_size=BATCH)
        team_attention_rebuild(since)
    return len(rows)


# --- Reads ------------------------------------------------------------------------------------------


@dataclass
class TeamAttention:
    key: int
    label: str
    reached: Share  # posts with a reaction from above, out of all posts
    median_hours: float | None


@dataclass
class Attention:
    first_day: dt.date
    total: TeamAttention
    teams: list[TeamAttention]
    weekly: list[tuple[dt.date, Share]]
    table: RowsPage | None = None  # a page of `teams`, when only that page was read


def attention_overview(
    scope: Scope,
    *,
    weeks: int = 12,
    team: int | None = None,
    unit: int | None = None,
    page_after: str | None = None,
    page_size: int | None = None,
) -> Attention:
    """Over the posts of the last `weeks` weeks, by the author's team when posting, from the per-team roll-up.

    `page_size` (the page; the API and the CSV keep every team): for head office, the totals and the
    weekly chart come from the per-unit rows and only the page's teams are summed, so the page reads a
    few hundred rows however many teams and weeks there are.
    """
    today = clock.today()
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    if scope.everyone and not team and page_size:
        return _company_attention(first, weeks, unit=unit, after=page_after, size=page_size)
    found = tallies_for(scope, first, team=team, unit=unit)
    by_team: dict[int, Tally] = defaultdict(Tally)
    weekly: dict[dt.date, Tally] = {first + dt.timedelta(weeks=i): Tally() for i in range(weeks)}
    everything = Tally()
    for (week, team_key), tally in found.items():
        if not tally.posts:
            continue  # the viewer's own posts, taken out of their team
        by_team[team_key].merge(tally)
        everything.merge(tally)
        if week in weekly:
            weekly[week].merge(tally)
    labels = dict(Team.objects.filter(pk__in=[k for k in by_team if k]).values_list("id", "name"))

    def summary(key: int, label: str, tally: Tally) -> TeamAttention:
        return TeamAttention(key, label, Share(tally.reached, tally.posts), tally.median_hours())

    teams = sorted(
        (summary(k, labels.get(k, "—"), tally) for k, tally in by_team.items()),
        key=lambda t: (t.label.casefold(), t.key),
    )
    return Attention(
        first_day=first,
        total=summary(0, "", everything),
        teams=teams,
        weekly=[(start, Share(t.reached, t.posts)) for start, t in sorted(weekly.items())],
    )


def _summary(key: int, label: str, tally: Tally) -> TeamAttention:
    return TeamAttention(key, label, Share(tally.reached, tally.posts), tally.median_hours())


def _company_attention(
    first: dt.date, weeks: int, *, unit: int | None, after: str | None, size: int
) -> Attention:
    """Head office's page: four reads (units' weeks, the teams that posted, their names, a page of them)."""
    weekly = {first + dt.timedelta(weeks=i): Tally() for i in range(weeks)}
    everything = Tally()
    for week, tally in weekly_company_tallies(first, unit=unit).items():
        everything.merge(tally)
        if week in weekly:
            weekly[week].merge(tally)
    keys = company_team_keys(first, unit=unit)
    labels = dict(Team.objects.filter(pk__in=[k for k in keys if k]).values_list("id", "name"))
    ordered = sorted(
        (TeamAttention(k, labels.get(k, "—"), Share(0, 0), None) for k in keys),
        key=lambda t: (t.label.casefold(), t.key),
    )
    shown = rows_page(ordered, after, size=size)
    tallies = team_tallies(first, [t.key for t in shown.rows], unit=unit) if shown.rows else {}
    rows = [_summary(t.key, t.label, tallies.get(t.key, Tally())) for t in shown.rows]
    return Attention(
        first_day=first,
        total=_summary(0, "", everything),
        teams=rows,
        weekly=[(start, Share(t.reached, t.posts)) for start, t in sorted(weekly.items())],
        table=RowsPage(rows=rows, total=shown.total, after=shown.after),
    )


def people_awaiting_me(viewer: User) -> set[int]:
    """The people whose posts wait for `viewer`'s reaction: their reports at any depth and their teams."""
    return managed_people_ids(viewer)


def awaiting_reaction(viewer: User, *, limit: int = 20, days: int = TODO_DAYS) -> tuple[list[Post], int]:
    """A manager's to-do list: recent posts of their people with no like, comment or congratulation
    from them yet, oldest first (the longest waiting), and how many there are in all."""
    people = people_awaiting_me(viewer)
    if not people:
        return [], 0
    qs = pending_posts(viewer, people, days=days)
    total = qs.count()
    return list(qs.select_related("author").order_by("created_at", "id")[:limit]), total


def pending_posts(viewer: User, people: set[int], *, days: int = TODO_DAYS) -> QuerySet[Post]:
    since = clock.now() - dt.timedelta(days=days)
    mine = Q(post=OuterRef("pk"))
    return Post.objects.filter(
        author_id__in=sorted(people), created_at__gte=since, is_deleted=False, is_hidden=False
    ).exclude(
        Exists(Reaction.objects.filter(mine, person=viewer))
        | Exists(Comment.objects.filter(mine, author=viewer, is_deleted=False))
        | Exists(Congratulation.objects.filter(mine, by=viewer))
    )
