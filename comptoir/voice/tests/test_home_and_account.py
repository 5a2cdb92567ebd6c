"""The love score on the home page (for those who read it) and the answers on the account page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .conftest import World
from .factories import answer, many


def test_the_home_page_shows_the_love_score_and_its_trend_to_those_who_read_it(
    world: World, login: Any
) -> None:
    many(world.account, [10, 10, 9, 3], ces=6)
    for who in (world.cast.agent, world.cast.hq, world.cast.director):
        page = login(who).get(reverse("home"))
        assert page.status_code == 200
        section = page.text.split('id="home-love-score"')[1].split("</section>")[0]
        assert "<svg" in section  # the trend chart with its band
        assert "<strong>50</strong>" in section  # 3 promoters and 1 detractor of 4 (minimum 3)
    for who in (world.cast.rep, world.cast.manager, world.cast.kam):
        assert 'id="home-love-score"' not in login(who).get(reverse("home")).text


def test_the_home_section_costs_the_same_queries_whatever_the_answers(
    world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(world.cast.agent)
    many(world.account, [10, 2], ces=4)
    client.get(reverse("home"))  # warm-up: the first visit of the day is recorded once
    with django_assert_max_num_queries(60) as first:
        client.get(reverse("home"))
    many(world.trade_account, [9, 9, 1, 0, 5, 6, 7], ces=6)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("home"))


def test_the_account_page_shows_its_answers_to_those_who_act_on_it(world: World, login: Any) -> None:
    answer(world.account, nps=3, comment="Livraison hors créneau", step=world.delivery)
    answer(world.account, nps=10, comment="Merci au livreur")
    url = reverse("customers:account", args=[world.account.pk])
    for who in (world.cast.rep, world.cast.manager, world.cast.agent):
        page = login(who).get(url)
        assert page.status_code == 200
        section = page.text.split('id="section-voice"')[1].split("</section>")[0]
        assert "Livraison hors créneau" in section and "Merci au livreur" in section
    # Only those who read the love score see the account's score; reps see the answers they act on.
    agent = login(world.cast.agent).get(url).text.split('id="section-voice"')[1].split("</section>")[0]
    rep = login(world.cast.rep).get(url).text.split('id="section-voice"')[1].split("</section>")[0]
    assert "NPS" in agent and "NPS" not in rep


def test_an_account_without_answers_shows_no_section_to_a_rep(world: World, login: Any) -> None:
    page = login(world.cast.rep).get(reverse("customers:account", args=[world.account.pk]))
    assert page.status_code == 200 and 'id="section-voice"' not in page.text
