"""The love-score pages: figures from the roll-ups, the minimum-sample rule, who sees what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from comptoir.voice import analytics
from comptoir.voice.analytics import Filters
from comptoir.voice.models import Rollup, VoiceSettings

from .conftest import World
from .factories import answer, many


def _this_month() -> Filters:
    return Filters.last_months(1)


def test_dashboard_figures_come_from_the_rollups(world: World) -> None:
    many(world.account, [10, 9, 9, 8, 3], ces=6)
    overall = analytics.overall(_this_month(), minimum=3)
    nps = overall["current"].nps
    assert (nps.promoters, nps.passives, nps.detractors, nps.score) == (3, 1, 1, 40.0)
    assert overall["current"].effort.mean == 6.0


def test_the_minimum_sample_is_shown_as_not_enough_answers(world: World, login: Any) -> None:
    VoiceSettings.objects.filter(pk=1).update(min_responses=5)
    many(world.account, [10, 10, 10, 0])
    page = login(world.cast.agent).get(reverse("voice:dashboard"))
    assert page.status_code == 200
    overall = page.text.split('id="overall"')[1].split("</section>")[0]
    assert "pas assez de réponses" in overall or "not enough answers" in overall
    many(world.account, [10])
    page = login(world.cast.agent).get(reverse("voice:dashboard"))
    overall = page.text.split('id="overall"')[1].split("</section>")[0]
    assert "<strong>60</strong>" in overall  # 4 promoters, 1 detractor of 5: 80 % - 20 %


def test_trend_has_every_period_and_flags_significant_changes(world: World) -> None:
    now = timezone.now()
    last_month = (now.replace(day=1) - dt.timedelta(days=2)).replace(hour=12)
    many(world.account, [0] * 40, when=last_month)
    many(world.account, [10] * 40)
    points = analytics.trend(Filters.last_months(3), "month", minimum=30)
    assert len(points) == 3
    assert points[-1].figures.nps.score == 100.0 and points[-2].figures.nps.score == -100.0
    assert points[-1].significant and not points[-2].significant
    weeks = analytics.trend(Filters.last_months(3), "week", minimum=30)
    assert len(weeks) >= 12
    assert len(analytics.trend(Filters.last_months(6), "quarter")) in (2, 3)


def test_breakdowns_priorities_effort_map_and_change_sources(world: World) -> None:
    many(world.account, [10, 10, 2], ces=7, step=world.delivery)
    many(world.trade_account, [0, 0, 9], ces=2)
    f = _this_month()
    units = analytics.breakdown(f, "unit", minimum=1)
    assert [r.figures.nps.n for r in units] == [3, 3] or len(units) == 2
    prio = analytics.priorities(f, minimum=1)
    assert prio["rows"][0].impact < 0  # the worst cell comes first
    heat = analytics.effort_map(f, minimum=1)
    assert len(heat.cells) == 2
    split = analytics.change_sources(f, "unit")
    assert split["total"] == pytest.approx(split["mix"] + split["scores"], abs=0.2)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("agent", 200),
        ("hq", 200),
        ("director", 200),
        ("admin", 200),
        ("manager", 403),
        ("rep", 403),
        ("kam", 403),
        ("outsider", 403),
    ],
)
def test_who_reads_the_love_score(world: World, login: Any, who: str, status: int) -> None:
    client = login(getattr(world.cast, who))
    for name in ("voice:dashboard", "voice:effort", "voice:priorities", "voice:accounts", "voice:agreements"):
        assert client.get(reverse(name)).status_code == status, name
    assert client.get(reverse("voice:breakdown", args=["team"])).status_code == status


def test_reps_and_managers_read_their_own_accounts_comments_only(world: World, login: Any) -> None:
    answer(world.account, nps=3, comment="Livraison du rep en retard")
    answer(world.teammate_account, nps=4, comment="Machine du coéquipier en panne")
    answer(world.trade_account, nps=5, comment="Facture du commerce fausse")

    def seen(who: Any) -> set[str]:
        text = login(who).get(reverse("voice:verbatims")).text
        return {word for word in ("rep en retard", "coéquipier", "commerce") if word in text}

    assert seen(world.cast.rep) == {"rep en retard"}
    assert seen(world.cast.teammate) == {"coéquipier"}
    assert seen(world.cast.manager) == {"rep en retard", "coéquipier"}
    assert seen(world.cast.rep_trade) == {"commerce"}
    assert seen(world.cast.outsider) == set()
    assert seen(world.cast.agent) == {"rep en retard", "coéquipier", "commerce"}


def test_verbatim_filters_and_csv_export(world: World, login: Any) -> None:
    answer(world.account, nps=2, comment="Créneau de livraison raté")
    answer(world.account, nps=10, comment="Parfait")
    client = login(world.cast.agent)
    detractors = client.get(reverse("voice:verbatims"), {"band": "detractor"}).text
    assert "Créneau" in detractors and "Parfait" not in detractors
    words = client.get(reverse("voice:verbatims"), {"words": "parfait"}).text
    assert "Parfait" in words and "Créneau" not in words
    # French first: accents, case and plurals do not hide a comment.
    for search in ("creneaux", "CRÉNEAU", "livraisons raté"):
        found = client.get(reverse("voice:verbatims"), {"words": search}).text
        assert "Créneau" in found and "Parfait" not in found, search
    export = client.get(reverse("voice:verbatims"), {"format": "csv"})
    assert export["Content-Type"].startswith("text/csv") and "Créneau" in export.content.decode()
    dash = client.get(reverse("voice:dashboard"), {"format": "csv"})
    assert dash.status_code == 200 and "NPS" in dash.content.decode()
    bad = client.get(reverse("voice:dashboard"), {"start": "2026-13"})
    assert bad.status_code == 400


def test_pages_run_a_fixed_number_of_queries(
    world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(world.cast.agent)
    many(world.account, [10, 2, 8], ces=4, comment="Retard de livraison", step=world.delivery)
    client.get(reverse("voice:dashboard"))
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("voice:dashboard"))
    many(world.trade_account, [9, 9, 1, 0], ces=6, comment="Facture", step=world.delivery)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("voice:dashboard"))
    with django_assert_max_num_queries(15) as verb:
        client.get(reverse("voice:verbatims"))
    many(world.account, [5, 6, 7], comment="Encore")
    with django_assert_max_num_queries(len(verb.captured_queries)):
        client.get(reverse("voice:verbatims"))


def test_all_breakdowns_at_once_equal_each_breakdown_alone_with_any_filter(world: World) -> None:
    many(world.account, [10, 9, 3, 7], ces=6, step=world.delivery)
    many(world.trade_account, [0, 2, 9], ces=2)
    many(world.teammate_account, [8, 10], ces=5, step=world.delivery)
    dims = ("unit", "region", "step", "segment", "team")

    def plain(rows: list[Any]) -> list[tuple[Any, ...]]:
        return [(r.key, r.label, r.figures, r.change, r.share) for r in rows]

    for f in (
        _this_month(),
        Filters.last_months(1, unit=world.account.unit_id),
        Filters.last_months(1, team=world.cast.team.pk),
        Filters.last_months(1, step=world.delivery.pk, region=world.account.region_id),
    ):
        together = analytics.breakdowns(f, dims, minimum=1)
        for dim in dims:
            # Each alone, computed the long way from the full cube.
            column = analytics.DIMENSIONS[dim][0]
            expected: dict[int, list[int]] = {}
            for cell in Rollup.objects.filter(
                grain="m", shape=31, start__gte=f.start, start__lte=f.end, **f.dims()
            ):
                bucket = expected.setdefault(getattr(cell, column), [0, 0, 0])
                bucket[0] += cell.promoters
                bucket[1] += cell.passives
                bucket[2] += cell.detractors
            got = {
                r.key: [r.figures.nps.promoters, r.figures.nps.passives, r.figures.nps.detractors]
                for r in together[dim]
            }
            assert got == expected, (f, dim)
            assert plain(together[dim]) == plain(analytics.breakdown(f, dim, minimum=1))


def test_the_dashboard_filtered_by_region_reads_small_rollups_never_the_full_cube(
    world: World, django_assert_num_queries: Any
) -> None:
    """Filtered by region (alone or with a journey step), every figure of the dashboard comes
    from a partial cube that keeps the region: no query reads the responses or the full cube, the
    query count is the unfiltered dashboard's, and the figures equal the full cube's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comptoir.voice.rollups import FULL

    many(world.account, [10, 9, 3, 7], ces=6, step=world.delivery)
    many(world.trade_account, [0, 2, 9], ces=2)
    many(world.teammate_account, [8, 10], ces=5, step=world.delivery)
    region = world.account.region_id
    analytics.dashboard(_this_month())  # the settings row, read once
    with CaptureQueriesContext(connection) as unfiltered:
        analytics.dashboard(_this_month())
    for f in (
        Filters.last_months(1, region=region),
        Filters.last_months(1, region=region, step=world.delivery.pk),
    ):
        with django_assert_num_queries(len(unfiltered.captured_queries)) as queries:
            board = analytics.dashboard(f)
        for query in queries.captured_queries:
            sql = query["sql"]
            assert "voice_response" not in sql, sql
            if "voice_rollup" in sql:
                shapes = sql.split('"shape"')[1].split(" AND ")[0]
                assert str(FULL) not in shapes, sql
        # The same figures, summed the long way from the full cube.
        for dim, rows in board["breakdowns"].items():
            column = analytics.DIMENSIONS[dim][0]
            expected: dict[int, int] = {}
            for cell in Rollup.objects.filter(
                grain="m", shape=FULL, start__gte=f.start, start__lte=f.end, **f.dims()
            ):
                expected[getattr(cell, column)] = expected.get(getattr(cell, column), 0) + cell.responses
            assert {r.key: r.figures.nps.n for r in rows} == expected, (f, dim)
