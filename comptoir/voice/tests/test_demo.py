"""The demo builds the customer's voice: surveys, responses with trends, exact roll-ups."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest

from comptoir.core.demo import DemoContext
from comptoir.voice import demo
from comptoir.voice.models import JourneyStep, Response, Survey
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


@pytest.mark.django_db
def test_a_large_load_drops_and_rebuilds_the_response_indexes_and_keeps_rollups_exact(
    cast: Any, monkeypatch: Any
) -> None:
    """A `--scale` load builds the secondary indexes once at the end (bulk.py): afterwards the table
    has exactly the indexes it had, and a second load on top of the first keeps the roll-ups equal
    to a full recomputation (the derived cells are added, not overwritten)."""
    from comptoir.voice import bulk

    table = Response._meta.db_table
    before = bulk._secondary_indexes(table)
    assert len(before) >= 10  # one per foreign key and per list index
    monkeypatch.setitem(os.environ, "COMPTOIR_VOICE_RESPONSES", "400")
    demo.build(DemoContext(stdout=io.StringIO()))
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 100)
    ctx = DemoContext(stdout=io.StringIO(), seed=7)
    steps = {s.code: s for s in JourneyStep.objects.filter(is_active=True)}
    surveys = {
        (s.step.code if s.step else ""): s.pk for s in Survey.objects.filter(status=Survey.Status.ACTIVE)
    }
    demo.generate(500, rng=ctx.rng, accounts=demo._accounts(ctx), steps=steps, surveys=surveys, batch=200)
    assert bulk._secondary_indexes(table) == before
    assert Response.objects.count() == 900
    assert stored_cells() == recomputed_cells()
