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
    team_name: str = "",
    role: int | None = None,
    cursor: str | None = None,
    size: int = 25,
) -> Page[User]:
    """People, filtered; `team_name` is what was typed in the team filter (a whole name or a part)."""
    people = people_visible_to(viewer).select_related("role", "unit", "region", "team")
    for word in fold(query).split():
        people = people.filter(search_text__contains=word)
    filters: dict[str, Any] = {"unit_id": unit, "region_id": region, "team_id": team, "role_id": role}
    people = people.filter(**{k: v for k, v in filters.items() if v})
    team_name = team_name.strip()
    if team_name:
        # A name picked from the suggestions is that team, not also "Lyon Est" for "Lyon".
        exact = list(Team.objects.filter(name__iexact=team_name).values_list("pk", flat=True)[:2])
        people = people.filter(team_id=exact[0]) if len(exact) == 1 else people.filter(team__name__icontains=team_name)
    return keyset_page(people, ordering=DIRECTORY_ORDERING, cursor=cursor, size=size)


TEAM_SUGGESTIONS = 20


def teams_named_like(text: str) -> list[Team]:
    """At most TEAM_SUGGESTIONS teams whose name holds every typed word, by name: one query."""
    teams = Team.objects.order_by("name", "id")
    for word in text.split():
        teams = teams.filter(name__icontains=word)
    return list(teams.only("id", "name")[:TEAM_SUGGESTIONS])


UNIT_ORDERING = ("kind", "name", "id")
TEAM_ORDERING = ("name", "id")


def units_for(
    *, viewer: User, kind: str = "", query: str = "", cursor: str | None = None, size: int = 50
) -> Page[OrgUnit]:
    """Organisation units, business units first; the whole company may read its own structure."""
    units = OrgUnit.objects.all()
    if kind:
        units = units.filter(kind=kind)
    for word in query.split():
        units = units.filter(Q(name__icontains=word) | Q(name_en__icontains=word) | Q(code__icontains=word))
    return keyset_page(units, ordering=UNIT_ORDERING, cursor=cursor, size=size)


def teams_for(
    *,
    viewer: User,
    unit: int | None = None,
    region: int | None = None,
    manager: int | None = None,
    query: str = "",
    cursor: str | None = None,
    size: int = 50,
) -> Page[Team]:
    teams = Team.objects.all()
    filters: dict[str, Any] = {"unit_id": unit, "region_id": region, "manager_id": manager}
    teams = teams.filter(**{k: v for k, v in filters.items() if v})
    for word in query.split():
        teams = teams.filter(name__icontains=word)
    return keyset_page(teams, ordering=TEAM_ORDERING, cursor=cursor, size=size)


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
    for depth in range(1, (MAX_HIERARCHY_DEPTH if transitive else 1) + 1):
        # Level n as a join up the chain (manager__manager..._id = root), not as an IN list of
        # level n-1: a director's levels hold thousands of ids, each prepared in Python.
        chain = "__".join(["manager"] * depth) + "_id"
        level = set(User.objects.filter(**{chain: root}).order_by().values_list("id", flat=True)) - found - {root}
        if not level:
            break
        found |= level
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
    teams = Q(manager=user)
    if user.team_id:
        teams |= Q(pk=user.team_id)
    # `team_id IN (teams)` and no ORDER BY: SQLite then reads the team index. Written as an OR
    # over the join, ordered by name, it scanned every person (17 ms at 9,500 people).
    return set(User.objects.filter(team_id__in=Team.objects.filter(teams).values("id")).order_by().values_list("id", flat=True))


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


def team_page(team: Team, *, cursor: str | None = None, size: int = 25) -> dict[str, Any]:
    """A team and one page of its active members: a national team of 2,000 costs what a team of 8 does."""
    members = team.members.filter(is_active=True).select_related("role", "unit", "region")
    return {
        "team": team,
        # One COUNT on the (team, name) index, so the heading still says how many the team holds.
        "member_count": members.count(),
        "page": keyset_page(members, ordering=DIRECTORY_ORDERING, cursor=cursor, size=size),
    }


def profile_of(person: User, *, cursor: str | None = None, size: int = 25) -> dict[str, Any]:
    """A person and one page of their direct reports (the head of HQ may have a thousand)."""
    reports = person.reports.filter(is_active=True).select_related("role")
    return {
        "person": person,
        "report_count": reports.count(),
        "page": keyset_page(reports, ordering=DIRECTORY_ORDERING, cursor=cursor, size=size),
    }
