"""The figures against fixtures computed by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from comptoir.core import clock
from comptoir.insights import rollups, selectors
from comptoir.insights.access import Scope
from comptoir.insights.stats import Share, spread
from comptoir.insights.tests.conftest import at
from comptoir.org.demo import ensure_reference_data
from comptoir.org.testing import make_person

EVERYONE = Scope(everyone=True)


@pytest.fixture
def week_of_comings_and_goings(db: Any, active_on: Any) -> dict[str, Any]:
    """The week of Monday 9 to Sunday 15 November 2026, and the week before (2 to 8 November).

    ann    account since January, active Tuesday 10 and Tuesday 3  -> counted both weeks, active both
    bob    account since January, never active                      -> counted both weeks, never active
    chloe  joins Wednesday 11, active Thursday 12                   -> counted in week 2 only, active
    david  leaves Wednesday 11, active Monday 9                     -> counted both weeks, active in week 2
    emma   left on 1 November                                       -> counted in neither week
    fred   joins Tuesday 17                                         -> counted in neither week
    gus    account switched off, no date                            -> never counted
    """
    _units, _regions, roles = ensure_reference_data()
    rep = roles["rep"]
    people = {
        "ann": make_person(role=rep, date_joined=at("2026-01-05")),
        "bob": make_person(role=rep, date_joined=at("2026-01-05")),
        "chloe": make_person(role=rep, date_joined=at("2026-11-11", 14)),
        "david": make_person(
            role=rep, date_joined=at("2026-01-05"), deactivated_at=at("2026-11-11", 18), is_active=False
        ),
        "emma": make_person(
            role=rep, date_joined=at("2026-01-05"), deactivated_at=at("2026-11-01", 9), is_active=False
        ),
        "fred": make_person(role=rep, date_joined=at("2026-11-17")),
        "gus": make_person(role=rep, date_joined=at("2026-01-05"), is_active=False),
    }
    active_on(people["ann"], "2026-11-10")
    active_on(people["ann"], "2026-11-03", visited=False, posts=2)
    active_on(people["chloe"], "2026-11-12", visited=False, comments=1)
    active_on(people["david"], "2026-11-09")
    with clock.frozen(at("2026-11-15", 20)):
        rollups.periods_rebuild(dt.date(2026, 11, 1))
    return people


def test_weekly_active_share_counts_people_who_joined_or_left_during_the_week(
    week_of_comings_and_goings: Any,
) -> None:
    with clock.frozen(at("2026-11-15", 20)):
        weeks = selectors.activity_trend(EVERYONE, kind="w", count=2, by="role")
    before, current = weeks
    assert (before.start, current.start) == (dt.date(2026, 11, 2), dt.date(2026, 11, 9))
    assert (before.total.part, before.total.whole) == (1, 3)  # ann of ann, bob, david
    assert (current.total.part, current.total.whole) == (3, 4)  # ann, chloe, david of ann, bob, chloe, david
    assert current.total.pct == 75.0


def test_monthly_active_share_counts_everyone_who_held_an_account_that_month(
    week_of_comings_and_goings: Any,
) -> None:
    with clock.frozen(at("2026-11-15", 20)):
        (november,) = selectors.activity_trend(EVERYONE, kind="m", count=1, by="role")
    # ann, bob, chloe, david, emma (left on the 1st) and fred (joins on the 17th); not gus.
    assert (november.total.part, november.total.whole) == (3, 6)


def test_the_overview_compares_this_week_with_the_previous_four(week_of_comings_and_goings: Any) -> None:
    with clock.frozen(at("2026-11-15", 20)):
        overview = selectors.activity_overview(EVERYONE, by="role")
    assert overview.total.current == Share(3, 4)
    # Only the weeks touching November were rolled up: 26 Oct-1 Nov (ann, bob, david, emma) and 2-8 Nov.
    assert [s.whole for s in overview.total.previous] == [0, 0, 4, 3]
    assert overview.total.previous_total == Share(1, 7)
    assert overview.total.change_points == pytest.approx(75.0 - 14.3)
    assert len(overview.weeks) == 12 and len(overview.months) == 12


def test_participation_over_four_weeks_counts_the_silent_ones(week_of_comings_and_goings: Any) -> None:
    with clock.frozen(at("2026-11-15", 20)):
        result = selectors.participation(EVERYONE)
    assert result.population == 5  # ann, bob, chloe, david, and emma (in the week of 26 October)
    posts = result.by_kind["posts"]
    assert (posts.participants, posts.total) == (1, 2)
    # One person of five is 20 % of people: the top 10 % is half of ann, holding half of the posts.
    assert posts.top_decile_share == 0.5
    assert posts.gini == pytest.approx(0.8)  # [0, 0, 0, 0, 2]


def test_spread_of_posts_by_hand() -> None:
    # Ten people: one wrote 90 posts, the nine others 10 between them.
    values = [90, 2, 1, 1, 1, 1, 1, 1, 1, 1]
    s = spread(values)
    assert s.population == 10 and s.participants == 10 and s.total == 100
    assert s.deciles[0] == pytest.approx(0.90)
    assert s.deciles[1] == pytest.approx(0.02)
    assert s.lorenz[0] == 0 and s.lorenz[5] == pytest.approx(0.05) and s.lorenz[10] == 1
    # Gini by the formula sum_i sum_j |xi - xj| / (2 n^2 mean): 89*8*2 + 88*1*2 + 1*8*2 = 1616 -> /2000
    assert s.gini == pytest.approx(sum(abs(a - b) for a in values for b in values) / (2 * 100 * 10))
    equal = spread([3] * 20)
    assert equal.gini == pytest.approx(0) and equal.deciles == pytest.approx([0.1] * 10)
    assert spread([0, 0, 0]).gini is None


def test_a_share_carries_its_uncertainty() -> None:
    low, high = Share(3, 4).interval() or (0, 0)
    assert low == pytest.approx(0.301, abs=0.001) and high == pytest.approx(0.954, abs=0.001)
    assert Share(0, 0).rate is None and Share(0, 0).interval() is None
