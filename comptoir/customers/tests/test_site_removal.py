"""Taking a site out of an agreement from its page: the KAM of the agreement and the administrators,
after a confirmation; everyone else is refused and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from comptoir.customers.models import Account, AgreementSite, SiteStatusChange
from comptoir.customers.tests.conftest import World
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def site_of(world: World, account: Account) -> AgreementSite:
    return AgreementSite.objects.get(agreement=world.agreement, account=account)


def test_the_kam_finds_the_site_confirms_and_it_is_out(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.kam)
    page = client.get(reverse("customers:agreement", args=[world.agreement.pk])).content.decode()
    assert reverse("customers:agreement_sites_to_remove", args=[world.agreement.pk]) in page
    site = site_of(world, world.teammate)
    found = client.get(
        reverse("customers:agreement_sites_to_remove", args=[world.agreement.pk]), {"q": "brasserie"}
    )
    assert f'data-site="{site.pk}"' in found.content.decode()
    assert found.content.decode().count("data-site=") == 1
    # A name that is an account, but not a site of this agreement, is not offered.
    other = client.get(
        reverse("customers:agreement_sites_to_remove", args=[world.agreement.pk]), {"q": "strasbourg"}
    )
    assert "data-site=" not in other.content.decode()

    confirm = client.get(reverse("customers:site_remove", args=[site.pk]))
    assert confirm.status_code == 200 and "Brasserie du Port" in confirm.content.decode()
    assert AgreementSite.objects.filter(pk=site.pk).exists()  # asking removes nothing
    done = client.post(reverse("customers:site_remove", args=[site.pk]))
    assert done.status_code == 302 and done["Location"] == reverse(
        "customers:agreement", args=[world.agreement.pk]
    )
    assert not AgreementSite.objects.filter(pk=site.pk).exists()
    assert not SiteStatusChange.objects.filter(site_id=site.pk).exists()
    assert Account.objects.filter(pk=world.teammate.pk).exists()  # the account stays
    overall = client.get(done["Location"]).content.decode()
    assert "no longer a site of" in overall or "ne fait plus partie" in overall


def test_an_administrator_may_too(cast: Cast, world: World, login: Any) -> None:
    site = site_of(world, world.rep)
    assert login(cast.admin).post(reverse("customers:site_remove", args=[site.pk])).status_code == 302
    assert not AgreementSite.objects.filter(pk=site.pk).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep", 403),  # owns the site: moves its roll-out on, does not take it out
        ("manager", 403),
        ("hq", 403),  # reads every agreement without changing them
        ("agent", 403),
        ("rep_office", 404),  # does not even see it
        ("outsider", 404),
    ],
)
def test_the_others_are_refused_and_nothing_changes(
    cast: Cast, world: World, login: Any, who: str, status: int
) -> None:
    site = site_of(world, world.rep)
    client = login(getattr(cast, who))
    assert client.get(reverse("customers:site_remove", args=[site.pk])).status_code == status
    assert client.post(reverse("customers:site_remove", args=[site.pk])).status_code == status
    assert AgreementSite.objects.filter(pk=site.pk).exists()
    find = client.get(
        reverse("customers:agreement_sites_to_remove", args=[world.agreement.pk]), {"q": "cafe"}
    )
    assert find.status_code in (403, 404)
    if who == "hq":
        page = client.get(reverse("customers:agreement", args=[world.agreement.pk])).content.decode()
        assert reverse("customers:site_remove", args=[site.pk]) not in page
        assert "site-remove-search" not in page


def test_the_other_kam_cannot_take_a_site_out_of_an_agreement_not_theirs(
    cast: Cast, world: World, login: Any
) -> None:
    site = AgreementSite.objects.get(agreement=world.other_agreement)
    assert login(cast.kam).post(reverse("customers:site_remove", args=[site.pk])).status_code == 404
    assert AgreementSite.objects.filter(pk=site.pk).exists()


def test_finding_the_site_costs_a_fixed_number_of_queries(
    cast: Cast, world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    from comptoir.customers.tests.factories import make_account

    client = login(cast.kam)
    url = reverse("customers:agreement_sites_to_remove", args=[world.agreement.pk])
    client.get(url, {"q": "cafe"})
    with django_assert_max_num_queries(8) as small:
        client.get(url, {"q": "lyon"})
    more = [make_account(owner=cast.rep, name=f"Site {n}") for n in range(30)]
    AgreementSite.objects.bulk_create([AgreementSite(agreement=world.agreement, account=a) for a in more])
    with django_assert_max_num_queries(8) as large:
        response = client.get(url, {"q": "lyon"})
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("data-site=") == 20  # the first twenty, by name
