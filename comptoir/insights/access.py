"""Who may read which insights: HQ reads everyone, a manager or a director the people they answer for.

`insights_scope_for(viewer)` is the one fetcher every insights page, export and API endpoint goes through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.org.models import User
from comptoir.org.selectors import managed_people_ids


@dataclass(frozen=True)
class Scope:
    """Everyone, or a set of people (a manager's teams and reports, at any depth)."""

    everyone: bool
    people: frozenset[int] = field(default_factory=frozenset)
    viewer_id: int = 0

    def restrict[M: Any](self, qs: QuerySet[M], field_name: str = "user_id") -> QuerySet[M]:
        if self.everyone:
            return qs
        return qs.filter(**{f"{field_name}__in": sorted(self.people)})

    def includes(self, person_id: int) -> bool:
        return self.everyone or person_id in self.people


def can_read_insights(viewer: User) -> bool:
    return has_cap(viewer, Cap.VIEW_ENGAGEMENT) or has_cap(viewer, Cap.VIEW_TEAM_ACTIVITY)


def sees_everyone(viewer: User) -> bool:
    return has_cap(viewer, Cap.SEE_ALL_POSTS) or has_cap(viewer, Cap.MANAGE_ORGANISATION)


def insights_scope_for(viewer: User) -> Scope:
    """The people whose engagement `viewer` may read, or PermissionDenied403."""
    if not can_read_insights(viewer):
        raise PermissionDenied403("Only managers, directors and head office read engagement insights.")
    if sees_everyone(viewer):
        return Scope(everyone=True, viewer_id=viewer.pk)
    return Scope(everyone=False, people=frozenset(managed_people_ids(viewer)), viewer_id=viewer.pk)


def recommendations_scope_for(viewer: User) -> Scope:
    """Head office (who answers them) reads every recommendation's figures; a manager those of their people."""
    if has_cap(viewer, Cap.ANSWER_RECOMMENDATIONS):
        return Scope(everyone=True, viewer_id=viewer.pk)
    return insights_scope_for(viewer)
