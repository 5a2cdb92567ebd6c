"""Each role, through the pages and the API (not only the fetchers): what it lists, what it opens,
what it may change. The expected sets come from test_access.expected_accounts."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from comptoir.customers.models import Account, AgreementSite
from comptoir.customers.tests.conftest import World
from comptoir.customers.tests.test_access import ROLES, expected_accounts
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def listed(html: str, attribute: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'data-{attribute}="(\d+)"', html)}


def walk_api(client: Any, url: str) -> set[int]:
    seen: set[int] = set()
    cursor = ""
    while True:
        body = client.get(url, {"size": 200, **({"cursor": cursor} if cursor else {})}).json()
        seen |= {item["id"] for item in body["items"]}
        cursor = body["next_cursor"]
        if not cursor:
            return seen


@pytest.mark.parametrize("who", ROLES)
def test_each_role_lists_and_opens_exactly_its_accounts(cast: Cast, world: World, login: Any, who: str) -> None:
    client = login(getattr(cast, who))
    wanted = expected_accounts(cast, world)[who] or set(Account.objects.values_list("id", flat=True))
    assert listed(client.get(reverse("customers:account_list")).content.decode(), "account") == wanted
    assert walk_api(client, "/api/customers/accounts") == wanted
    for account in Account.objects.all():
        page = client.get(reverse("customers:account", args=[account.pk])).status_code
        api = client.get(f"/api/customers/accounts/{account.pk}").status_code
        assert (page, api) == ((200, 200) if account.pk in wanted else (404, 404)), account.name


@pytest.mark.parametrize("who", ROLES)
def test_each_role_lists_and_opens_exactly_its_agreements(cast: Cast, world: World, login: Any, who: str) -> None:
    client = login(getattr(cast, who))
    everything = {world.agreement.pk, world.other_agreement.pk}
    wanted = {"kam": {world.agreement.pk}, "hq": everything, "agent": everything, "admin": everything}.get(who, set())
    assert listed(client.get(reverse("customers:agreement_list")).content.decode(), "agreement") == wanted
    assert walk_api(client, "/api/customers/agreements") == wanted
    for agreement in (world.agreement, world.other_agreement):
        page = client.get(reverse("customers:agreement", args=[agreement.pk])).status_code
        assert page == (200 if agreement.pk in wanted else 404)


@pytest.mark.parametrize("who", ROLES)
def test_each_role_moves_a_roll_out_only_where_it_may(cast: Cast, world: World, login: Any, who: str) -> None:
    """The rep who owns the site, the agreement's KAM and an administrator; the others who see the
    site read it (403), the rest do not know it exists (404)."""
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    client = login(getattr(cast, who))
    may = who in {"rep", "kam", "admin"}
    sees = who in {"rep", "teammate", "manager", "director", "kam", "hq", "agent", "admin"}
    expected = 200 if may else (403 if sees else 404)
    response = client.patch(f"/api/customers/sites/{site.pk}", json.dumps({"status": "in_progress"}), content_type="application/json")
    assert response.status_code == expected
    page = client.post(reverse("customers:site_status", args=[site.pk]), {"status": "deployed"}, headers={"HX-Request": "true"})
    assert page.status_code == expected
    site.refresh_from_db()
    assert site.status == ("deployed" if may else "not_started")


@pytest.mark.parametrize("who", ROLES)
def test_each_role_sees_the_agreements_menu_only_if_it_has_agreements_to_see(cast: Cast, world: World, login: Any, who: str) -> None:
    html = login(getattr(cast, who)).get(reverse("customers:my_accounts")).content.decode()
    assert (reverse("customers:agreement_list") in html) == (who in {"kam", "hq", "agent", "admin"})
