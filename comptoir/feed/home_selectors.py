"""Reads of the feed for the home page: what each person should look at first.

A rep sees the newest posts of "For me" and how many they have not opened yet; a manager, the
recent posts of their people that they have not reacted to (the hierarchy's attention is measured);
HQ, the recommendations still waiting for an answer. Each read is one or two queries whatever the
size of the data: the lists are cut short and the counts stop at a cap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from comptoir.core import clock
from comptoir.core.permissions import Cap, has_cap
from comptoir.feed.access import posts_visible_to
from comptoir.feed.models import Comment, Congratulation, Post, PostRead, Reaction, Recommendation
from comptoir.feed.selectors import FEED_ORDERING, feed_queryset
from comptoir.org.models import User

SHOWN = 5
# Counts stop here: "99+" tells as much as an exact figure and never scans a whole year of posts.
COUNT_CAP = 99
# How far back "unread" and "waiting for your reaction" look: older posts are history, not news.
RECENT_DAYS = 30


@dataclass(frozen=True)
class Shortlist[T]:
    """The first few items of a list and how many there are in all (at most `COUNT_CAP` + 1)."""

    items: list[T]
    total: int

    @property
    def more(self) -> bool:
        return self.total > COUNT_CAP


def _capped_count(queryset: QuerySet[Any]) -> int:
    return len(queryset.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])


def _recent() -> dt.datetime:
    return clock.now() - dt.timedelta(days=RECENT_DAYS)


def for_me_digest(viewer: User, *, shown: int = SHOWN) -> tuple[list[Post], int]:
    """The newest posts of others in the viewer's "For me" feed, and how many recent ones they have
    not opened.

    Two queries: the posts (with their authors), the capped count of unread recent posts."""
    # The viewer's own posts belong to their feed, not to what they have to catch up with.
    posts = feed_queryset(viewer, feed="for_me").exclude(author_id=viewer.pk)
    newest = list(posts.select_related("author").order_by(*FEED_ORDERING)[:shown])
    unread = posts.filter(created_at__gte=_recent()).filter(
        ~Exists(PostRead.objects.filter(post_id=OuterRef("pk"), person_id=viewer.pk))
    )
    return newest, _capped_count(unread)


def people_of(manager: User) -> QuerySet[User, Any]:
    """The people a manager answers for: their teams' members, their direct reports and the reports
    of those (a director's managers' people). A subquery: the posts are then read per author from
    the author index, a few authors' last month each, whatever the size of the feed."""
    return (
        User.objects.filter(
            Q(team__manager_id=manager.pk) | Q(manager_id=manager.pk) | Q(manager__manager_id=manager.pk)
        )
        .exclude(pk=manager.pk)
        .order_by()
        .values("id")
    )


def awaiting_my_reaction(viewer: User, *, shown: int = SHOWN) -> Shortlist[Post]:
    """Recent posts of the viewer's people with no like, comment or congratulation from the viewer,
    the longest waiting first. Two queries."""
    posts = (
        posts_visible_to(viewer)
        .filter(author_id__in=people_of(viewer), created_at__gte=_recent())
        .filter(
            ~Exists(Reaction.objects.filter(post_id=OuterRef("pk"), person_id=viewer.pk)),
            ~Exists(Comment.objects.filter(post_id=OuterRef("pk"), author_id=viewer.pk, is_deleted=False)),
            ~Exists(Congratulation.objects.filter(post_id=OuterRef("pk"), by_id=viewer.pk)),
        )
    )
    items = list(posts.select_related("author").order_by("created_at", "id")[:shown])
    return Shortlist(items, _capped_count(posts))


def recommendations_awaiting_answer(viewer: User, *, shown: int = SHOWN) -> Shortlist[Recommendation]:
    """Open recommendations (received or under review) the viewer must answer, oldest first: all of
    them for those who answer for HQ, else those addressed to the viewer's team or a team they
    manage. Two queries."""
    from comptoir.feed.recommendations import inbox

    S = Recommendation.Status
    recos = inbox(viewer).filter(status__in=(S.RECEIVED, S.UNDER_REVIEW))
    if not has_cap(viewer, Cap.ANSWER_RECOMMENDATIONS):
        recos = recos.filter(Q(hq_team__manager_id=viewer.pk) | Q(hq_team_id=viewer.team_id or 0))
    items = list(recos.order_by("created_at", "id")[:shown])
    return Shortlist(items, _capped_count(recos))
