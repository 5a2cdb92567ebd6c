"""Who may see and move an action: the one fetcher every view and API endpoint uses, and the rules."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from comptoir.actions.models import Action
from comptoir.core.permissions import Cap, has_cap
from comptoir.org.models import Team, User
from comptoir.org.selectors import report_ids


def managed_team_ids(viewer: User) -> list[int]:
    """Teams `viewer` answers for: those they manage and those managed by the people under them."""
    managers = {viewer.pk} | report_ids(viewer)
    return list(Team.objects.filter(manager_id__in=managers).values_list("id", flat=True))


def actions_visible_to(viewer: User) -> QuerySet[Action]:
    """A rep sees what is addressed to them or to their team and what they wrote; a manager also sees
    their teams' actions; customer relations (SEE_ALL_ACTIONS) sees every action."""
    actions = Action.objects.all()
    if has_cap(viewer, Cap.SEE_ALL_ACTIONS):
        return actions
    scope = Q(author=viewer) | Q(assignee=viewer)
    if viewer.team_id:
        scope |= Q(team_id=viewer.team_id, to_team=True)
    teams = managed_team_ids(viewer)
    if teams:
        scope |= Q(team_id__in=teams)
    return actions.filter(scope)


def action_for(viewer: User, pk: int) -> Action:
    """The action `pk` if `viewer` may see it, else 404 (a 403 would confirm that it exists)."""
    action = (
        actions_visible_to(viewer)
        .select_related(
            "author",
            "assignee",
            "team",
            "team__manager",
            "kind",
            "account",
            "unit",
            "region",
            "response",
            "response__step",
        )
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    return action


def is_addressee(viewer: User, action: Action) -> bool:
    """The person who must act: the assignee, or the team's manager while nobody is assigned."""
    if action.assignee_id is not None:
        return action.assignee_id == viewer.pk
    return action.team is not None and action.team.manager_id == viewer.pk


def can_dispatch(viewer: User, action: Action) -> bool:
    if not action.is_open or action.team is None:
        return False
    return action.team.manager_id == viewer.pk or has_cap(viewer, Cap.SEE_ALL_ACTIONS)


def allowed_transitions(viewer: User, action: Action) -> list[str]:
    """The states `viewer` may move `action` to, in the order the page offers them."""
    S = Action.Status
    oversees = action.author_id == viewer.pk or has_cap(viewer, Cap.SEE_ALL_ACTIONS)
    acts = is_addressee(viewer, action)
    allowed: list[str] = []
    if action.status == S.OPEN and acts:
        allowed.append(S.IN_PROGRESS)
    if action.is_open and acts:
        allowed.append(S.DONE)
    if action.is_open and (acts or oversees):
        allowed.append(S.CANCELLED)
    if not action.is_open and (acts or oversees):
        allowed.append(S.OPEN)
    return allowed
