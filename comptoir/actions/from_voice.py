"""From the customer's voice to an action: proposals pre-filled from a response, automatic rules,
and the customer's next response after a closed loop.

Which responses call for an action is configuration (`ClosedLoopSettings`): detractors always,
passives and high-effort answers as configured. The rep is the one who owned the account *when the
customer answered* (snapshotted on the response), not whoever owns it today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from comptoir.actions import services
from comptoir.actions.models import Action, ActionKind, ActionRule, ClosedLoopSettings
from comptoir.core import clock
from comptoir.core.permissions import Cap, has_cap
from comptoir.org.models import User
from comptoir.voice.models import DETRACTOR_MAX, PROMOTER_MIN, Response


def response_groups(response: Response, settings: ClosedLoopSettings | None = None) -> list[str]:
    """The groups (detractor, passive, high_effort) of a response that call for an action."""
    settings = settings or ClosedLoopSettings.current()
    groups: list[str] = []
    if response.nps is not None and response.nps <= DETRACTOR_MAX:
        groups.append(ActionRule.Group.DETRACTOR)
    if (
        settings.propose_for_passives
        and response.nps is not None
        and DETRACTOR_MAX < response.nps < PROMOTER_MIN
    ):
        groups.append(ActionRule.Group.PASSIVE)
    if (
        settings.propose_for_high_effort
        and response.ces is not None
        and response.ces <= settings.high_effort_max
    ):
        groups.append(ActionRule.Group.HIGH_EFFORT)
    return groups


def may_raise_from(viewer: User, response: Response) -> bool:
    """Customer relations (and whoever reads the love score) raise actions from any response; the
    rep who owned the account may raise one from their own customer's response."""
    return (
        has_cap(viewer, Cap.SEE_ALL_ACTIONS)
        or has_cap(viewer, Cap.READ_LOVE_SCORE)
        or (response.owner_id is not None and response.owner_id == viewer.pk)
    )


def _kind_for(response: Response) -> ActionKind:
    code = "call_back"
    step_code = response.step.code if response.step_id and response.step else ""
    if step_code == "delivery":
        code = "delivery"
    elif step_code in ("promotion", "rebate", "promotion-rebate"):
        code = "promotion"
    elif step_code in ("installation", "machine-installation"):
        code = "visit"
    found = (
        ActionKind.objects.filter(code=code, active=True).first()
        or ActionKind.objects.filter(active=True).first()
    )
    assert found is not None, "no active kind of action"
    return found


def proposal_for(response: Response) -> dict[str, Any]:
    """The pre-filled action for a response: to the rep who owned the account when it answered."""
    settings = ClosedLoopSettings.current()
    account_name = (
        response.account.name if response.account_id and response.account else _("anonymous customer")
    )
    score = (
        _("recommendation %(nps)s/10") % {"nps": response.nps}
        if response.nps is not None
        else _("no recommendation score")
    )
    effort = _(", effort %(ces)s/7") % {"ces": response.ces} if response.ces is not None else ""
    step = f" · {response.step}" if response.step_id else ""
    description = _("The customer answered on %(date)s: %(score)s%(effort)s%(step)s.") % {
        "date": response.answered_at.strftime("%d/%m/%Y"),
        "score": score,
        "effort": effort,
        "step": step,
    }
    if response.comment:
        description += "\n\n« " + response.comment + " »"
    return {
        "assignee": response.owner_id,
        "account": response.account_id,
        "response": response.pk,
        "kind": _kind_for(response).pk,
        "title": (_("Call back %(account)s (%(score)s)") % {"account": account_name, "score": score})[:200],
        "description": description,
        "due_on": clock.today() + dt.timedelta(days=settings.default_due_days),
        "priority": Action.Priority.HIGH
        if response.nps is not None and response.nps <= 4
        else Action.Priority.NORMAL,
    }


def actions_apply_rules(response: Response) -> Action | None:
    """Raise the automatic action for `response` if an active rule matches (at most one per response)."""
    if response.owner_id is None or Action.objects.filter(response=response, rule__isnull=False).exists():
        return None
    groups = response_groups(response)
    if not groups:
        return None
    rules = ActionRule.objects.filter(active=True, group__in=groups).filter(
        Q(step__isnull=True) | Q(step_id=response.step_id)
    )
    rule = rules.select_related("kind", "author").order_by("step_id", "id").first()
    if rule is None or response.owner is None or not response.owner.is_active:
        return None
    proposal = proposal_for(response)
    try:
        with transaction.atomic():
            action = services.action_create(
                author=rule.author,
                assignee=response.owner,
                account=response.account,
                response=response,
                kind=rule.kind,
                title=proposal["title"],
                description=proposal["description"],
                due_on=clock.today() + dt.timedelta(days=rule.due_days),
                priority=rule.priority,
            )
            Action.objects.filter(pk=action.pk).update(rule=rule)
    except IntegrityError:
        return None  # another worker raised it first: the unique constraint keeps one
    return action


def actions_apply_rules_since(since: dt.datetime, *, limit: int = 10_000) -> int:
    """The periodic sweep: apply the rules to responses answered since `since` that have no action."""
    responses = (
        Response.objects.filter(answered_at__gte=since, owner__isnull=False)
        .exclude(actions__rule__isnull=False)
        .select_related("owner", "account", "step")
        .order_by("answered_at", "id")[:limit]
    )
    return sum(1 for response in responses if actions_apply_rules(response) is not None)


def next_response_after(action: Action) -> Response | None:
    """The customer's first response after the loop was closed, so customer relations sees whether
    it changed anything."""
    if action.status != Action.Status.DONE or action.closed_at is None or action.account_id is None:
        return None
    return (
        Response.objects.filter(
            account_id=action.account_id, answered_at__gt=action.closed_at, nps__isnull=False
        )
        .order_by("answered_at", "id")
        .first()
    )
