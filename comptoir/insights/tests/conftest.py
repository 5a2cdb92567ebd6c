from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from comptoir.actions.models import Action, ActionKind
from comptoir.core import clock
from comptoir.insights import rollups
from comptoir.insights.models import DailyActivity
from comptoir.org.models import User
from comptoir.org.testing import make_person

PARIS = dt.timezone(dt.timedelta(hours=1))


def at(day: str, hour: int = 10) -> dt.datetime:
    """An aware moment on a local day (Paris, winter time)."""
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


@pytest.fixture
def active_on() -> Any:
    """`active_on(person, "2026-11-10", posts=2)`: a day of activity, as the roll-up would hold it."""

    def make(person: Any, day: str, *, visited: bool = True, **counts: int) -> DailyActivity:
        return DailyActivity.objects.create(
            user=person, day=dt.date.fromisoformat(day), visited=visited, **counts
        )

    return make


MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def with_open_actions(cast: Any) -> Any:
    """Give every person an open action, so that everyone's digest has something to say."""
    from comptoir.actions.tests.conftest import ensure_kinds

    ensure_kinds()
    kind = ActionKind.objects.get(code="call_back")
    now = clock.now()
    Action.objects.bulk_create(
        Action(
            author=cast.agent,
            assignee=p,
            kind=kind,
            title=f"Rappeler le client de {p.first_name}",
            due_on=MONDAY,
            created_at=now,
            updated_at=now,
        )
        for p in User.objects.all()
    )
    return cast


@pytest.fixture
def company(cast: Any) -> Any:
    """Two more reps in each field team, everyone with an account since January and known managers."""
    roles, units = cast.roles, cast.units
    for team, manager in ((cast.team, cast.manager), (cast.team_trade, cast.manager_trade)):
        for i in range(2):
            make_person(
                role=roles["rep"],
                unit=team.unit,
                region=team.region,
                team=team,
                manager=manager,
                first_name=f"Rep{i}",
                last_name=team.name,
            )
    make_person(
        role=roles["rep"], unit=units["horeca"], manager=cast.manager, first_name="Sans", last_name="Équipe"
    )
    User.objects.update(date_joined=at("2026-01-05"))
    with clock.frozen(at("2026-01-05")):
        rollups.spans_reconcile()
    return cast
