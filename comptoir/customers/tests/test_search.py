"""Searching the accounts: through the database's index, by name, town, postcode or CRM id, within
what the viewer may see, on the page and in the API alike."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.customers import search
from comptoir.customers.models import Account
from comptoir.customers.tests.conftest import World
from comptoir.customers.tests.factories import make_account
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def listed(client: Any, query: str) -> set[int]:
    html = client.get(reverse("customers:account_list"), {"q": query}).content.decode()
    return {int(pk) for pk in re.findall(r'data-account="(\d+)"', html)}


def test_each_word_finds_the_start_of_a_word_of_the_name_town_postcode_or_crm_id(
    cast: Cast, world: World, login: Any
) -> None:
    hotel = make_account(
        owner=cast.rep,
        name="Hôtel du Château",
        city="Saint-Étienne",
        postcode="42000",
        external_id="CRM-778812",
    )
    client = login(cast.hq)
    assert listed(client, "chateau") == {hotel.pk}
    assert listed(client, "CHÂT saint-et") == {hotel.pk}  # accents, case, a prefix, the town
    assert listed(client, "42000") == {hotel.pk}
    assert listed(client, "crm-778812") == {hotel.pk}
    assert listed(client, "778") == {hotel.pk}  # the CRM number as typed so far
    assert listed(client, "hateau") == set()  # the start of a word, not any part of it
    assert listed(client, "chateau gare") == set()  # every word must match


def test_an_edit_or_a_deletion_is_found_at_once(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.hq)
    world.unowned.name = "Prospect Rivoli"
    world.unowned.save()
    assert listed(client, "rivoli") == {world.unowned.pk}
    assert listed(client, "commercial") == set()  # its old name is gone from the index
    closed = make_account(
        owner=None, name="Fermé Nancy", unit=cast.units["trade"], region=cast.regions["est"]
    )
    assert listed(client, "nancy") == {closed.pk}
    closed.delete()
    assert listed(client, "nancy") == set()


def test_the_search_keeps_each_viewers_scope(cast: Cast, world: World, login: Any) -> None:
    # "Café de la Gare" is the rep's; "Épicerie Fine Lille" is the Trade rep's.
    assert listed(login(cast.rep), "cafe") == {world.rep.pk}
    assert listed(login(cast.rep), "lille") == set()
    assert listed(login(cast.rep_trade), "lille") == {world.rep_trade.pk}
    assert listed(login(cast.rep_trade), "cafe") == set()
    assert listed(login(cast.kam), "epicerie") == {world.rep_trade.pk}  # a site of the KAM's agreement
    api = login(cast.rep).get("/api/customers/accounts", {"q": "epicerie"}).json()
    assert api["items"] == []
    api = login(cast.hq).get("/api/customers/accounts", {"q": "épicerie"}).json()
    assert [item["id"] for item in api["items"]] == [world.rep_trade.pk]


def test_the_search_goes_through_the_database_index(cast: Cast, world: World, login: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        listed(login(cast.hq), "brasserie")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    index = "customers_account_fts" if connection.vendor == "sqlite" else "to_tsvector"
    assert index in sql and '"search_text" LIKE' not in sql


def test_what_is_typed_cannot_break_the_query() -> None:
    assert search.words_of('"NEAR(* OR ") -- ; Café\'s') == ["near", "or", "cafe", "s"]
    assert search.words_of("") == []
    assert len(search.words_of(" ".join(f"mot{n}" for n in range(20)))) == search.MAX_QUERY_WORDS


def test_a_search_with_nothing_to_match_lists_everything(cast: Cast, world: World, login: Any) -> None:
    assert listed(login(cast.hq), "  ,;  ") == set(Account.objects.values_list("id", flat=True))
