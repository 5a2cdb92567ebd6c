"""The demo builds the customer's voice: surveys, responses with trends, exact roll-ups."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest

from comptoir.core.demo import DemoContext
from comptoir.voice import demo
from comptoir.voice.models import Response, Survey
from comptoir.voice.rollups import recomputed_cells, stored_cells


@pytest.mark.django_db
def test_demo_builds_responses_and_rollups(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(os.environ, "COMPTOIR_VOICE_RESPONSES", "3000")
    demo.build(DemoContext(stdout=io.StringIO()))
    assert Response.objects.count() == 3000
    assert Survey.objects.filter(kind=Survey.Kind.TRANSACTIONAL).count() >= 7
    assert Response.objects.exclude(comment="").count() > 600
    assert stored_cells() == recomputed_cells()
    # The story: invoicing is worse than click & collect.
    from comptoir.voice.selectors import nps_of

    invoicing = nps_of(Response.objects.filter(step__code="invoicing"), min_responses=1).score
    collect = nps_of(Response.objects.filter(step__code="click_collect"), min_responses=1).score
    assert invoicing is not None and collect is not None and invoicing < collect
