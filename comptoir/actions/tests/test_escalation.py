"""An overdue action is flagged to the addressee's manager after the configured delay, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from comptoir.actions import services
from comptoir.actions.models import Action, ClosedLoopSettings
from comptoir.core import clock
from comptoir.notifications.models import Notification

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def test_escalation_fires_once_after_the_delay(cast: Any, post_action: Any) -> None:
    ClosedLoopSettings.objects.update(escalation_delay_days=2)
    start = clock.today()
    action = post_action(due_on=start + dt.timedelta(days=1))
    due = action.due_on
    # On the due date and up to the delay, nothing happens.
    for offset in (0, 1, 2):
        with clock.frozen(at(due + dt.timedelta(days=offset))):
            assert services.actions_escalate() == 0
    assert not Notification.objects.filter(recipient=cast.manager, kind="action_escalated").exists()
    # The day after the delay, the manager hears of it, once.
    with clock.frozen(at(due + dt.timedelta(days=3))):
        assert services.actions_escalate() == 1
        assert services.actions_escalate() == 0
    with clock.frozen(at(due + dt.timedelta(days=10))):
        assert services.actions_escalate() == 0
    flags = Notification.objects.filter(recipient=cast.manager, kind="action_escalated")
    assert flags.count() == 1
    action.refresh_from_db()
    assert action.escalated_at == at(due + dt.timedelta(days=3))


def test_closed_actions_are_not_escalated(cast: Any, post_action: Any) -> None:
    action = post_action(due_on=clock.today())
    services.action_transition(action=action, actor=cast.rep, to=Action.Status.DONE, note="ok")
    with clock.frozen(at(clock.today() + dt.timedelta(days=30))):
        assert services.actions_escalate() == 0


def test_a_team_action_escalates_to_the_team_manager_s_manager_when_nobody_took_it(
    cast: Any, post_action: Any
) -> None:
    post_action(assignee=None, team=cast.team, due_on=clock.today())
    with clock.frozen(at(clock.today() + dt.timedelta(days=5))):
        assert services.actions_escalate() == 1
    assert Notification.objects.filter(recipient=cast.director, kind="action_escalated").count() == 1


def test_the_delay_is_configurable(cast: Any, post_action: Any) -> None:
    ClosedLoopSettings.objects.update(escalation_delay_days=7)
    action = post_action(due_on=clock.today())
    with clock.frozen(at(action.due_on + dt.timedelta(days=7))):
        assert services.actions_escalate() == 0
    with clock.frozen(at(action.due_on + dt.timedelta(days=8))):
        assert services.actions_escalate() == 1
