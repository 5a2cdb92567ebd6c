from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from comptoir.actions.models import ActionRule
from comptoir.core import clock

pytestmark = pytest.mark.django_db


def test_commands(cast: Any, post_action: Any, make_response: Any, kind: Any) -> None:
    action = post_action(due_on=clock.today())
    out = io.StringIO()
    with clock.frozen(
        timezone.make_aware(dt.datetime.combine(action.due_on + dt.timedelta(days=10), dt.time(8)))
    ):
        call_command("actions_escalate", stdout=out)
        call_command("actions_escalate", stdout=out)
    assert out.getvalue().splitlines() == ["1 action(s) escalated.", "0 action(s) escalated."]
    ActionRule.objects.create(name="Détracteurs", group="detractor", kind=kind, author=cast.agent)
    make_response(nps=1)
    out = io.StringIO()
    call_command("actions_apply_rules", stdout=out)
    call_command("rebuild_action_rollups", stdout=out)
    assert out.getvalue().startswith("1 action(s) raised.")


def test_account_section(cast: Any, post_action: Any, account: Any) -> None:
    sections = pytest.importorskip("comptoir.customers.account_sections")
    from django.test import RequestFactory

    from comptoir.actions.account_section import section

    post_action(account=account)
    request = RequestFactory().get("/")
    request.user = cast.outsider
    assert section(request, account).context["actions"] == []
    request.user = cast.rep
    found = section(request, account)
    assert isinstance(found, sections.AccountSection) and len(found.context["actions"]) == 1
