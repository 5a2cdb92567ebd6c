"""Reads behind "what I follow" and the @mention suggestions.

What a person follows feeds their "For me"; the page lists it with the suggestions that make "For
me" useful from the first day (the topics, the people of their team and their manager). Mention
suggestions search the directory with its own visibility rules, so a name the directory would not
show is never proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from comptoir.core.pagination import Page, keyset_page
from comptoir.feed.markup import MENTION
from comptoir.feed.models import PersonFollow, TopicFollow
from comptoir.feed.taxonomy import Tag, taxonomy
from comptoir.org.models import User
from comptoir.org.selectors import directory_for, people_visible_to

FOLLOW_ORDERING = ("-id",)  # the most recent follow first
FOLLOWS_PAGE = 50
SUGGESTED_PEOPLE = 20
MENTION_RESULTS = 8
MENTION_QUERY_MAX = 60


def people_followed(
    viewer: User, *, cursor: str | None = None, size: int = FOLLOWS_PAGE
) -> Page[PersonFollow]:
    """The people `viewer` follows (each row's `followed` with their team), keyset-paginated.

    People who left the company stay listed (they can still be unfollowed) only for those who see
    inactive people in the directory."""
    follows = PersonFollow.objects.filter(
        follower=viewer, followed__in=people_visible_to(viewer)
    ).select_related("followed", "followed__team")
    return keyset_page(follows, ordering=FOLLOW_ORDERING, cursor=cursor, size=size)


def follows_person(viewer: User, person: User) -> bool:
    """Whether `viewer` follows `person` (their posts come into `viewer`'s "For me"). One query."""
    return PersonFollow.objects.filter(follower_id=viewer.pk, followed_id=person.pk).exists()


def topics_followed(viewer: User) -> list[Tag]:
    """The practice topics `viewer` follows, by name (the taxonomy is small and cached)."""
    tax = taxonomy()
    ids = TopicFollow.objects.filter(follower=viewer).values_list("topic_id", flat=True)
    return sorted((tax.topics[t] for t in ids if t in tax.topics), key=lambda tag: str(tag.label).casefold())


def suggested_topics(viewer: User, followed: list[Tag]) -> list[Tag]:
    """The active topics `viewer` does not follow yet."""
    tax = taxonomy()
    taken = {tag.pk for tag in followed}
    tags = (tax.topics[t] for t in tax.active_topic_ids if t not in taken and t in tax.topics)
    return sorted(tags, key=lambda tag: str(tag.label).casefold())


def suggested_people(viewer: User, *, limit: int = SUGGESTED_PEOPLE) -> list[User]:
    """Whom to follow first: my manager, my teammates and the people of the teams I manage, except
    those I already follow. One query."""
    near = Q(team__manager_id=viewer.pk)
    if viewer.manager_id:
        near |= Q(pk=viewer.manager_id)
    if viewer.team_id:
        near |= Q(team_id=viewer.team_id)
    already = PersonFollow.objects.filter(follower_id=viewer.pk, followed_id=OuterRef("pk"))
    return list(
        people_visible_to(viewer)
        .filter(near, is_active=True)
        .exclude(pk=viewer.pk)
        .filter(~Exists(already))
        .select_related("team")
        .order_by("last_name", "first_name", "id")[:limit]
    )


def mention_handle(person: User) -> str:
    """What to type after "@" to mention `person`: their e-mail address before the "@"."""
    return person.email.split("@", 1)[0].lower()


@dataclass(frozen=True)
class MentionCandidate:
    id: int
    name: str
    handle: str
    team: str
    photo_url: str
    initials: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def mention_candidates(viewer: User, query: str, *, limit: int = MENTION_RESULTS) -> list[MentionCandidate]:
    """Active people matching `query` (name, e-mail, job title) as the directory finds them for
    `viewer`, at most `limit`, without the viewer and without anyone whose handle a mention could not
    name. One query; an empty query finds nobody."""
    query = query.strip()[:MENTION_QUERY_MAX]
    if not query:
        return []
    # One more than shown: the viewer may be among those found and is left out.
    page = directory_for(viewer=viewer, query=query, size=limit + 1)
    found = []
    for person in page.items:
        handle = mention_handle(person)
        if person.pk == viewer.pk or not person.is_active or not MENTION.fullmatch(f"@{handle}"):
            continue
        found.append(
            MentionCandidate(
                id=person.pk,
                name=person.full_name,
                handle=handle,
                team=person.team.name if person.team_id and person.team else "",
                photo_url=person.photo.url if person.photo else "",
                initials=person.initials,
            )
        )
    return found[:limit]
