from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from comptoir.voice.models import JourneyStep, Response, VoiceSettings

START = dt.date(2026, 6, 1)


@pytest.fixture
def delivery(db: Any) -> JourneyStep:
    step, _created = JourneyStep.objects.get_or_create(
        code="delivery", defaults={"name": "Livraison", "name_en": "Delivery"}
    )
    return step


@pytest.fixture
def order_step(db: Any) -> JourneyStep:
    step, _created = JourneyStep.objects.get_or_create(
        code="order", defaults={"name": "Commande", "name_en": "Order"}
    )
    return step


@pytest.fixture
def answers(cast: Any) -> Any:
    """`answers(step, day, promoters=, passives=, detractors=, easy=, hard=)` stores responses in bulk."""
    VoiceSettings.objects.update_or_create(pk=1, defaults={"min_responses": 10})

    def make(
        step: JourneyStep,
        day: dt.date,
        *,
        promoters: int = 0,
        passives: int = 0,
        detractors: int = 0,
        ces: int | None = None,
    ) -> None:
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        rows = [10] * promoters + [8] * passives + [3] * detractors
        Response.objects.bulk_create(
            [
                Response(
                    step=step,
                    unit=cast.units["horeca"],
                    region=cast.regions["idf"],
                    nps=score,
                    ces=ces,
                    answered_at=at,
                    updated_at=at,
                )
                for score in rows
            ]
        )

    return make
