"""Reads of the feed: the permission-scoped post lists every page, the API and other apps use.

A feed page costs a fixed number of queries whatever the page number and the size of the data:
one for the posts (keyset-paginated, the viewer's own like as an EXISTS), one for the photos of the
page, one for the hierarchy's congratulations on the page, the badges (one call for the page), and
the tags' names from the cached taxonomy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from comptoir.core import clock
from comptoir.core.badges import PostRef, badges_for_posts
from comptoir.core.pagination import Page, decode_cursor, encode_cursor
from comptoir.feed.access import posts_visible_to
from comptoir.feed.models import (
    Comment,
    Congratulation,
    Mention,
    PersonFollow,
    Post,
    PostPhoto,
    PostRead,
    Reaction,
    TopicFollow,
)
from comptoir.feed.prepared import prepared
from comptoir.feed.taxonomy import taxonomy
from comptoir.org.models import User

FEED_ORDERING = ("-created_at", "-id")
PAGE_SIZE = 20
TRENDING_DAYS = 7
TRENDING_SHOWN = 5


def visible_posts(viewer: User) -> QuerySet[Post]:
    """Every post `viewer` may read (company-wide, their unit's, their team's, their own, ...)."""
    return posts_visible_to(viewer)


def posts_for_agreement(viewer: User, agreement: Any, limit: int = 10) -> list[Post]:
    """The latest posts tied to a framework agreement that `viewer` may read (the agreement page)."""
    agreement_id = agreement if isinstance(agreement, int) else agreement.pk
    return list(
        visible_posts(viewer)
        .filter(agreement_id=agreement_id)
        .select_related("author")
        .order_by(*FEED_ORDERING)[:limit]
    )


def posts_for_account(viewer: User, account: Any, limit: int = 5) -> list[Post]:
    """The latest posts about a customer account that `viewer` may read (the account page)."""
    account_id = account if isinstance(account, int) else account.pk
    return list(
        visible_posts(viewer)
        .filter(account_id=account_id)
        .select_related("author")
        .order_by(*FEED_ORDERING)[:limit]
    )


@dataclass(frozen=True)
class FeedFilters:
    unit: int | None = None
    region: int | None = None
    topic: int | None = None
    account: int | None = None
    agreement: int | None = None
    author: int | None = None
    kind: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None and v != "" for v in self.__dict__.values())

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def for_me_q(viewer: User) -> Q:
    """ "For me": my unit, my region, my team, the people and topics I follow, my mentions, mine."""
    topic_through = Post.topics.through
    unit_through = Post.units.through
    scope = Q(author_id=viewer.pk)
    if viewer.unit_id:
        scope |= Q(Exists(unit_through.objects.filter(post_id=OuterRef("pk"), orgunit_id=viewer.unit_id)))
    if viewer.region_id:
        scope |= Q(region_id=viewer.region_id)
    if viewer.team_id:
        scope |= Q(author_team_id=viewer.team_id)
    scope |= Q(author_id__in=PersonFollow.objects.filter(follower_id=viewer.pk).values("followed_id"))
    scope |= Q(
        Exists(
            topic_through.objects.filter(
                post_id=OuterRef("pk"),
                practicetopic_id__in=TopicFollow.objects.filter(follower_id=viewer.pk).values("topic_id"),
            )
        )
    )
    scope |= Q(Exists(Mention.objects.filter(post_id=OuterRef("pk"), person_id=viewer.pk)))
    return scope


def _filtered(posts: QuerySet[Post], filters: FeedFilters) -> QuerySet[Post]:
    if filters.unit:
        posts = posts.filter(
            Exists(Post.units.through.objects.filter(post_id=OuterRef("pk"), orgunit_id=filters.unit))
        )
    if filters.topic:
        posts = posts.filter(
            Exists(Post.topics.through.objects.filter(post_id=OuterRef("pk"), practicetopic_id=filters.topic))
        )
    if filters.region:
        posts = posts.filter(region_id=filters.region)
    if filters.account:
        posts = posts.filter(account_id=filters.account)
    if filters.agreement:
        posts = posts.filter(agreement_id=filters.agreement)
    if filters.author:
        posts = posts.filter(author_id=filters.author)
    if filters.kind:
        posts = posts.filter(kind=filters.kind)
    return posts


def feed_queryset(viewer: User, *, feed: str = "all", filters: FeedFilters | None = None) -> QuerySet[Post]:
    posts = visible_posts(viewer)
    if feed == "for_me":
        posts = posts.filter(for_me_q(viewer))
    return _filtered(posts, filters or FeedFilters())


def _with_viewer(posts: QuerySet[Post], viewer: User) -> QuerySet[Post]:
    """The posts with their author and what is the viewer's own: their like, whether they saw it."""
    return posts.select_related("author").annotate(
        liked=Exists(Reaction.objects.filter(post_id=OuterRef("pk"), person_id=viewer.pk)),
        seen=Exists(PostRead.objects.filter(post_id=OuterRef("pk"), person_id=viewer.pk)),
    )


