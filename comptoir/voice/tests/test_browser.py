"""In Chromium: a contact answers on a phone in French (touch and keyboard), and the agent sees the
answer arrive on the love-score dashboard. Screenshots of both pages go to var/screenshots/."""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

import pytest
from django.utils import timezone

from comptoir.voice.models import Response, VoiceSettings

from .conftest import World, invite
from .factories import answer

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "fr-FR",
}


def _history(world: World) -> None:
    """Six months of answers so the dashboard's trend has something to draw."""
    rng = random.Random(5)
    now = timezone.now()
    for months_ago in range(1, 7):
        when = now - dt.timedelta(days=30 * months_ago)
        for _ in range(12):
            answer(
                world.account,
                nps=min(10, max(0, round(rng.gauss(7 + months_ago / 6, 2)))),
                ces=rng.randint(3, 7),
                when=when,
                step=world.delivery,
            )


@pytest.mark.django_db(transaction=True)
def test_a_contact_answers_on_a_phone_and_the_agent_sees_it(
    world: World, live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    VoiceSettings.objects.filter(pk=1).update(min_responses=5)
    _history(world)
    invitation = invite(world)

    phone = chromium.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/voice/s/{invitation.token}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Votre livraison"
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each score is a labelled radio button; the NPS is chosen with the keyboard, the effort by touch.
    page.focus("input[name=nps][value='0']")
    for _ in range(9):
        page.keyboard.press("ArrowRight")
    assert page.locator("input[name=nps][value='9']").is_checked()
    page.locator("label.voice-choice:has(input[name=ces][value='6'])").tap()
    page.get_by_label("Qu'est-ce qui explique votre note").fill("Livreur à l'heure, créneau respecté.")
    page.screenshot(path=os.path.join(screenshot_dir, "voice-survey-phone.png"), full_page=True)
    page.get_by_role("button", name="Envoyer ma réponse").tap()
    page.wait_for_selector("#thanks")
    assert "enregistrée" in page.locator("#thanks").inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "voice-survey-phone-thanks.png"), full_page=True)
    # A double tap on the same page (or the back button and a resubmit) stores nothing more.
    page.get_by_role("button", name="Corriger ma réponse").tap()
    page.wait_for_selector("#thanks")
    phone.close()
    stored = Response.objects.get(invitation=invitation)
    assert (stored.nps, stored.ces, stored.comment) == (9, 6, "Livreur à l'heure, créneau respecté.")

    desk = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    agent = desk.new_page()
    agent.goto(f"{live_server.url}/login/")
    agent.fill("#id_username", world.cast.agent.email)
    agent.fill("#id_password", "a-long-test-password")
    agent.click("main button[type=submit]")
    agent.wait_for_url(f"{live_server.url}/")
    agent.goto(f"{live_server.url}/voice/")
    assert agent.locator("#nps-trend svg").count() == 1
    # The overall count includes the answer just given, and so does this month's row of the trend.
    total = Response.objects.count()
    assert f"{total} réponses" in agent.locator("#overall").inner_text()
    figures = agent.locator("#nps-trend").locator("xpath=following-sibling::details[1]")
    figures.locator("summary").click()
    assert figures.locator("tbody tr").last.locator("td").nth(2).inner_text() == "1"
    agent.screenshot(path=os.path.join(screenshot_dir, "voice-dashboard.png"), full_page=True)
    agent.goto(f"{live_server.url}/voice/verbatims/")
    assert "Livreur à l'heure" in agent.locator("main").inner_text()
    desk.close()
