"""Permission-scoped fetchers: the one way a view or an API endpoint gets an organisation object."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from comptoir.org.models import OrgUnit, Team, User
from comptoir.org.selectors import people_visible_to


def person_for(viewer: User, pk: int) -> User:
    """The person `pk` as `viewer` may see them, or 404 (never 403: it would confirm they exist)."""
    person = people_visible_to(viewer).select_related("role", "unit", "region", "team", "manager").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def team_for(viewer: User, pk: int) -> Team:
    return get_object_or_404(Team.objects.select_related("unit", "region", "manager"), pk=pk)


def unit_for(viewer: User, pk: int) -> OrgUnit:
    return get_object_or_404(OrgUnit, pk=pk)