@dataclass
class CardExtras:
    """What a post card shows besides the post row (attached to each post as `post.extras`)."""

    topics: list[Any] = field(default_factory=list)
    units: list[Any] = field(default_factory=list)
    region: Any = None
    thumbnails: list[PostPhoto] = field(default_factory=list)
    hierarchy_congratulations: list[Congratulation] = field(default_factory=list)
    badges: list[Any] | None = field(default_factory=list)  # None: not looked up


def decorate(posts: Sequence[Post], *, cards: bool = True, badges: bool = True) -> None:
    """Attach to each post of a page what its card shows, in a fixed number of queries.

    `cards=False` (the post page, which lists photos and congratulations in full) leaves out the
    thumbnails and the hierarchy's congratulations; `badges=False` leaves out the authors' badges
    (`cards` looks them up for the whole page, kept cards included)."""
    if not posts:
        return
    tax = taxonomy()
    ids = [p.pk for p in posts]
    photos: dict[int, list[PostPhoto]] = {}
    if cards and any(p.photo_count for p in posts):
        for photo in PostPhoto.objects.filter(post_id__in=[p.pk for p in posts if p.photo_count]).order_by(
            "post_id", "position", "id"
        ):
            photos.setdefault(photo.post_id, []).append(photo)
    congratulations: dict[int, list[Congratulation]] = {}
    if cards and any(p.congratulation_count for p in posts):
        for c in (
            Congratulation.objects.filter(post_id__in=ids, from_hierarchy=True)
            .select_related("by")
            .order_by("post_id", "-created_at")
        ):
            congratulations.setdefault(c.post_id, []).append(c)
    held = (
        badges_for_posts([PostRef(p.pk, p.author_id, tuple(p.topic_ids or ())) for p in posts])
        if badges
        else None
    )
    for p in posts:
        p.extras = CardExtras(  # type: ignore[attr-defined]
            topics=[tax.topics[t] for t in p.topic_ids or () if t in tax.topics],
            units=[tax.units[u] for u in p.unit_ids or () if u in tax.units],
            region=tax.regions.get(p.region_id) if p.region_id else None,
            thumbnails=photos.get(p.pk, []),
            hierarchy_congratulations=congratulations.get(p.pk, []),
            badges=held.get(p.pk, []) if held is not None else None,
        )


def feed_page(
    viewer: User,
    *,
    feed: str = "all",
    filters: FeedFilters | None = None,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    decorated: bool = True,
) -> Page[Post]:
    """One page of a feed, newest first. Raises `InvalidCursor` for a cursor that is not ours.

    `decorated=False` leaves `decorate` to the caller, which can then decorate more posts in the same
    pass (HQ's window adds the trending list)."""
    after = decode_cursor(cursor, Post, FEED_ORDERING) if cursor else None
    # What the query's SQL takes as parameters; everything else that shapes the SQL is in `shape`.
    values: dict[str, Any] = {"viewer": viewer.pk}
    values |= {
        name: getattr(viewer, name) for name in ("unit_id", "region_id", "team_id") if getattr(viewer, name)
    }
    values |= {
        f"filter_{name}": value for name, value in (filters or FeedFilters()).as_query().items() if value
    }
    if after is not None:
        values["after_created_at"], values["after_id"] = after
    shape = (
        "feed_page",
        feed,
        size,
        tuple(sorted(values)),
        viewer.is_superuser,
        viewer.is_active,
        viewer.capabilities,
    )

    def build(v: dict[str, Any]) -> QuerySet[Post]:
        # The viewer as the query sees them: only what `values` and `shape` hold, nothing else.
        someone = User(
            id=v["viewer"],
            unit_id=v.get("unit_id"),
            region_id=v.get("region_id"),
            team_id=v.get("team_id"),
            role=viewer.role,
            is_superuser=viewer.is_superuser,
            is_active=viewer.is_active,
        )
        chosen = FeedFilters(
            **{k.removeprefix("filter_"): x for k, x in v.items() if k.startswith("filter_")}
        )
        posts = _with_viewer(feed_queryset(someone, feed=feed, filters=chosen), someone)
        if "after_id" in v:
            at = v["after_created_at"]
            posts = posts.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=v["after_id"]))
        return posts.order_by(*FEED_ORDERING)[: size + 1]

    rows = prepared.rows(shape, build, values)
    items = rows[:size]
    last = items[-1] if len(rows) > size else None
    page = Page(items=items, next_cursor=encode_cursor([last.created_at, last.pk]) if last else None)
    if decorated:
        decorate(page.items)
    return page


