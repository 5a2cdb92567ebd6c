"""The effort map is three-way, journey step × business unit × region, read from the roll-ups: one
heat table per business unit (steps × its regions, and all its regions), colours backed by the
written figures, the minimum-sample rule in every cell; the same cells in the CSV and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from comptoir.customers.models import Account
from comptoir.org.models import Region
from comptoir.voice import analytics
from comptoir.voice.analytics import Filters
from comptoir.voice.models import VoiceSettings

from .conftest import World
from .factories import many


@pytest.fixture
def two_regions(world: World) -> tuple[Account, Account]:
    """The rep's account, and another account of the same business unit in another region."""
    VoiceSettings.objects.filter(pk=1).update(min_responses=2)
    other_region = Region.objects.exclude(pk=world.account.region_id).order_by("name").first()
    assert other_region is not None
    elsewhere = Account.objects.create(
        name="Café de la Gare", unit=world.account.unit, region=other_region, owner=world.cast.rep
    )
    many(world.account, [9, 9, 8, 3], ces=7, step=world.delivery)  # ces 7 ×4 below is replaced
    return world.account, elsewhere


def _load(world: World, elsewhere: Account) -> None:
    many(world.account, [10], ces=6, step=world.delivery)
    many(world.account, [10], ces=5, step=world.delivery)
    many(world.account, [2], ces=2, step=world.delivery)
    many(elsewhere, [3, 4], ces=1, step=world.delivery)
    many(elsewhere, [5], ces=2, step=world.delivery)
    many(world.trade_account, [9], ces=7, step=world.delivery)  # one answer: below the minimum


def test_each_step_unit_and_region_has_its_cell_and_each_unit_its_total(
    world: World, two_regions: tuple[Account, Account]
) -> None:
    home, elsewhere = two_regions
    _load(world, elsewhere)
    heat = analytics.effort_map(Filters.last_months(1))
    step, unit = world.delivery.pk, home.unit_id
    # Rep's region: ces 7, 7, 7, 7, 6, 5, 2 -> mean 41/7 = 5.86, easy 6/7 = 86 % (h3).
    mine = heat.cells[(step, unit, home.region_id)]
    assert (
        mine.effort.count,
        round(mine.effort.mean or 0, 2),
        round(mine.effort.easy_pct or 0),
        mine.css,
    ) == (
        7,
        5.86,
        86,
        "h3",
    )
    # The other region: ces 1, 1, 2 -> mean 1.33, no easy experience (h0).
    other = heat.cells[(step, unit, elsewhere.region_id)]
    assert (other.effort.count, round(other.effort.mean or 0, 2), other.effort.easy_pct, other.css) == (
        3,
        1.33,
        0.0,
        "h0",
    )
    # The trade unit has one answer: not enough, no colour.
    trade = heat.cells[(step, world.trade_account.unit_id, world.trade_account.region_id)]
    assert trade.css == "hx" and not trade.effort.enough
    table = next(t for t in heat.tables if t.key == unit)
    assert {key for key, _label in table.regions} == {home.region_id, elsewhere.region_id}
    [(label, cells, total)] = table.rows
    assert label == world.delivery.label and len(cells) == 2
    # All regions of the unit: 10 answers, 6 easy -> 60 % (h1), mean 4.5.
    assert (total.effort.count, total.effort.easy_pct, total.effort.mean, total.css) == (10, 60.0, 4.5, "h1")
    assert [t.label for t in heat.tables] == sorted((t.label for t in heat.tables), key=str.casefold)


def test_a_region_filter_keeps_that_region_only(world: World, two_regions: tuple[Account, Account]) -> None:
    home, elsewhere = two_regions
    _load(world, elsewhere)
    base = Filters.last_months(1)
    heat = analytics.effort_map(Filters(base.start, base.end, region=elsewhere.region_id))
    assert set(heat.cells) == {(world.delivery.pk, home.unit_id, elsewhere.region_id)}


def test_the_page_the_dashboard_the_csv_and_the_api_show_the_three_way_map(
    world: World, two_regions: tuple[Account, Account], login: Any, django_assert_max_num_queries: Any
) -> None:
    home, elsewhere = two_regions
    _load(world, elsewhere)
    agent = login(world.cast.agent)
    page = agent.get(reverse("voice:effort"))
    assert page.status_code == 200
    table = page.text.split(f'id="effort-map-{home.unit_id}"')[1].split("</table>")[0]
    assert f"<caption>{home.unit.label}</caption>" in table
    assert home.region.label in table and elsewhere.region.label in table
    assert 'class="h3"' in table and 'class="h0"' in table and 'class="h1"' in table
    assert "86 %" in table  # the figure is written, the colour only repeats it
    assert 'id="effort-map"' in agent.get(reverse("voice:dashboard")).text
    csv = agent.get(reverse("voice:effort"), {"format": "csv"}).content.decode("utf-8-sig")
    assert f"{world.delivery.label};{home.unit.label};{elsewhere.region.label};3;1.3;0.0" in csv
    cells = agent.get("/api/voice/analytics/effort").json()
    mine = next(c for c in cells if c["region_id"] == elsewhere.region_id)
    assert (
        mine["step_id"],
        mine["unit_id"],
        mine["responses"] if "responses" in mine else mine["count"],
    ) == (
        world.delivery.pk,
        home.unit_id,
        3,
    )
    board = agent.get("/api/voice/analytics/dashboard").json()
    assert {c["region_id"] for c in board["effort_map"]} >= {home.region_id, elsewhere.region_id}
    # The page's queries do not grow with the cells.
    with django_assert_max_num_queries(20) as before:
        agent.get(reverse("voice:effort"))
    for region in Region.objects.exclude(pk__in=[home.region_id, elsewhere.region_id])[:3]:
        account = Account.objects.create(
            name=f"Bar {region.pk}", unit=home.unit, region=region, owner=world.cast.rep
        )
        many(account, [9, 9], ces=6, step=world.delivery)
    with django_assert_max_num_queries(len(before.captured_queries)):
        agent.get(reverse("voice:effort"))
