"""Search understands French (accents, plurals), ranks, filters, respects permissions, stays in sync."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from comptoir.core import clock
from comptoir.feed import moderation, selectors, services
from comptoir.feed.selectors import FeedFilters, search_posts
from comptoir.feed.stemmer import tokens
from comptoir.feed.tests.factories import post
from comptoir.org.testing import Cast


def test_the_stemmer_folds_accents_and_plurals() -> None:
    assert tokens("Café cafés cafe") == ["cafe", "cafe", "cafe"]
    assert tokens("démonstrations Démonstration") == ["demonstration", "demonstration"]
    assert tokens("les présentoirs") == ["presentoir"]


def _found(viewer: Any, query: str, **filters: Any) -> list[str]:
    posts, _more = search_posts(viewer, query=query, filters=FeedFilters(**filters))
    return [p.body for p in posts]


def test_cafe_finds_cafes_and_demonstration_finds_the_plural(cast: Cast) -> None:
    post(cast.rep, body="Trois cafés offerts au client")
    post(cast.rep, body="Des démonstrations en agence")
    post(cast.rep, body="Rien à voir")
    assert _found(cast.teammate, "café") == ["Trois cafés offerts au client"]
    assert _found(cast.teammate, "cafe") == ["Trois cafés offerts au client"]
    assert _found(cast.teammate, "démonstration") == ["Des démonstrations en agence"]
    assert _found(cast.teammate, "DEMONST") == ["Des démonstrations en agence"]


def test_results_are_ranked_and_filtered(cast: Cast) -> None:
    post(cast.rep, body="présentoir")
    post(cast.rep, body="présentoir présentoir présentoir au comptoir avec présentoirs", kind="success")
    assert _found(cast.teammate, "présentoir")[0].startswith("présentoir présentoir")
    assert _found(cast.teammate, "présentoir", kind="success") == [
        "présentoir présentoir présentoir au comptoir avec présentoirs"
    ]


def test_comments_are_searched_and_edits_deletes_and_hiding_stay_in_sync(cast: Cast) -> None:
    created = post(cast.rep, body="Machine installée")
    services.comment_create(post=created, author=cast.manager, body="Pensez aux dégustations")
    assert _found(cast.teammate, "degustation") == ["Machine installée"]
    services.post_edit(post=created, editor=cast.rep, body="Machine déplacée")
    assert _found(cast.teammate, "installée") == []
    assert _found(cast.teammate, "deplacee") == ["Machine déplacée"]
    moderation.hide(by=cast.admin, post=created)
    assert _found(cast.teammate, "machine") == []
    moderation.restore(by=cast.admin, post=created)
    assert _found(cast.teammate, "machine") == ["Machine déplacée"]
    services.post_delete(post=created, by=cast.rep)
    assert _found(cast.teammate, "machine") == []


def test_restricted_posts_are_not_found_from_outside(cast: Cast, login: Any) -> None:
    post(cast.rep, body="Tarif secret équipe", visibility="team")
    assert _found(cast.outsider, "tarif") == []
    assert _found(cast.teammate, "tarif") == ["Tarif secret équipe"]
    html = login(cast.outsider).get(reverse("feed:search") + "?q=tarif").content.decode()
    assert "Tarif secret" not in html
    assert "Tarif secret" in login(cast.teammate).get(reverse("feed:search") + "?q=tarif").content.decode()


def test_a_query_of_only_symbols_finds_nothing_without_error(cast: Cast, login: Any) -> None:
    post(cast.rep, body="Quelque chose")
    assert _found(cast.teammate, '"*) OR NEAR(') == []
    assert login(cast.rep).get(reverse("feed:search") + "?q=%22%2A%29").status_code == 200


def test_an_old_post_that_fits_best_comes_before_newer_passing_mentions(cast: Cast) -> None:
    with clock.frozen(dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC)):
        post(cast.rep, body="Présentoir : le présentoir compact, trois présentoirs testés")
    with clock.frozen(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        for number in range(5):
            post(cast.rep, body=f"Visite {number} chez un client, un présentoir vu en passant, rien de plus")
    found = _found(cast.teammate, "présentoir")
    assert len(found) == 6
    assert found[0] == "Présentoir : le présentoir compact, trois présentoirs testés"


def test_narrow_filters_look_past_the_newest_matches(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    # Few candidates, so that the one post of the filter is older than all of them.
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 5)
    post(cast.rep, body="dégustation", kind="success")
    for _number in range(12):
        post(cast.rep, body="dégustation dégustation dégustation")
    posts, more = search_posts(
        cast.teammate, query="dégustation", filters=FeedFilters(kind="success"), size=2
    )
    assert [p.body for p in posts] == ["dégustation"] and not more


def test_later_pages_reach_as_far_as_they_need(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 5)
    for _number in range(13):
        post(cast.rep, body="dégustation")
    posts, more = search_posts(cast.teammate, query="dégustation", size=5, page=3)
    assert len(posts) == 3 and not more


def test_only_the_newest_matches_of_a_common_word_are_ranked(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bound that keeps a common word fast: an old post beyond the newest matches comes after
    # them, however well it fits; narrower words find it first.
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 3)
    post(cast.rep, body="Café café café, le café du comptoir")
    for number in range(4):
        post(cast.rep, body=f"Visite {number}, un café offert en passant chez le client")
    found = [p.body for p in search_posts(cast.teammate, query="café", size=3)[0]]
    assert "Café café café, le café du comptoir" not in found
    assert _found(cast.teammate, "café comptoir") == ["Café café café, le café du comptoir"]


def test_ranking_prefers_more_occurrences_and_shorter_texts(cast: Cast) -> None:
    post(
        cast.rep,
        body="Un présentoir installé chez un client du centre-ville, avec la vitrine refaite et un comptoir neuf",
    )
    post(cast.rep, body="Présentoir neuf")
    post(cast.rep, body="Présentoir, présentoir : deux présentoirs installés")
    assert _found(cast.teammate, "présentoir") == [
        "Présentoir, présentoir : deux présentoirs installés",
        "Présentoir neuf",
        "Un présentoir installé chez un client du centre-ville, avec la vitrine refaite et un comptoir neuf",
    ]


def test_a_word_being_typed_matches_as_a_prefix_and_ranks_the_same(cast: Cast) -> None:
    post(cast.rep, body="Démonstration")
    post(cast.rep, body="Démonstration, démonstrations et encore une démonstration")
    assert _found(cast.teammate, "démonst") == [
        "Démonstration, démonstrations et encore une démonstration",
        "Démonstration",
    ]
