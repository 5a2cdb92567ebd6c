"""Every love-score API endpoint takes the same period and filters from one query schema, so each
answers bad input with the same 422 naming the parameter, and the OpenAPI schema shows the same
parameters everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .conftest import World
from .factories import many

ENDPOINTS = (
    "/api/voice/analytics/dashboard",
    "/api/voice/analytics/breakdown/unit",
    "/api/voice/analytics/effort",
    "/api/voice/analytics/priorities",
)
SHARED = {"start", "end", "unit", "region", "step", "segment", "team"}


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-06-01", "end": "2026-01-01"}, "end"),  # end before start
        ({"start": "2020-01-01", "end": "2026-01-01"}, "end"),  # more than 36 months
        ({"start": "2999-01-01"}, "end"),  # start after this month
        ({"start": "le 3 mars"}, "start"),
        ({"unit": "abc"}, "unit"),
        ({"region": "0"}, "region"),
        ({"team": "-4"}, "team"),
    ],
)
def test_bad_filters_get_the_same_error_on_every_endpoint(
    world: World, login: Any, url: str, params: dict[str, str], field: str
) -> None:
    answer = login(world.cast.agent).get(url, params)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_input"
    assert [f["field"] for f in error["fields"]] == [field]


def _answers(url: str, body: Any) -> int:
    """How many answers an endpoint's figures count."""
    if url.endswith("dashboard"):
        return int(body["overall"]["current"]["nps"]["responses"])
    if url.endswith("priorities"):
        return int(body["overall"]["nps"]["responses"])
    if url.endswith("effort"):
        return sum(cell["responses"] for cell in body)
    return sum(row["nps"]["responses"] for row in body)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_the_filters_narrow_every_endpoint_alike(world: World, login: Any, url: str) -> None:
    many(world.account, [10, 10, 10, 9], ces=6, step=world.delivery)
    many(world.trade_account, [0, 0, 0], ces=2, step=world.delivery)
    agent = login(world.cast.agent)
    assert _answers(url, agent.get(url).json()) == 7
    assert _answers(url, agent.get(url, {"unit": world.trade_account.unit_id}).json()) == 3
    assert _answers(url, agent.get(url, {"region": world.account.region_id}).json()) == 4


def test_the_dashboard_and_the_priorities_check_their_own_choice_too(world: World, login: Any) -> None:
    agent = login(world.cast.agent)
    assert (
        agent.get("/api/voice/analytics/dashboard", {"grain": "day"}).json()["error"]["fields"][0]["field"]
        == "grain"
    )
    assert (
        agent.get("/api/voice/analytics/priorities", {"by": "owner"}).json()["error"]["fields"][0]["field"]
        == "by"
    )
    bad = agent.get("/api/voice/analytics/nps", {"start": "2026-03-02", "end": "2026-03-01"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "end"


def test_the_openapi_schema_shows_one_set_of_filters_on_every_endpoint() -> None:
    schema = Client().get("/api/openapi.json").json()
    for url in ENDPOINTS:
        path = url.removeprefix("/api").replace("breakdown/unit", "breakdown/{dimension}")
        parameters = schema["paths"][f"/api{path}"]["get"]["parameters"]
        names = {p["name"] for p in parameters if p["in"] == "query"}
        assert names >= SHARED, (url, names)
