"""In Chromium, on a phone-sized window: a project page shows its measured effect."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.utils import timezone

from comptoir.core import clock
from comptoir.org.testing import build_cast
from comptoir.projects import services
from comptoir.voice.models import JourneyStep, Response, VoiceSettings

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.mark.django_db(transaction=True)
def test_a_project_page_shows_its_measured_effect(
    live_server: Any, chromium: Any, screenshot_dir: str
) -> None:
    cast = build_cast()
    VoiceSettings.objects.update_or_create(pk=1, defaults={"min_responses": 10})
    step, _created = JourneyStep.objects.get_or_create(
        code="delivery", defaults={"name": "Livraison", "name_en": "Delivery"}
    )
    start = clock.today() - dt.timedelta(days=60)

    def answers(day: dt.date, scores: list[int]) -> None:
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        Response.objects.bulk_create(
            [Response(step=step, nps=s, ces=4, answered_at=at, updated_at=at) for s in scores]
        )

    answers(start - dt.timedelta(days=20), [10] * 10 + [8] * 5 + [3] * 15)
    answers(start + dt.timedelta(days=20), [10] * 20 + [8] * 5 + [3] * 5)
    project = services.project_create(
        author=cast.rep,
        title="Créneaux de livraison de deux heures",
        problem="Livraisons hors créneau",
        status="running",
        started_on=start,
        baseline_days=60,
        steps=[step],
        facilitator=cast.director,
    )

    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", cast.director.email)
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").tap()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/projects/")
    page.get_by_text("Créneaux de livraison de deux heures").tap()
    page.wait_for_selector('[data-testid="effect"]')
    verdict = page.locator('[data-testid="nps-verdict"]')
    assert verdict.get_attribute("class") == "effect-significant"
    effect_text = page.locator('[data-testid="effect"]').inner_text()
    assert "+60.6" in effect_text or "+60,6" in effect_text  # (20 - 5)/33 - (10 - 15)/33, in points
    page.locator(".method summary").tap()
    assert (
        page.locator(".method").inner_text().count("1.96") == 1
        or "1,96" in page.locator(".method").inner_text()
    )
    page.screenshot(path=os.path.join(screenshot_dir, "projects-effect-phone.png"), full_page=True)
    # The facilitator comments but does not edit.
    assert page.locator(f'a[href="/projects/{project.pk}/edit/"]').count() == 0
    page.fill("textarea[name=body]", "Beau résultat, partagez la méthode avec le Trade.")
    page.locator("form[action$='/comments/'] button").tap()
    page.wait_for_selector("text=Beau résultat")
    context.close()