def newer_count(
    viewer: User, *, feed: str, filters: FeedFilters | None, since: dt.datetime, since_id: int, cap: int = 99
) -> int:
    """How many posts of the feed appeared after the top post the viewer has (at most `cap` + 1)."""
    posts = feed_queryset(viewer, feed=feed, filters=filters).filter(
        Q(created_at__gt=since) | Q(created_at=since, id__gt=since_id)
    )
    return len(posts.values_list("id", flat=True)[: cap + 1])


def trending(viewer: User, *, filters: FeedFilters | None = None, shown: int = TRENDING_SHOWN) -> list[Post]:
    """This week's posts with the most attention (comments and congratulations weigh more than likes)."""
    since = clock.now() - dt.timedelta(days=TRENDING_DAYS)
    score = F("like_count") + 2 * F("comment_count") + 3 * F("congratulation_count")
    ordering = ("-score", "-created_at", "-id")
    # The week's best ids in a subquery, the authors joined to those few only: joined to the whole
    # week, the planner may walk every person and their posts instead of the week's posts.
    best = (
        feed_queryset(viewer, feed="all", filters=filters)
        .filter(created_at__gte=since)
        .annotate(score=score)
        .filter(score__gt=0)
        .order_by(*ordering)
        .values("pk")[:shown]
    )
    return list(
        _with_viewer(Post.objects.filter(pk__in=best), viewer).annotate(score=score).order_by(*ordering)
    )


# --- One post --------------------------------------------------------------------------------------


@dataclass
class HierarchySeen:
    """Someone above the author and what they did with the post."""

    person: User
    relation: str  # "manager", "director", ...
    read_at: dt.datetime | None
    reacted: bool


@dataclass
class PostPage:
    post: Post
    photos: list[PostPhoto]
    comments: list[Comment]
    congratulations: list[Congratulation]
    hierarchy: list[HierarchySeen]
    congratulated: bool = False  # by the viewer: the page shows it instead of offering it again


def hierarchy_chain(author: User) -> list[User]:
    """The author's manager and the managers above (up to three levels, from `select_related`)."""
    chain: list[User] = []
    current = author
    for _level in range(3):
        manager = current.manager if current.manager_id else None
        if manager is None or manager in chain or manager.pk == author.pk:
            break
        chain.append(manager)
        current = manager
    return chain


