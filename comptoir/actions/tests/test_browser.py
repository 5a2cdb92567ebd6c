"""In Chromium: an agent turns a detractor's response into an action, the rep closes it from a
phone-sized window with a note, and the agent sees the loop closed."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.utils import timezone

from comptoir.actions.models import Action
from comptoir.customers.models import Account
from comptoir.org.testing import build_cast
from comptoir.voice.models import JourneyStep, Response

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def phone_login(page: Any, base_url: str, email: str) -> None:
    # The header's language switch is a submit button too: aim at the login form's own button.
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.django_db(transaction=True)
def test_agent_raises_an_action_from_a_detractor_and_the_rep_closes_the_loop_on_a_phone(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    from comptoir.actions.tests.conftest import ensure_kinds

    ensure_kinds()
    cast = build_cast()
    account = Account.objects.create(
        name="Brasserie du Marché", unit=cast.units["horeca"], region=cast.regions["idf"], owner=cast.rep
    )
    step, _created = JourneyStep.objects.get_or_create(
        code="delivery", defaults={"name": "Livraison", "name_en": "Delivery"}
    )
    now = timezone.now()
    response = Response.objects.create(
        account=account,
        owner=cast.rep,
        team=cast.team,
        unit=cast.units["horeca"],
        region=cast.regions["idf"],
        step=step,
        nps=2,
        ces=2,
        comment="Livré à 14 h au lieu de 8 h, service du midi désorganisé.",
        answered_at=now,
        updated_at=now,
    )

    agent_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    agent = agent_context.new_page()
    phone_login(agent, live_server.url, cast.agent.email)
    agent.goto(f"{live_server.url}/actions/new/?response={response.pk}")
    assert "Livré à 14 h" in agent.locator('[data-testid="source-response"]').inner_text()
    agent.screenshot(path=os.path.join(screenshot_dir, "actions-from-response.png"), full_page=True)
    agent.locator('[data-testid="post-action"]').click()
    agent.wait_for_selector('[data-testid="action-status"]')
    action = Action.objects.get()
    assert (action.assignee_id, action.response_id, action.account_id) == (
        cast.rep.pk,
        response.pk,
        account.pk,
    )

    rep_context = chromium.new_context(**PHONE)
    rep = rep_context.new_page()
    phone_login(rep, live_server.url, cast.rep.email)
    rep.locator('[data-testid="action-row"] a').first.tap()  # from the home page's "my actions"
    rep.wait_for_selector('[data-testid="close-note"]')
    rep.fill(
        '[data-testid="close-note"]',
        "Appelé le gérant, créneau de 7 h fixé ; il attend la prochaine livraison pour juger.",
    )
    rep.screenshot(path=os.path.join(screenshot_dir, "actions-close-phone.png"), full_page=True)
    rep.locator('[data-testid="close-action"]').tap()
    rep.wait_for_selector('[data-testid="loop-closed"]')
    rep_context.close()
    action.refresh_from_db()
    assert action.status == "done" and "créneau de 7 h" in action.resolution_note

    agent.goto(f"{live_server.url}/actions/{action.pk}/")
    assert "créneau de 7 h" in agent.locator('[data-testid="loop-closed"]').inner_text()
    assert agent.locator('[data-testid="next-response"]').count() == 1
    agent.screenshot(path=os.path.join(screenshot_dir, "actions-loop-closed.png"), full_page=True)
    agent_context.close()
