"""Reads of the organisation: the directory, the hierarchy, the scopes other apps build on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from comptoir.core.pagination import Page, keyset_page
from comptoir.core.permissions import Cap, has_cap
from comptoir.core.text import fold
from comptoir.org.models import OrgUnit, Region, Role, Team, User

DIRECTORY_ORDERING = ("last_name", "first_name", "id")
# Reporting lines are short (rep -> manager -> director -> HQ); the bound stops a corrupt chain
# from looping forever and keeps the number of queries fixed.
MAX_HIERARCHY_DEPTH = 8


def people_visible_to(viewer: User) -> QuerySet[User]:
    """Everyone in the company sees the active people; those who maintain the organisation see all."""
    people = User.objects.all()
    if not has_cap(viewer, Cap.MANAGE_ORGANISATION):
        people = people.filter(is_active=True)
    return people


def directory_for(
    *,
    viewer: User,
    query: str = "",
    unit: int | None = None,
    region: int | None = None,
    team: int | None = None,
    role: int | None = None,
    cursor: str | None = None,
    size: int = 25,
) -> Page[User]:
    people = people_visible_to(viewer).select_related("role", "unit", "region", "team")
    for word in fold(query).split():
        people = people.filter(search_text__contains=word)
    filters: dict[str, Any] = {"unit_id": unit, "region_id": region, "team_id": team, "role_id": role}
    people = people.filter(**{k: v for k, v in filters.items() if v})
    return keyset_page(people, ordering=DIRECTORY_ORDERING, cursor=cursor, size=size)


def directory_filters() -> dict[str, list[Any]]:
    """The choices of the directory's filters (four small tables)."""
    return {
        "units": list(OrgUnit.objects.all()),
        "regions": list(Region.objects.all()),
        "teams": list(Team.objects.all()),
        "roles": list(Role.objects.all()),
    }


def report_ids(user: User | int, *, transitive: bool = True) -> set[int]:
    """People who report to `user`, directly or (by default) through their managers."""
    root = user if isinstance(user, int) else user.pk
    found: set[int] = set()
    frontier = {root}
    for _depth in range(MAX_HIERARCHY_DEPTH if transitive else 1):
        level = set(User.objects.filter(manager_id__in=frontier).values_list("id", flat=True)) - found - {root}
        if not level:
            break
        found |= level
        frontier = level
    return found


def managers_above(user: User) -> list[int]:
    """The chain of managers above `user`, nearest first (manager, director, ...)."""
    chain: list[int] = []
    current = user.manager_id
    while current and current not in chain and len(chain) < MAX_HIERARCHY_DEPTH:
        chain.append(current)
        current = User.objects.filter(pk=current).values_list("manager_id", flat=True).first()
    return chain


def team_member_ids(user: User) -> set[int]:
    """The members of `user`'s team and of the teams `user` manages."""
    teams = Q(team__manager=user)
    if user.team_id:
        teams |= Q(team_id=user.team_id)
    return set(User.objects.filter(teams).values_list("id", flat=True))


def managed_people_ids(user: User) -> set[int]:
    """Everyone a manager answers for: their reports at any depth and the members of their teams."""
    ids = report_ids(user)
    ids |= set(User.objects.filter(team__manager=user).values_list("id", flat=True))
    ids.discard(user.pk)
    return ids


def manager_of_map(person_ids: Iterable[int] | None = None) -> dict[int, int | None]:
    people = User.objects.all()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    return dict(people.values_list("id", "manager_id"))


def team_page(team: Team) -> dict[str, Any]:
    members = list(
        team.members.filter(is_active=True).select_related("role", "unit", "region").order_by(*DIRECTORY_ORDERING)
    )
    return {"team": team, "members": members}


def profile_of(person: User) -> dict[str, Any]:
    reports = list(person.reports.filter(is_active=True).select_related("role").order_by(*DIRECTORY_ORDERING))
    return {"person": person, "reports": reports}
