"""Follows and @mention suggestions in the API: what I follow, suggestions, follow and unfollow a
person or a topic, people to mention. Same reads, fetchers and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.feed import access, following, services
from comptoir.org.access import person_for
from comptoir.org.models import User

router = Router(tags=["field feed"])


class FollowedPersonOut(Schema):
    id: int
    name: str
    team: str


class TopicOut(Schema):
    id: int
    name: str


class SuggestionsOut(Schema):
    people: list[FollowedPersonOut]
    topics: list[TopicOut]


class MentionOut(Schema):
    id: int
    name: str
    handle: str
    team: str
    photo_url: str
    initials: str


def _viewer(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _person(person: User) -> dict[str, Any]:
    return {"id": person.pk, "name": person.full_name, "team": person.team.name if person.team else ""}


def _topics(tags: list[Any]) -> list[dict[str, Any]]:
    return [{"id": tag.pk, "name": tag.label} for tag in tags]


@router.get("/follows/people", response=PageOut[FollowedPersonOut])
def followed_people(request: HttpRequest, cursor: str | None = None, size: int = 50) -> dict[str, Any]:
    """The people I follow, the most recently followed first; keyset pages."""
    if not 1 <= size <= 100:
        raise ApiError(
            422, "invalid_input", "size must be between 1 and 100.", [{"field": "size", "message": "range"}]
        )
    page = following.people_followed(_viewer(request), cursor=cursor, size=size)
    return {"items": [_person(f.followed) for f in page.items], "next_cursor": page.next_cursor}


@router.get("/follows/topics", response=list[TopicOut])
def followed_topics(request: HttpRequest) -> list[dict[str, Any]]:
    """The practice topics I follow."""
    return _topics(following.topics_followed(_viewer(request)))


@router.get("/follows/suggestions", response=SuggestionsOut)
def suggestions(request: HttpRequest) -> dict[str, Any]:
    """Whom and what to follow: my manager and the people of my team, the topics I do not follow."""
    viewer = _viewer(request)
    return {
        "people": [_person(p) for p in following.suggested_people(viewer)],
        "topics": _topics(following.suggested_topics(viewer, following.topics_followed(viewer))),
    }


@router.put("/follows/people/{person_id}", response={204: None})
def follow_person(request: HttpRequest, person_id: int) -> Status[None]:
    """Follow a person (their posts come into my "For me"); following twice is harmless."""
    viewer = _viewer(request)
    person = person_for(viewer, person_id)
    try:
        services.follow_person(follower=viewer, followed=person)
    except ValidationError as exc:
        raise ApiError(
            422, "invalid_input", " ".join(exc.messages), [{"field": "person_id", "message": "self"}]
        ) from exc
    return Status(204, None)


@router.delete("/follows/people/{person_id}", response={204: None})
def unfollow_person(request: HttpRequest, person_id: int) -> Status[None]:
    viewer = _viewer(request)
    person = person_for(viewer, person_id)
    if person.pk != viewer.pk:  # nobody follows themselves: nothing to undo
        services.follow_person(follower=viewer, followed=person, follow=False)
    return Status(204, None)


@router.put("/follows/topics/{topic_id}", response={204: None})
def follow_topic(request: HttpRequest, topic_id: int) -> Status[None]:
    viewer = _viewer(request)
    services.follow_topic(follower=viewer, topic=access.topic_for(viewer, topic_id))
    return Status(204, None)


@router.delete("/follows/topics/{topic_id}", response={204: None})
def unfollow_topic(request: HttpRequest, topic_id: int) -> Status[None]:
    viewer = _viewer(request)
    services.follow_topic(follower=viewer, topic=access.topic_for(viewer, topic_id), follow=False)
    return Status(204, None)


@router.get("/mentions", response=list[MentionOut])
def mentions(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    """People to @mention: those the directory shows me whose name, e-mail or job title matches `q`
    (8 at most, never myself). `handle` is what to write after "@"."""
    if len(q) > following.MENTION_QUERY_MAX:
        raise ApiError(422, "invalid_input", "q is too long.", [{"field": "q", "message": "too_long"}])
    return [c.as_dict() for c in following.mention_candidates(_viewer(request), q)]
