"""The insights pages: who may read them, what each sees, their CSV, and their fixed cost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from comptoir.core import clock
from comptoir.insights import rollups
from comptoir.insights.tests.conftest import at
from comptoir.org.models import User
from comptoir.org.testing import make_person

PAGES = ["/insights/", "/insights/participation/"]


@pytest.fixture
def rolled_up(cast: Any, active_on: Any) -> Any:
    User.objects.update(date_joined=at("2026-01-05"))
    for person in (cast.rep, cast.teammate, cast.rep_trade, cast.rep_office):
        active_on(person, "2026-11-10", posts=1)
    with clock.frozen(at("2026-11-12")):
        rollups.periods_rebuild(dt.date(2026, 9, 1))
    with clock.frozen(at("2026-11-12")):
        yield cast


@pytest.mark.parametrize("url", PAGES)
def test_a_rep_may_not_read_the_insights(rolled_up: Any, login: Any, url: str) -> None:
    assert login(rolled_up.rep).get(url).status_code == 403
    assert login(rolled_up.rep).get("/api/insights/activity").status_code == 403


def test_a_manager_sees_their_team_only(rolled_up: Any, login: Any) -> None:
    cast = rolled_up
    csv = login(cast.manager).get("/insights/?by=team&format=csv").content.decode("utf-8-sig")
    assert "HoReCa Île-de-France" in csv and "Trade" not in csv and "Office" not in csv
    data = login(cast.manager).get("/api/insights/activity?by=team").json()
    assert [(g["label"], g["current"]["accounts"], g["current"]["active"]) for g in data["groups"]] == [
        (
            "HoReCa Île-de-France",
            2,
            2,
        )  # the rep and the teammate; the manager's own figures are not "their team"
    ]


def test_a_director_sees_the_managers_and_reps_under_them(rolled_up: Any, login: Any) -> None:
    data = login(rolled_up.director).get("/api/insights/activity?by=role").json()
    assert data["total"]["current"]["accounts"] == 3  # the manager, the rep, the teammate


def test_head_office_sees_everyone_and_filters_by_unit(rolled_up: Any, login: Any) -> None:
    cast = rolled_up
    client = login(cast.hq)
    everyone = client.get("/api/insights/activity").json()
    assert everyone["total"]["current"]["accounts"] == User.objects.count()
    assert everyone["total"]["current"]["active"] == 4
    trade = client.get(f"/api/insights/activity?unit={cast.units['trade'].pk}").json()
    assert (trade["total"]["current"]["active"], trade["total"]["current"]["accounts"]) == (1, 2)


def test_the_overview_page_draws_the_trends_and_the_table(rolled_up: Any, login: Any) -> None:
    page = login(rolled_up.hq).get("/insights/?by=unit")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg class="chart"') == 3 and 'data-testid="by-group"' in html
    assert "HoReCa" in html and "Trade" in html


def test_bad_filters_are_refused_with_a_message(rolled_up: Any, login: Any) -> None:
    page = login(rolled_up.hq).get("/insights/?unit=999999")
    assert page.status_code == 400
    assert login(rolled_up.hq).get("/api/insights/activity?by=shoe_size").status_code == 422


def test_participation_page_and_csv(rolled_up: Any, login: Any) -> None:
    client = login(rolled_up.hq)
    page = client.get("/insights/participation/")
    assert page.status_code == 200 and 'data-testid="deciles"' in page.content.decode()
    csv = client.get("/insights/participation/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("kind;population;participants;total;gini")
    assert lines[1].startswith(f"posts;{User.objects.count()};4;4;")


@pytest.mark.parametrize("url", [*PAGES, "/api/insights/activity", "/api/insights/participation"])
def test_page_cost_does_not_grow_with_the_company(
    rolled_up: Any, login: Any, url: str, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(rolled_up.hq)
    client.get(url)  # the day's visit is recorded by the first request
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    units = rolled_up.units
    for i in range(30):
        person = make_person(role=rolled_up.roles["rep"], unit=units["trade"], date_joined=at("2026-01-05"))
        if i % 2:
            from comptoir.insights.models import DailyActivity

            DailyActivity.objects.create(user=person, day=dt.date(2026, 11, 11), visited=True)
    rollups.periods_rebuild(dt.date(2026, 9, 1))
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)
