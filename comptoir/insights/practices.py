"""The spread of practices across units: who, from which unit, read and reacted to each post and each
practice topic; the practices that crossed units; the strongest links between units.

`spread_rebuild` rolls the feed's reads, likes and comments up per post and reader unit (the reader's
unit today); the page reads only that roll-up and the posts' topics.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from comptoir.core import clock
from comptoir.core.models import PracticeTopic
from comptoir.feed.models import Comment, Post, PostRead, Reaction
from comptoir.insights.access import Scope
from comptoir.insights.models import PostSpread
from comptoir.org.models import OrgUnit

BATCH = 5000
TOP = 10


def spread_rebuild(since: dt.datetime) -> int:
    posts = {
        pk: (author, unit or 0, at)
        for pk, author, unit, at in Post.objects.filter(created_at__gte=since, is_deleted=False).values_list(
            "id", "author_id", "author__unit_id", "created_at"
        )
    }
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    recent = {"post__created_at__gte": since, "post__is_deleted": False}
    for post_id, unit, n in (
        PostRead.objects.filter(**recent)
        .values_list("post_id", "person__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cells[(post_id, unit or 0)][0] += n
    for post_id, unit, n in (
        Reaction.objects.filter(**recent)
        .values_list("post_id", "person__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cells[(post_id, unit or 0)][1] += n
    for post_id, unit, n in (
        Comment.objects.filter(**recent, is_deleted=False)
        .values_list("post_id", "author__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cells[(post_id, unit or 0)][1] += n
    rows = [
        PostSpread(
            post_id=post_id,
            author_id=posts[post_id][0],
            author_unit=posts[post_id][1],
            reader_unit=unit,
            posted_at=posts[post_id][2],
            reads=reads,
            reactions=reactions,
        )
        for (post_id, unit), (reads, reactions) in cells.items()
        if post_id in posts
    ]
    with transaction.atomic():
        PostSpread.objects.filter(posted_at__gte=since).delete()
        PostSpread.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


@dataclass
class TopicSpread:
    topic: str
    posts: int = 0
    reads: int = 0
    reads_elsewhere: int = 0  # reads by people of another unit than the author's
    reactions_elsewhere: int = 0
    crossed: int = 0  # posts read or reacted to by someone of another unit
    units: set[int] = field(default_factory=set)

    @property
    def share_elsewhere(self) -> float | None:
        return self.reads_elsewhere / self.reads if self.reads else None


@dataclass
class Link:
    source: str
    target: str
    reads: int
    reactions: int


@dataclass
class CrossingPost:
    post: Post
    reads_elsewhere: int
    reactions_elsewhere: int
    units: int


@dataclass
class Practices:
    first_day: dt.date
    topics: list[TopicSpread]
    links: list[Link]
    crossing: list[CrossingPost]
    unit_labels: dict[int, str]


def practices_overview(scope: Scope, *, weeks: int = 12) -> Practices:
    first = clock.today() - dt.timedelta(weeks=weeks)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    cells = scope.restrict(PostSpread.objects.filter(posted_at__gte=since), "author_id").values_list(
        "post_id", "author_unit", "reader_unit", "reads", "reactions"
    )
    per_post: dict[int, dict[str, int]] = defaultdict(
        lambda: {"reads": 0, "elsewhere": 0, "react_elsewhere": 0}
    )
    post_units: dict[int, set[int]] = defaultdict(set)
    links: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for post_id, author_unit, reader_unit, reads, reactions in cells:
        stats = per_post[post_id]
        stats["reads"] += reads
        post_units[post_id].add(reader_unit)
        if reader_unit != author_unit:
            stats["elsewhere"] += reads
            stats["react_elsewhere"] += reactions
            links[(author_unit, reader_unit)][0] += reads
            links[(author_unit, reader_unit)][1] += reactions
    through = Post.topics.through
    topic_names = {t.pk: str(t) for t in PracticeTopic.objects.all()}
    topics: dict[int, TopicSpread] = {}
    for post_id, topic_id in through.objects.filter(post_id__in=list(per_post)).values_list(
        "post_id", "practicetopic_id"
    ):
        spread = topics.setdefault(topic_id, TopicSpread(topic_names.get(topic_id, "?")))
        stats = per_post[post_id]
        spread.posts += 1
        spread.reads += stats["reads"]
        spread.reads_elsewhere += stats["elsewhere"]
        spread.reactions_elsewhere += stats["react_elsewhere"]
        spread.crossed += bool(stats["elsewhere"] or stats["react_elsewhere"])
        spread.units |= post_units[post_id]
    labels = {u.pk: str(u) for u in OrgUnit.objects.all()}
    labels[0] = "—"
    best = sorted(
        per_post, key=lambda pk: (-(per_post[pk]["elsewhere"] + per_post[pk]["react_elsewhere"]), -pk)
    )[:TOP]
    best = [pk for pk in best if per_post[pk]["elsewhere"] or per_post[pk]["react_elsewhere"]]
    found = {p.pk: p for p in Post.objects.filter(pk__in=best).select_related("author")}
    return Practices(
        first_day=first,
        topics=sorted(topics.values(), key=lambda t: (-t.crossed, -t.reads, t.topic)),
        links=sorted(
            (Link(labels.get(s, "?"), labels.get(t, "?"), r, x) for (s, t), (r, x) in links.items()),
            key=lambda link: (-link.reads - link.reactions, link.source, link.target),
        )[:TOP],
        crossing=[
            CrossingPost(
                found[pk], per_post[pk]["elsewhere"], per_post[pk]["react_elsewhere"], len(post_units[pk])
            )
            for pk in best
            if pk in found
        ],
        unit_labels=labels,
    )
