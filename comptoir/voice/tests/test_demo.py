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
    from comptoir.core import bulk as core_bulk
    from comptoir.voice import bulk

    table = Response._meta.db_table
    before = core_bulk.secondary_indexes(table)
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
    assert core_bulk.secondary_indexes(table) == before
    assert Response.objects.count() == 900
    assert stored_cells() == recomputed_cells()


@pytest.mark.django_db
def test_a_load_larger_than_its_answer_pools_repeats_them_and_keeps_rollups_exact(
    cast: Any, monkeypatch: Any
) -> None:
    """At ten million rows each month's answers come from a pool taken in turn (loader.py); with
    tiny pools every day takes whole turns plus a partial one, and the roll-ups counted from the
    pools' totals still equal a recomputation from the stored responses."""
    from comptoir.voice import loader

    monkeypatch.setattr(loader, "POOL_MAX", 7)
    monkeypatch.setitem(os.environ, "COMPTOIR_VOICE_RESPONSES", "0")
    demo.build(DemoContext(stdout=io.StringIO()))
    ctx = DemoContext(stdout=io.StringIO(), seed=3)
    steps = {s.code: s for s in JourneyStep.objects.filter(is_active=True)}
    surveys = {
        (s.step.code if s.step else ""): s.pk for s in Survey.objects.filter(status=Survey.Status.ACTIVE)
    }
    done = demo.generate(
        4000, rng=ctx.rng, accounts=demo._accounts(ctx), steps=steps, surveys=surveys, months=3
    )
    assert done == Response.objects.count() == 4000
    assert Response.objects.values("account_id", "step_id", "nps", "ces").distinct().count() <= 7 * 4
    assert stored_cells() == recomputed_cells()
    # Time order, and nothing in the future.
    from comptoir.core import clock

    latest = Response.objects.order_by("-answered_at").first()
    assert latest is not None and latest.answered_at <= clock.now()


def test_apportion_splits_a_total_exactly_in_proportion() -> None:
    from comptoir.voice.loader import apportion

    assert apportion(8, [1, 1, 2]) == [2, 2, 4]
    assert sum(apportion(10_000_000, [1.15 - 0.3 * i / 550 for i in range(550)])) == 10_000_000
    assert apportion(0, [1, 2]) == [0, 0]
    assert apportion(3, [0, 1, 0]) == [0, 3, 0]
