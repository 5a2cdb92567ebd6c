"""The action's life: open -> in progress -> done (with a note) or cancelled (with a reason); reopen."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from comptoir.actions import services
from comptoir.actions.models import Action, ActionEvent
from comptoir.core.permissions import PermissionDenied403

S = Action.Status
pytestmark = pytest.mark.django_db


def test_the_addressee_starts_then_closes_the_loop_with_a_note(cast: Any, post_action: Any) -> None:
    action = post_action()
    assert action.status == S.OPEN
    action = services.action_transition(action=action, actor=cast.rep, to=S.IN_PROGRESS)
    assert action.status == S.IN_PROGRESS
    assert action.first_response_at is not None
    action = services.action_transition(
        action=action, actor=cast.rep, to=S.DONE, note="Rappelé, livraison replanifiée"
    )
    assert action.status == S.DONE and action.closed_at is not None
    assert action.resolution_note == "Rappelé, livraison replanifiée"
    verbs = list(action.events.values_list("verb", flat=True))
    assert verbs == ["created", "started", "done"]


def test_open_can_go_straight_to_done(cast: Any, post_action: Any) -> None:
    action = services.action_transition(action=post_action(), actor=cast.rep, to=S.DONE, note="Fait")
    assert action.status == S.DONE


@pytest.mark.parametrize("to", [S.DONE, S.CANCELLED])
def test_closing_or_cancelling_needs_a_note_and_changes_nothing_without_it(
    cast: Any, post_action: Any, to: str
) -> None:
    action = post_action()
    with pytest.raises(ValidationError):
        services.action_transition(action=action, actor=cast.rep, to=to, note="   ")
    action.refresh_from_db()
    assert action.status == S.OPEN
    assert action.events.count() == 1


def test_cancel_with_a_reason_then_reopen_keeps_history(cast: Any, post_action: Any) -> None:
    action = post_action()
    action = services.action_transition(action=action, actor=cast.agent, to=S.CANCELLED, note="Doublon")
    assert action.cancel_reason == "Doublon"
    action = services.action_transition(action=action, actor=cast.agent, to=S.OPEN, note="Pas un doublon")
    assert action.status == S.OPEN and action.cancel_reason == "" and action.closed_at is None
    events = list(action.events.order_by("at", "id"))
    assert [e.verb for e in events] == ["created", "cancelled", "reopened"]
    assert events[1].note == "Doublon"


def test_reopen_after_done_keeps_the_old_note_in_history(cast: Any, post_action: Any) -> None:
    action = services.action_transition(action=post_action(), actor=cast.rep, to=S.DONE, note="Premier essai")
    action = services.action_transition(action=action, actor=cast.agent, to=S.OPEN, note="Le client rappelle")
    assert action.resolution_note == ""
    assert ActionEvent.objects.filter(action=action, verb="done", note="Premier essai").exists()
    action = services.action_transition(action=action, actor=cast.rep, to=S.DONE, note="Second essai")
    assert action.resolution_note == "Second essai"


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.IN_PROGRESS, S.OPEN),  # in progress cannot go back to open
        (S.IN_PROGRESS, S.IN_PROGRESS),
        (S.DONE, S.IN_PROGRESS),
        (S.DONE, S.CANCELLED),
        (S.CANCELLED, S.DONE),
        (S.CANCELLED, S.IN_PROGRESS),
        (S.OPEN, S.OPEN),
    ],
)
def test_refused_transitions(cast: Any, post_action: Any, start: str, to: str) -> None:
    action = post_action()
    if start == S.IN_PROGRESS:
        action = services.action_transition(action=action, actor=cast.rep, to=S.IN_PROGRESS)
    elif start == S.DONE:
        action = services.action_transition(action=action, actor=cast.rep, to=S.DONE, note="x")
    elif start == S.CANCELLED:
        action = services.action_transition(action=action, actor=cast.agent, to=S.CANCELLED, note="x")
    with pytest.raises((ValidationError, PermissionDenied403)):
        services.action_transition(action=action, actor=cast.rep, to=to, note="x")
    action.refresh_from_db()
    assert action.status == start


def test_unknown_state_is_refused(cast: Any, post_action: Any) -> None:
    with pytest.raises(ValidationError):
        services.action_transition(action=post_action(), actor=cast.rep, to="archived")


def test_only_the_addressee_closes_and_only_the_involved_cancel(cast: Any, post_action: Any) -> None:
    action = post_action()
    for stranger in (cast.teammate, cast.outsider, cast.agent):
        with pytest.raises(PermissionDenied403):
            services.action_transition(action=action, actor=stranger, to=S.DONE, note="x")
    with pytest.raises(PermissionDenied403):
        services.action_transition(action=action, actor=cast.outsider, to=S.CANCELLED, note="x")
    action.refresh_from_db()
    assert action.status == S.OPEN


def test_posting_checks_its_input_and_writes_nothing_when_bad(cast: Any, post_action: Any, kind: Any) -> None:
    import datetime as dt

    from comptoir.core import clock

    with pytest.raises(ValidationError) as info:
        post_action(title="", due_on=clock.today() - dt.timedelta(days=1))
    assert set(info.value.message_dict) == {"title", "due_on"}
    with pytest.raises(ValidationError):
        post_action(assignee=None)
    with pytest.raises(ValidationError):
        post_action(team=cast.team)  # a person and a team at once
    assert Action.objects.count() == 0


def test_a_team_action_is_dispatched_by_the_manager(cast: Any, post_action: Any) -> None:
    action = post_action(assignee=None, team=cast.team)
    assert action.to_team and action.assignee is None
    with pytest.raises(PermissionDenied403):
        services.action_dispatch(action=action, actor=cast.rep, assignee=cast.rep)
    with pytest.raises(ValidationError):
        services.action_dispatch(action=action, actor=cast.manager, assignee=cast.rep_trade)
    action = services.action_dispatch(action=action, actor=cast.manager, assignee=cast.teammate)
    assert action.assignee == cast.teammate
    assert action.first_response_at is not None
    services.action_transition(action=action, actor=cast.teammate, to=S.DONE, note="Visite faite")
