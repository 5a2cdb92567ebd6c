"""The demo builds the closed loop: actions at every stage, from responses when there are some."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from comptoir.actions import demo as actions_demo
from comptoir.actions import rollups
from comptoir.actions.models import Action
from comptoir.core import clock
from comptoir.core.demo import DemoContext
from comptoir.customers.models import Account
from comptoir.org import demo as org_demo
from comptoir.org.models import User
from comptoir.projects import demo as projects_demo
from comptoir.projects.models import Project
from comptoir.voice.models import Response

pytestmark = pytest.mark.django_db


def test_demo_builds_actions_and_projects(django_db_blocker: Any) -> None:
    ctx = DemoContext(stdout=io.StringIO(), people=120)
    org_demo.build(ctx)
    rep = User.objects.filter(role__code="rep").exclude(team=None).first()
    assert rep is not None and rep.unit is not None and rep.region is not None
    account = Account.objects.create(name="Hôtel du Port", unit=rep.unit, region=rep.region, owner=rep)
    now = clock.now()
    Response.objects.bulk_create(
        [
            Response(
                account=account,
                owner=rep,
                unit=rep.unit,
                region=rep.region,
                nps=i % 7,
                answered_at=now - dt.timedelta(days=i),
                updated_at=now,
            )
            for i in range(1, 120)
        ]
    )
    actions_demo.build(ctx)
    projects_demo.build(ctx)
    statuses = set(Action.objects.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "done", "cancelled"}
    assert Action.objects.filter(response__isnull=False).exists()
    assert Action.objects.filter(status__in=["open", "in_progress"], due_on__lt=clock.today()).exists()
    assert not Action.objects.filter(status="done", resolution_note="").exists()
    assert rollups.stored_rows() == rollups.recomputed_rows()
    assert any(key[0] == rollups.FOLLOWED for key in rollups.stored_rows())
    assert Project.objects.count() == 4
    assert Project.objects.filter(status="running", started_on__isnull=False).count() == 3
