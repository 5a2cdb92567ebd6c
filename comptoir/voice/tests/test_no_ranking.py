"""Reps are never given NPS objectives (PRODUCT.md): no page or API ranks people or teams by
score, and no breakdown by person exists. These tests break if someone adds one."""

from __future__ import annotations

from typing import Any

from django.urls import get_resolver, reverse

from comptoir.voice import analytics

from .conftest import World, make_account
from .factories import many


def test_there_is_no_breakdown_by_person() -> None:
    assert "owner" not in analytics.DIMENSIONS
    assert "rep" not in analytics.DIMENSIONS and "person" not in analytics.DIMENSIONS


def test_no_page_or_api_offers_a_score_per_person(world: World, login: Any) -> None:
    client = login(world.cast.agent)
    for dimension in ("owner", "rep", "person", "user"):
        assert client.get(reverse("voice:breakdown", args=[dimension])).status_code == 400
        assert client.get(f"/api/voice/analytics/breakdown/{dimension}").status_code in (404, 422)
    voice_urls = [str(p.pattern) for p in get_resolver().url_patterns if "voice" in str(p.pattern)]
    assert not any(word in url for url in voice_urls for word in ("leaderboard", "ranking", "owner"))


def test_the_team_breakdown_is_in_name_order_whatever_the_scores(world: World) -> None:
    # The team with the best score is not put first: teams are listed by name, never ranked.
    many(world.trade_account, [10] * 5)  # "Trade Hauts-de-France"
    many(world.account, [0] * 5)  # "HoReCa Île-de-France"
    other = make_account(world.cast.rep_office)
    many(other, [5] * 5)  # "Office Grand Est"
    rows = analytics.breakdown(analytics.Filters.last_months(1), "team", minimum=1)
    assert [r.label for r in rows] == sorted((r.label for r in rows), key=str.casefold)
    assert rows[0].label.startswith("HoReCa")


def test_reps_and_managers_get_no_score_at_all(world: World, login: Any) -> None:
    many(world.account, [10] * 5, comment="Top")
    for who in (world.cast.rep, world.cast.manager):
        client = login(who)
        page = client.get(reverse("voice:verbatims")).text
        assert "NPS" not in page.split("<main")[1]
        assert client.get("/api/voice/analytics/dashboard").status_code == 403
