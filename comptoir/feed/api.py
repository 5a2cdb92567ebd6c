"""The field feed in the API: feeds, posts (with photos), likes, comments, congratulations, reads,
reports, recommendations and their transitions, search. Same fetchers, services and rules as the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.core.models import PracticeTopic
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.customers.access import account_for, agreement_for
from comptoir.feed import access, moderation, recommendations, selectors, services
from comptoir.feed.models import Comment, Congratulation, Post, Recommendation, RecommendationEvent
from comptoir.org.models import OrgUnit, Region, Team, User

PREFIX = "feed"
router = Router(tags=["field feed"])


class PhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.image.url)

    @staticmethod
    def resolve_thumbnail_url(obj: Any) -> str:
        return str(obj.thumbnail.url)


class PostOut(Schema):
    id: int
    kind: str
    author_id: int
    author_name: str
    body: str
    body_html: str
    created_at: dt.datetime
    edited_at: dt.datetime | None
    topic_ids: list[int]
    unit_ids: list[int]
    region_id: int | None
    account_id: int | None
    agreement_id: int | None
    visibility: str
    visible_unit_id: int | None
    visible_team_id: int | None
    like_count: int
    comment_count: int
    congratulation_count: int
    liked: bool
    is_hidden: bool
    url: str

    @staticmethod
    def resolve_author_name(obj: Post) -> str:
        return obj.author.full_name

    @staticmethod
    def resolve_liked(obj: Post) -> bool:
        return bool(getattr(obj, "liked", False))

    @staticmethod
    def resolve_url(obj: Post) -> str:
        return obj.get_absolute_url()


class PostDetailOut(PostOut):
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(obj: Post) -> list[Any]:
        return list(obj.photos.all())


class PostIn(Schema):
    kind: str = "practice"
    body: str
    topic_ids: list[int] = []
    unit_ids: list[int] = []
    region_id: int | None = None
    account_id: int | None = None
    agreement_id: int | None = None
    visibility: str = "company"
    visible_unit_id: int | None = None
    visible_team_id: int | None = None


class PostPatch(Schema):
    kind: str | None = None
    body: str | None = None
    topic_ids: list[int] | None = None
    unit_ids: list[int] | None = None


class CommentOut(Schema):
    id: int
    post_id: int
    author_id: int
    author_name: str
    parent_id: int | None
    body: str
    body_html: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author_name(obj: Comment) -> str:
        return obj.author.full_name


class CommentIn(Schema):
    body: str
    parent_id: int | None = None


class CongratulationOut(Schema):
    id: int
    post_id: int
    by_id: int
    by_name: str
    to_id: int
    message: str
    from_hierarchy: bool
    from_role: str
    created_at: dt.datetime

    @staticmethod
    def resolve_by_name(obj: Congratulation) -> str:
        return obj.by.full_name


class CongratulationIn(Schema):
    message: str


class LikeOut(Schema):
    liked: bool
    like_count: int


class ReportIn(Schema):
    reason: str
    comment_id: int | None = None


class EventOut(Schema):
    from_status: str
    to_status: str
    note: str
    actor_id: int | None
    at: dt.datetime


class RecommendationOut(Schema):
    id: int
    post_id: int
    title: str
    hq_team_id: int
    raised_by_id: int
    status: str
    created_at: dt.datetime
    answered_at: dt.datetime | None
    answer: str
    age_days: int
    late: bool

    @staticmethod
    def resolve_age_days(obj: Recommendation) -> int:
        return recommendations.age_days(obj)

    @staticmethod
    def resolve_late(obj: Recommendation) -> bool:
        return recommendations.is_late(obj)


class RecommendationDetailOut(RecommendationOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Recommendation) -> list[RecommendationEvent]:
        return list(obj.events.order_by("at", "id"))


class RecommendationIn(Schema):
    post_id: int
    title: str
    hq_team_id: int


class TransitionIn(Schema):
    status: str
    answer: str


def _viewer(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _size(size: int, top: int = 100) -> None:
    if not 1 <= size <= top:
        raise ApiError(
            422,
            "invalid_input",
            f"size must be between 1 and {top}.",
            [{"field": "size", "message": "range"}],
        )


def _unknown(field: str) -> ApiError:
    return ApiError(422, "invalid_input", f"Unknown {field}.", [{"field": field, "message": "unknown"}])


def _filters(
    unit: int | None,
    region: int | None,
    topic: int | None,
    account: int | None,
    agreement: int | None,
    author: int | None,
    kind: str | None,
) -> selectors.FeedFilters:
    if kind and kind not in Post.Kind.values:
        raise _unknown("kind")
    return selectors.FeedFilters(
        unit=unit,
        region=region,
        topic=topic,
        account=account,
        agreement=agreement,
        author=author,
        kind=kind or None,
    )


@router.get("/posts", response=PageOut[PostOut])
def list_posts(
    request: HttpRequest,
    feed: str = "all",
    unit: int | None = None,
    region: int | None = None,
    topic: int | None = None,
    account: int | None = None,
    agreement: int | None = None,
    author: int | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    size: int = 20,
) -> dict[str, Any]:
    """`feed`: for_me (my unit, region, team, follows, mentions) or all; newest first, keyset pages."""
    _size(size)
    if feed not in ("for_me", "all"):
        raise ApiError(
            422, "invalid_input", "feed is for_me or all.", [{"field": "feed", "message": "unknown"}]
        )
    page = selectors.feed_page(
        _viewer(request),
        feed=feed,
        filters=_filters(unit, region, topic, account, agreement, author, kind),
        cursor=cursor,
        size=size,
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/trending", response=list[PostOut])
def trending(request: HttpRequest) -> list[Post]:
    """This week's posts with the most attention (HQ's window on the field)."""
    if not has_cap(_viewer(request), Cap.SEE_ALL_POSTS):
        raise PermissionDenied403("Only HQ reads the window on the field.")
    return selectors.trending(_viewer(request))


def _tags(payload: Any) -> dict[str, Any]:
    tags: dict[str, Any] = {}
    if getattr(payload, "topic_ids", None) is not None:
        topics = list(PracticeTopic.objects.filter(pk__in=payload.topic_ids, active=True))
        if len(topics) != len(set(payload.topic_ids)):
            raise _unknown("topic_ids")
        tags["topics"] = topics
    if getattr(payload, "unit_ids", None) is not None:
        units = list(OrgUnit.objects.filter(pk__in=payload.unit_ids))
        if len(units) != len(set(payload.unit_ids)):
            raise _unknown("unit_ids")
        tags["units"] = units
    return tags


def _create(request: HttpRequest, payload: PostIn, photos: list[Any]) -> Post:
    viewer = _viewer(request)
    region = None
    if payload.region_id is not None:
        region = Region.objects.filter(pk=payload.region_id).first()
        if region is None:
            raise _unknown("region_id")
    account = account_for(viewer, payload.account_id) if payload.account_id else None
    agreement = agreement_for(viewer, payload.agreement_id) if payload.agreement_id else None
    unit = OrgUnit.objects.filter(pk=payload.visible_unit_id).first() if payload.visible_unit_id else None
    team = Team.objects.filter(pk=payload.visible_team_id).first() if payload.visible_team_id else None
    if payload.visible_unit_id and (
        unit is None or (unit.pk != viewer.unit_id and not has_cap(viewer, Cap.SEE_ALL_POSTS))
    ):
        raise _unknown("visible_unit_id")
    if payload.visible_team_id and (
        team is None or (team.pk != viewer.team_id and team.manager_id != viewer.pk)
    ):
        raise _unknown("visible_team_id")
    post = services.post_create(
        author=viewer,
        kind=payload.kind,
        body=payload.body,
        region=region,
        account=account,
        agreement=agreement,
        visibility=payload.visibility,
        unit=unit,
        team=team,
        photos=photos,
        **_tags(payload),
    )
    return access.post_for(viewer, post.pk)


@router.post("/posts", response={201: PostDetailOut})
def create_post(request: HttpRequest, payload: PostIn) -> tuple[int, Post]:
    """Publish a post (JSON; to attach photos, use the multipart form of `/posts/with-photos`)."""
    return 201, _create(request, payload, [])


@router.post("/posts/with-photos", response={201: PostDetailOut})
def create_post_with_photos(
    request: HttpRequest, payload: Form[PostIn], photos: File[list[UploadedFile]] | None = None
) -> tuple[int, Post]:
    """Publish a post with up to 6 photos (multipart form, field `photos` repeated; each photo is
    checked from its bytes, re-encoded without metadata, and thumbnailed)."""
    return 201, _create(request, payload, request.FILES.getlist("photos"))


@router.get("/posts/{post_id}", response=PostDetailOut)
def get_post(request: HttpRequest, post_id: int) -> Post:
    return access.post_for(_viewer(request), post_id)


@router.patch("/posts/{post_id}", response=PostDetailOut)
def edit_post(request: HttpRequest, post_id: int, payload: PostPatch) -> Post:
    viewer = _viewer(request)
    post = access.post_for(viewer, post_id, for_change=True)
    services.post_edit(post=post, editor=viewer, body=payload.body, kind=payload.kind, **_tags(payload))
    return access.post_for(viewer, post_id)


@router.delete("/posts/{post_id}", response={204: None})
def delete_post(request: HttpRequest, post_id: int) -> tuple[int, None]:
    viewer = _viewer(request)
    services.post_delete(post=access.post_for(viewer, post_id), by=viewer)
    return 204, None


def _like_state(post: Post, viewer: User) -> dict[str, Any]:
    post.refresh_from_db(fields=["like_count"])
    return {"liked": post.reactions.filter(person=viewer).exists(), "like_count": post.like_count}


@router.post("/posts/{post_id}/like", response=LikeOut)
def like(request: HttpRequest, post_id: int) -> dict[str, Any]:
    viewer = _viewer(request)
    post = access.post_for(viewer, post_id)
    services.react(post=post, person=viewer)
    return _like_state(post, viewer)


@router.delete("/posts/{post_id}/like", response=LikeOut)
def unlike(request: HttpRequest, post_id: int) -> dict[str, Any]:
    viewer = _viewer(request)
    post = access.post_for(viewer, post_id)
    services.unreact(post=post, person=viewer)
    return _like_state(post, viewer)


@router.post("/posts/{post_id}/read", response={204: None})
def read(request: HttpRequest, post_id: int) -> tuple[int, None]:
    viewer = _viewer(request)
    services.mark_read(post=access.post_for(viewer, post_id), person=viewer)
    return 204, None


@router.get("/posts/{post_id}/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, post_id: int) -> list[Comment]:
    viewer = _viewer(request)
    return selectors.post_page(viewer, access.post_for(viewer, post_id)).comments


@router.post("/posts/{post_id}/comments", response={201: CommentOut})
def add_comment(request: HttpRequest, post_id: int, payload: CommentIn) -> tuple[int, Comment]:
    viewer = _viewer(request)
    post = access.post_for(viewer, post_id)
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, post=post, is_deleted=False).first()
        if parent is None:
            raise _unknown("parent_id")
    return 201, services.comment_create(post=post, author=viewer, body=payload.body, parent=parent)


@router.delete("/comments/{comment_id}", response={204: None})
def delete_comment(request: HttpRequest, comment_id: int) -> tuple[int, None]:
    viewer = _viewer(request)
    services.comment_delete(comment=access.comment_for(viewer, comment_id, for_change=True), by=viewer)
    return 204, None


@router.get("/posts/{post_id}/congratulations", response=list[CongratulationOut])
def list_congratulations(request: HttpRequest, post_id: int) -> list[Congratulation]:
    post = access.post_for(_viewer(request), post_id)
    return list(post.congratulations.select_related("by").order_by("-created_at", "-id")[:200])


@router.post("/posts/{post_id}/congratulations", response={201: CongratulationOut})
def congratulate(request: HttpRequest, post_id: int, payload: CongratulationIn) -> tuple[int, Congratulation]:
    viewer = _viewer(request)
    return 201, services.congratulate(
        post=access.post_for(viewer, post_id), by=viewer, message=payload.message
    )


@router.post("/posts/{post_id}/report", response={201: None})
def report(request: HttpRequest, post_id: int, payload: ReportIn) -> tuple[int, None]:
    viewer = _viewer(request)
    post = access.post_for(viewer, post_id)
    comment = access.comment_for(viewer, payload.comment_id) if payload.comment_id else None
    moderation.report_create(post=post, reporter=viewer, reason=payload.reason, comment=comment)
    return 201, None


@router.get("/search", response=list[PostOut])
def search(
    request: HttpRequest,
    q: str,
    unit: int | None = None,
    region: int | None = None,
    topic: int | None = None,
    account: int | None = None,
    agreement: int | None = None,
    author: int | None = None,
    kind: str | None = None,
    page: int = 1,
) -> list[Post]:
    """French-aware full-text search over posts and their comments, best match first (20 a page)."""
    posts, _more = selectors.search_posts(
        _viewer(request),
        query=q[:200],
        filters=_filters(unit, region, topic, account, agreement, author, kind),
        page=page,
    )
    return posts


@router.get("/recommendations", response=PageOut[RecommendationOut])
def list_recommendations(
    request: HttpRequest,
    team: int | None = None,
    status: str | None = None,
    late: bool = False,
    cursor: str | None = None,
    size: int = 50,
) -> dict[str, Any]:
    """Oldest first (the inbox order): what waits longest comes first."""
    from comptoir.core.pagination import keyset_page

    _size(size, 200)
    if status and status not in Recommendation.Status.values:
        raise _unknown("status")
    recos = recommendations.inbox(_viewer(request), team=team, status=status, overdue_only=late)
    page = keyset_page(recos, ordering=("created_at", "id"), cursor=cursor, size=size)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("/recommendations", response={201: RecommendationDetailOut})
def raise_recommendation(request: HttpRequest, payload: RecommendationIn) -> tuple[int, Recommendation]:
    viewer = _viewer(request)
    post = access.post_for(viewer, payload.post_id, for_change=True)
    try:
        reco = recommendations.recommendation_raise(
            post=post, by=viewer, title=payload.title, hq_team=payload.hq_team_id
        )
    except ValidationError as exc:
        if "hq_team" in getattr(exc, "error_dict", {}):
            raise _unknown("hq_team_id") from exc
        raise
    return 201, access.recommendation_for(viewer, reco.pk)


@router.get("/recommendations/{reco_id}", response=RecommendationDetailOut)
def get_recommendation(request: HttpRequest, reco_id: int) -> Recommendation:
    return access.recommendation_for(_viewer(request), reco_id)


@router.post("/recommendations/{reco_id}/transition", response=RecommendationDetailOut)
def move_recommendation(request: HttpRequest, reco_id: int, payload: TransitionIn) -> Recommendation:
    viewer = _viewer(request)
    reco = access.recommendation_for(viewer, reco_id, for_answer=True)
    recommendations.recommendation_move(
        recommendation=reco, by=viewer, to=payload.status, answer=payload.answer
    )
    return access.recommendation_for(viewer, reco_id)


# Follows and @mention suggestions live in their own module, mounted on this router.
from comptoir.feed.api_follows import router as _follows_router  # noqa: E402

router.add_router("", _follows_router)
