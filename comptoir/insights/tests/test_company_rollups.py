"""Head office's pages from company-wide roll-ups: the participation histograms equal a recomputation
person by person, the attention page's per-unit rows and page of teams equal the per-team merge, and
the activity API walks every group a bounded page at a time."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from comptoir.core import clock
from comptoir.insights import attention, participation, rollups, selectors
from comptoir.insights.access import Scope, insights_scope_for
from comptoir.insights.models import ParticipationWindow
from comptoir.insights.selectors import Filters
from comptoir.insights.tests.conftest import at
from comptoir.insights.tests.test_team_rollups import authors, react, write_posts
from comptoir.org.models import Team, User
from comptoir.org.testing import make_person

NOV_9 = dt.date(2026, 11, 9)  # the Monday of the week of 12 November


@pytest.fixture
def busy_company(company: Any, active_on: Any) -> Any:
    """Everyone active now and then over October and November; one rep of the trade team moves to the
    HoReCa team on 4 November (in the middle of the four weeks to 15 November)."""
    cast, rng = company, random.Random(5)
    mover = User.objects.filter(team=cast.team_trade, role__code="rep").order_by("id")[0]
    for person in User.objects.all():
        for day in range(45):
            if rng.random() < 0.35:
                active_on(
                    person,
                    (dt.date(2026, 10, 1) + dt.timedelta(days=day)).isoformat(),
                    posts=rng.choice([0, 0, 0, 1, 2]),
                    comments=rng.choice([0, 1]),
                    reactions=rng.choice([0, 0, 3]),
                )
    with clock.frozen(at("2026-11-01")):
        rollups.periods_rebuild(dt.date(2026, 9, 1))
    User.objects.filter(pk=mover.pk).update(team=cast.team, unit=cast.team.unit, region=cast.team.region)
    with clock.frozen(at("2026-11-12")):
        rollups.periods_rebuild(dt.date(2026, 11, 2))
    cast.mover = mover
    return cast


def figures(result: Any) -> tuple[Any, ...]:
    return (result.first_day, result.population, result.by_kind)


@pytest.mark.parametrize(
    "who, filtered",
    [("hq", ""), ("hq", "unit"), ("hq", "team"), ("hq", "role"), ("director", ""), ("manager", "")],
)
def test_the_participation_histograms_equal_a_recomputation_person_by_person(
    busy_company: Any, who: str, filtered: str
) -> None:
    cast = busy_company
    filters = {
        "": Filters(),
        "unit": Filters(unit=cast.units["horeca"].pk),
        "team": Filters(team=cast.team.pk),
        "role": Filters(role=cast.roles["rep"].pk),
    }[filtered]
    with clock.frozen(at("2026-11-12")):
        scope = insights_scope_for(getattr(cast, who))
        rolled = selectors.participation(scope, filters=filters)
        recomputed = participation.participation_recomputed(scope, filters, NOV_9, clock.today())
    assert figures(rolled) == figures(recomputed)
    assert rolled.population and rolled.by_kind["posts"].total


def test_the_four_weeks_count_each_person_once_in_the_team_they_ended_in(busy_company: Any) -> None:
    cast = busy_company
    with clock.frozen(at("2026-11-12")):
        horeca = selectors.participation(Scope(everyone=True), filters=Filters(team=cast.team.pk))
        trade = selectors.participation(Scope(everyone=True), filters=Filters(team=cast.team_trade.pk))
        everyone = selectors.participation(Scope(everyone=True))
    # The HoReCa team: its manager, the rep, the teammate, two more reps, and the rep who moved in.
    assert horeca.population == 6
    assert trade.population == 2  # the two reps left (its manager belongs to no team)
    assert everyone.population == User.objects.count()
    assert ParticipationWindow.objects.filter(week=NOV_9).count() < User.objects.count()


def test_the_participation_page_reads_a_few_rows_whatever_the_headcount(
    busy_company: Any, login: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast = busy_company
    with clock.frozen(at("2026-11-12")):
        client = login(cast.hq)
        client.get("/insights/participation/")  # the day's visit is recorded by the first request
        with CaptureQueriesContext(connection) as before:
            client.get("/insights/participation/")
        for i in range(40):
            make_person(
                role=cast.roles["rep"],
                unit=cast.team.unit,
                team=cast.team,
                date_joined=at("2026-01-05"),
                first_name=f"Nouveau{i}",
            )
        rollups.periods_rebuild(dt.date(2026, 11, 2))
        with django_assert_num_queries(len(before.captured_queries)):
            page = client.get("/insights/participation/")
    assert page.status_code == 200


# --- The attention page of head office -------------------------------------------------------------------


@pytest.fixture
def posted(company: Any) -> Any:
    cast, rng = company, random.Random(4)
    for i in range(4):  # more teams than a page of two holds
        manager = make_person(role=cast.roles["manager"], unit=cast.units["trade"], first_name=f"Chef{i}")
        team = Team.objects.create(name=f"Équipe {chr(90 - i)}", unit=cast.units["trade"], manager=manager)
        for j in range(2):
            make_person(
                role=cast.roles["rep"], unit=team.unit, team=team, manager=manager, first_name=f"R{i}{j}"
            )
    User.objects.update(date_joined=at("2026-01-05"))
    with clock.frozen(at("2026-01-05")):
        rollups.spans_reconcile()
    react(rng, write_posts(rng, authors(cast), at("2026-09-01"), 70, 90), cast)
    with clock.frozen(at("2026-11-10")):
        attention.attention_rebuild(at("2026-01-01"))
    return cast


@pytest.mark.parametrize("unit", [None, "trade"])
def test_head_office_s_attention_from_the_unit_rows_equals_the_team_merge(
    posted: Any, unit: str | None
) -> None:
    cast = posted
    unit_id = cast.units[unit].pk if unit else None
    with clock.frozen(at("2026-11-10")):
        merged = attention.attention_overview(Scope(everyone=True), unit=unit_id)
        first = attention.attention_overview(Scope(everyone=True), unit=unit_id, page_size=3)
        assert first.table is not None and first.table.after is not None
        second = attention.attention_overview(
            Scope(everyone=True), unit=unit_id, page_size=3, page_after=str(first.table.after)
        )
    assert (first.total, first.weekly) == (merged.total, merged.weekly)
    assert first.total.reached.whole > 0
    assert first.teams == merged.teams[:3] and second.teams == merged.teams[3:6]
    assert first.table.total == len(merged.teams)


@pytest.mark.parametrize("url", ["/insights/attention/", "/api/insights/attention?size=3"])
def test_head_office_s_attention_shows_a_page_of_teams_and_costs_the_same_with_more_teams(
    posted: Any, login: Any, django_assert_num_queries: Any, url: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast, rng = posted, random.Random(9)
    with clock.frozen(at("2026-11-10")):
        client = login(cast.hq)
        client.get(url)
        with CaptureQueriesContext(connection) as before:
            first = client.get(url)
        assert first.status_code == 200
        new = []
        for i in range(5):
            manager = make_person(role=cast.roles["manager"], unit=cast.units["office"], first_name=f"N{i}")
            team = Team.objects.create(name=f"Nouvelle {i}", unit=cast.units["office"], manager=manager)
            new.append(make_person(role=cast.roles["rep"], unit=team.unit, team=team, manager=manager))
        User.objects.update(date_joined=at("2026-01-05"))
        rollups.spans_reconcile()
        react(rng, write_posts(rng, new, at("2026-10-01"), 30, 30), cast)
        attention.attention_rebuild(at("2026-01-01"))
        with django_assert_num_queries(len(before.captured_queries)):
            assert client.get(url).status_code == 200


# --- The activity API, a page of groups at a time ------------------------------------------------------------


def test_the_activity_api_walks_every_group_by_pages_and_each_page_matches_the_whole(
    busy_company: Any, login: Any
) -> None:
    cast = busy_company
    with clock.frozen(at("2026-11-12")):
        whole = selectors.activity_overview(Scope(everyone=True), by="team")
        client = login(cast.hq)
        pages, url = [], "/api/insights/activity?by=team&size=2"
        while url:
            answer = client.get(url)
            assert answer.status_code == 200
            pages.append(answer.json())
            url = pages[-1]["next"]
    keys = [g["key"] for page in pages for g in page["groups"]]
    assert len(pages) == 2 and all(len(p["groups"]) <= 2 for p in pages)
    assert keys == sorted({*keys}) and set(keys) >= {r.key for r in whole.rows}
    assert pages[-1]["next_cursor"] is None
    current = {
        g["key"]: (g["current"]["active"], g["current"]["accounts"]) for p in pages for g in p["groups"]
    }
    assert {r.key: (r.current.part, r.current.whole) for r in whole.rows} == {
        k: v for k, v in current.items() if v[1]
    }
    weeks = [(w["total"]["active"], w["total"]["accounts"]) for w in pages[0]["weeks"]]
    assert weeks == [(f.total.part, f.total.whole) for f in whole.weeks]
    for page in pages:
        assert len(page["weeks"]) == 12 and all(len(g["weeks"]) == 12 for g in page["groups"])


def test_the_activity_api_refuses_a_bad_cursor_or_size(busy_company: Any, login: Any) -> None:
    client = login(busy_company.hq)
    assert client.get("/api/insights/activity?cursor=not-a-cursor").status_code == 422
    assert client.get("/api/insights/activity?size=0").status_code == 422
    assert client.get("/api/insights/activity?size=201").status_code == 422


def test_the_activity_api_page_costs_the_same_with_many_more_teams(
    busy_company: Any, login: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast = busy_company
    url = "/api/insights/activity?by=team&size=2"
    with clock.frozen(at("2026-11-12")):
        client = login(cast.hq)
        client.get(url)
        with CaptureQueriesContext(connection) as before:
            first = client.get(url).json()
        for i in range(12):
            manager = make_person(role=cast.roles["manager"], unit=cast.units["office"], first_name=f"N{i}")
            Team.objects.create(name=f"Nouvelle {i}", unit=cast.units["office"], manager=manager)
            make_person(role=cast.roles["rep"], unit=cast.units["office"], team=Team.objects.latest("id"))
        rollups.periods_rebuild(dt.date(2026, 11, 2))
        with django_assert_num_queries(len(before.captured_queries)):
            again = client.get(url).json()
    assert len(again["groups"]) == 2 and again["next"] and first["next"]


def test_the_openapi_schema_documents_the_activity_pages(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    (path,) = [p for p in schema["paths"] if p.endswith("/insights/activity")]
    names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
    assert {"cursor", "size", "by"} <= names
    out = schema["components"]["schemas"]["ActivityOut"]["properties"]
    assert {"next", "next_cursor", "groups"} <= set(out)


def test_the_attention_api_walks_every_team_by_pages(posted: Any, login: Any) -> None:
    cast = posted
    with clock.frozen(at("2026-11-10")):
        merged = attention.attention_overview(Scope(everyone=True))
        client = login(cast.hq)
        pages, url = [], "/api/insights/attention?size=3"
        while url:
            answer = client.get(url)
            assert answer.status_code == 200
            pages.append(answer.json())
            url = pages[-1]["next"]
        assert client.get("/api/insights/attention?cursor=zz").status_code == 422
        assert client.get("/api/insights/attention?size=500").status_code == 422
    teams = [(t["team_id"], t["posts"], t["reached"], t["median_hours"]) for p in pages for t in p["teams"]]
    assert teams == [(t.key, t.reached.whole, t.reached.part, t.median_hours) for t in merged.teams]
    assert len(pages) == -(-len(merged.teams) // 3) and pages[0]["teams_total"] == len(merged.teams)
    assert pages[0]["total"]["posts"] == merged.total.reached.whole


def test_before_the_first_roll_up_of_histograms_the_spread_is_recounted(busy_company: Any) -> None:
    with clock.frozen(at("2026-11-12")):
        rolled = selectors.participation(Scope(everyone=True))
        ParticipationWindow.objects.all().delete()  # as just after the upgrade that brings them
        recounted = selectors.participation(Scope(everyone=True))
    assert figures(recounted) == figures(rolled)


def test_a_week_not_rolled_up_yet_shows_the_latest_four_weeks_that_are(busy_company: Any) -> None:
    with clock.frozen(at("2026-11-12")):
        rolled = selectors.participation(Scope(everyone=True))
    with clock.frozen(at("2026-11-16", 6)):  # Monday, before the morning's roll-up
        early = selectors.participation(Scope(everyone=True))
    assert figures(early) == figures(rolled) and early.last_day == dt.date(2026, 11, 15)
