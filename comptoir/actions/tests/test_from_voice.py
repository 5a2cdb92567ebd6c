"""From a detractor's response to an action, and back to the customer's next response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from comptoir.actions import from_voice, selectors, services
from comptoir.actions.models import Action, ActionRule, ClosedLoopSettings
from comptoir.core import clock
from comptoir.core.permissions import PermissionDenied403

pytestmark = pytest.mark.django_db


def test_which_responses_call_for_an_action(make_response: Any) -> None:
    ClosedLoopSettings.objects.update(
        propose_for_passives=False, propose_for_high_effort=True, high_effort_max=3
    )
    assert from_voice.response_groups(make_response(nps=6, ces=6)) == ["detractor"]
    assert from_voice.response_groups(make_response(nps=8, ces=6)) == []
    assert from_voice.response_groups(make_response(nps=9, ces=2)) == ["high_effort"]
    ClosedLoopSettings.objects.update(propose_for_passives=True, propose_for_high_effort=False)
    assert from_voice.response_groups(make_response(nps=7, ces=1)) == ["passive"]


def test_the_proposal_goes_to_the_rep_who_owned_the_account_when_the_customer_answered(
    cast: Any, make_response: Any, account: Any
) -> None:
    response = make_response(owner=cast.rep)
    account.owner = cast.teammate  # ownership changed since the answer
    account.save()
    proposal = from_voice.proposal_for(response)
    assert proposal["assignee"] == cast.rep.pk
    assert proposal["account"] == account.pk and proposal["response"] == response.pk
    assert "Livraison arrivée hors créneau" in proposal["description"]
    assert proposal["kind"] == from_voice.ActionKind.objects.get(code="delivery").pk


def test_the_agent_confirms_the_proposal_in_one_step(cast: Any, login: Any, make_response: Any) -> None:
    response = make_response()
    client = login(cast.agent)
    page = client.get(reverse("actions:new") + f"?response={response.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items() if v is not None}
    assert client.post(reverse("actions:new") + f"?response={response.pk}", data).status_code == 302
    action = Action.objects.get()
    assert action.response == response and action.assignee == cast.rep
    # A rep of another team may not raise actions from someone else's customer.
    assert login(cast.outsider).get(reverse("actions:new") + f"?response={response.pk}").status_code == 404


def test_rules_raise_one_automatic_action_per_response(cast: Any, make_response: Any, kind: Any) -> None:
    ActionRule.objects.create(name="Détracteurs", group="detractor", kind=kind, author=cast.agent, due_days=2)
    response = make_response(nps=2)
    action = from_voice.actions_apply_rules(response)
    assert action is not None
    action.refresh_from_db()
    assert (action.assignee, action.response, action.rule.name if action.rule else None) == (
        cast.rep,
        response,
        "Détracteurs",
    )
    assert from_voice.actions_apply_rules(response) is None
    assert Action.objects.filter(response=response).count() == 1
    promoter = make_response(nps=10, ces=7)
    assert from_voice.actions_apply_rules(promoter) is None
    assert from_voice.actions_apply_rules_since(clock.now() - dt.timedelta(days=1)) == 0


def test_the_next_response_after_a_closed_loop_is_linked(
    cast: Any, make_response: Any, post_action: Any, account: Any
) -> None:
    before = make_response(nps=3)
    action = post_action(account=account, response=before)
    services.action_transition(action=action, actor=cast.rep, to="done", note="Créneau corrigé")
    assert from_voice.next_response_after(Action.objects.get(pk=action.pk)) is None
    later = make_response(nps=9, answered_at=clock.now() + dt.timedelta(days=20))
    action.refresh_from_db()
    assert from_voice.next_response_after(action) == later


def test_share_of_detractors_followed_by_month(cast: Any, make_response: Any, post_action: Any) -> None:
    followed = make_response(nps=1)
    make_response(nps=5)
    make_response(nps=10)
    promoter = make_response(nps=9)
    post_action(response=followed)
    post_action(response=followed)  # a second action on the same response: still one detractor followed
    post_action(response=promoter)  # a promoter followed up is not a detractor followed
    figures = selectors.closed_loop_metrics(viewer=cast.agent, months=2)
    this_month = figures[-1]
    assert (this_month.detractors, this_month.followed, this_month.followed_pct) == (2, 1, 50.0)
    assert (figures[0].detractors, figures[0].followed_pct) == (0, None)
    assert selectors.coverage_of(figures).share_pct == 50
    # By the unit and region snapshotted on the response.
    horeca, trade = cast.units["horeca"].pk, cast.units["trade"].pk
    assert selectors.closed_loop_metrics(viewer=cast.agent, months=1, unit=horeca)[0].followed == 1
    assert selectors.closed_loop_metrics(viewer=cast.agent, months=1, unit=trade)[0].detractors == 0
    assert (
        selectors.closed_loop_metrics(viewer=cast.agent, months=1, region=cast.regions["idf"].pk)[
            0
        ].followed_pct
        == 50.0
    )
    # In the month the customer answered, even when the action came the month after.
    last_month = make_response(nps=0, answered_at=clock.now() - dt.timedelta(days=40))
    post_action(response=last_month)
    figures = selectors.closed_loop_metrics(viewer=cast.agent, months=3)
    assert sum(m.followed for m in figures[:-1]) == 1 and figures[-1].followed == 1
    assert timezone.is_aware(followed.answered_at)


def test_the_metrics_read_two_roll_ups_whatever_the_number_of_actions(
    cast: Any, make_response: Any, post_action: Any, django_assert_num_queries: Any
) -> None:
    for nps in (1, 2, 3):
        post_action(response=make_response(nps=nps))
    with django_assert_num_queries(2):
        selectors.closed_loop_metrics(viewer=cast.agent, months=12, unit=cast.units["horeca"].pk)


def test_the_loop_side_by_side_per_unit_and_region(cast: Any, make_response: Any, post_action: Any) -> None:
    horeca, trade = cast.units["horeca"], cast.units["trade"]
    followed = make_response(nps=2)
    make_response(nps=3)
    make_response(nps=1, unit=trade, region=None)
    post_action(response=followed)
    action = post_action(assignee=cast.rep_trade)
    services.action_transition(action=action, actor=cast.rep_trade, to="done", note="ok")
    rows = {g.label: g for g in selectors.closed_loop_breakdown(viewer=cast.agent, dimension="unit")}
    assert (rows[str(horeca)].detractors, rows[str(horeca)].followed, rows[str(horeca)].followed_pct) == (
        2,
        1,
        50.0,
    )
    assert (rows[str(trade)].detractors, rows[str(trade)].followed, rows[str(trade)].closed) == (1, 0, 1)
    assert rows[str(trade)].followed_pct == 0.0
    regions = selectors.closed_loop_breakdown(viewer=cast.agent, dimension="region")
    assert [g.label for g in regions][-1] == "—"  # responses without a region come last
    with pytest.raises(PermissionDenied403):
        selectors.closed_loop_breakdown(viewer=cast.rep, dimension="unit")