def post_page(viewer: User, post: Post) -> PostPage:
    """What the post page shows; `post` comes from `access.post_for` (with the author's chain)."""
    photos = list(post.photos.all()) if post.photo_count else []
    comments = list(
        Comment.objects.filter(post=post, is_deleted=False)
        .filter(Q(is_hidden=False) | Q(author_id=viewer.pk))
        .select_related("author")
        .order_by("created_at", "id")[:500]
    )
    # Whether the viewer congratulated already rides on the list's query: the same flag on every row
    # (an uncorrelated subquery, run once), so the page costs no query more for it.
    congratulations: list[Congratulation] = (
        list(
            post.congratulations.select_related("by")
            .annotate(by_viewer=Exists(Congratulation.objects.filter(post=post, by_id=viewer.pk)))
            .order_by("-created_at", "-id")[:100]
        )
        if post.congratulation_count
        else []
    )
    chain = hierarchy_chain(post.author)
    hierarchy: list[HierarchySeen] = []
    if chain:
        ids = [m.pk for m in chain]
        # Reads and likes of the chain in one query: (person, when, 0 for a read / 1 for a like).
        seen = (
            PostRead.objects.filter(post=post, person_id__in=ids)
            .annotate(like=Value(0))
            .values_list("person_id", "first_read_at", "like")
            .union(
                Reaction.objects.filter(post=post, person_id__in=ids)
                .annotate(like=Value(1))
                .values_list("person_id", "created_at", "like"),
                all=True,
            )
        )
        reads: dict[int, dt.datetime] = {}
        reacted: set[int] = set()
        for person_id, at, like in seen:
            if like:
                reacted.add(person_id)
            else:
                reads[person_id] = at
        reacted |= {c.by_id for c in congratulations} | {c.author_id for c in comments}
        for level, manager in enumerate(chain):
            relation = "manager" if level == 0 and manager.role_code != "director" else "director"
            hierarchy.append(HierarchySeen(manager, relation, reads.get(manager.pk), manager.pk in reacted))
    decorate([post], cards=False)
    return PostPage(
        post=post,
        photos=photos,
        comments=comments,
        congratulations=congratulations,
        hierarchy=hierarchy,
        congratulated=bool(congratulations and getattr(congratulations[0], "by_viewer", False)),
    )


def person_congratulations(viewer: User, person: User, *, limit: int = 50) -> list[Congratulation]:
    """Congratulations `person` received on posts `viewer` may read, newest first."""
    return list(
        Congratulation.objects.filter(to=person, post__in=visible_posts(viewer))
        .select_related("by", "post")
        .order_by("-created_at", "-id")[:limit]
    )


# --- Search ----------------------------------------------------------------------------------------

SEARCH_PAGE = 20
SEARCH_MAX_PAGES = 10
# How many of the newest matches are ranked (the bound that keeps a common word fast).
SEARCH_CANDIDATES = 1_000


def search_posts(
    viewer: User, *, query: str, filters: FeedFilters | None = None, page: int = 1, size: int = SEARCH_PAGE
) -> tuple[list[Post], bool]:
    """Posts matching `query` that `viewer` may read, best first; returns (posts, has_more).

    The engine hands back the newest `SEARCH_CANDIDATES` matches (one query that stops there);
    those the viewer may read under the filters come back with their indexed words (one query) and
    are ranked by relevance (`search.ranked`). Only when narrow filters leave too few of them does
    one more query take the newest matches within the filters, however far back. Then one query
    (and `decorate`) for the page of posts itself.
    """
    from comptoir.feed import search

    page = max(1, min(page, SEARCH_MAX_PAGES))
    start = (page - 1) * size
    wanted = start + size + 1  # one more than the page: is there a next page?
    parsed = search.parse(query)
    if parsed.empty:
        return [], False
    allowed_scope = feed_queryset(viewer, feed="all", filters=filters)
    bound = max(SEARCH_CANDIDATES, wanted)
    newest = search.newest_matches(parsed, limit=bound, enough=wanted)
    entries = list(
        allowed_scope.filter(pk__in=newest).order_by().values_list("id", "search_entry__tokens")
    )  # in no order: `ranked` orders them
    if len(entries) < wanted and len(newest) >= wanted:
        # Narrow filters over a common word: the newest matches within the filters, the engine's
        # list as a subquery.
        every = RawSQL(*search.matches_sql(parsed))  # noqa: S611 - fixed SQL, the words are parameters
        entries = list(
            allowed_scope.filter(pk__in=every)
            .order_by("-id")
            .values_list("id", "search_entry__tokens")[:bound]
        )
    ordered = search.ranked(parsed, [(pk, tokens or "") for pk, tokens in entries])
    chosen = ordered[start : start + size]
    by_id = {p.pk: p for p in _with_viewer(Post.objects.filter(pk__in=chosen), viewer)}
    rows = [by_id[pk] for pk in chosen if pk in by_id]
    decorate(rows)
    return rows, len(ordered) > start + size and page < SEARCH_MAX_PAGES
