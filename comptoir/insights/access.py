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
    # Teams whose every member (the viewer aside) is among `people`: their per-team roll-ups may be
    # read whole, so a manager's page costs the same at 300 people as at 15,000. See `teams_wholly_in`.
    teams: frozenset[int] = field(default_factory=frozenset)
    loose: frozenset[int] = field(default_factory=frozenset)  # the people not in one of `teams` today

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
    people = managed_people_ids(viewer)
    teams, loose = teams_wholly_in(people, viewer.pk)
    return Scope(everyone=False, people=frozenset(people), viewer_id=viewer.pk, teams=teams, loose=loose)


def teams_wholly_in(people: set[int], viewer_id: int) -> tuple[frozenset[int], frozenset[int]]:
    """The teams of `people` that hold nobody else but the viewer, and the people outside them (two queries).

    A team read whole through its roll-up counts whoever belonged to it in each period: the team's
    history is the team's, whoever runs it now; the viewer's own figures are taken out by the reads.
    The others (`loose`: no team, or a team shared with people the viewer does not answer for) are
    read person by person, for the periods they spent outside those teams.
    """
    if not people:
        return frozenset(), frozenset()
    team_of = dict(User.objects.filter(pk__in=sorted(people)).order_by().values_list("id", "team_id"))
    candidates = {team for team in team_of.values() if team is not None}
    shared = set(
        User.objects.filter(team_id__in=sorted(candidates))
        .exclude(pk__in=sorted(people | {viewer_id}))
        .order_by()
        .values_list("team_id", flat=True)
        .distinct()
    )
    teams = frozenset(candidates - shared)
    return teams, frozenset(pk for pk in people if team_of.get(pk) not in teams)


def recommendations_scope_for(viewer: User) -> Scope:
    """Head office (who answers them) reads every recommendation's figures; a manager those of their people."""
    if has_cap(viewer, Cap.ANSWER_RECOMMENDATIONS):
        return Scope(everyone=True, viewer_id=viewer.pk)
    return insights_scope_for(viewer)
