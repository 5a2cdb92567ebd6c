"""The account and agreement pages: what each person sees, what a tap changes, what they cost."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from comptoir.customers.models import Account, AgreementSite, SiteStatusChange
from comptoir.customers.tests.conftest import World
from comptoir.customers.tests.factories import make_account
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db


def listed_accounts(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-account="(\d+)"', html)}


def test_a_rep_lists_their_accounts_and_their_teams(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.rep).get(reverse("customers:account_list"))
    assert response.status_code == 200
    assert listed_accounts(response.content.decode()) == {world.rep.pk, world.teammate.pk}


def test_hq_lists_everything_and_filters(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.hq)
    assert listed_accounts(client.get(reverse("customers:account_list")).content.decode()) == set(
        Account.objects.values_list("id", flat=True)
    )
    by_unit = client.get(reverse("customers:account_list"), {"unit": cast.units["trade"].pk})
    assert listed_accounts(by_unit.content.decode()) == set(
        Account.objects.filter(unit=cast.units["trade"]).values_list("id", flat=True)
    )
    by_agreement = client.get(reverse("customers:account_list"), {"agreement": world.agreement.pk})
    assert listed_accounts(by_agreement.content.decode()) == {world.rep.pk, world.teammate.pk, world.rep_trade.pk}
    by_owner = client.get(reverse("customers:account_list"), {"owner": cast.rep.pk})
    assert listed_accounts(by_owner.content.decode()) == {world.rep.pk}


def test_search_ignores_accents_and_case(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.hq).get(reverse("customers:account_list"), {"q": "cafe GARE"})
    assert listed_accounts(response.content.decode()) == {world.rep.pk}


def test_a_bad_filter_is_refused_with_a_message(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.hq).get(reverse("customers:account_list"), {"status": "bankrupt"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert login(cast.hq).get(reverse("customers:account_list"), {"after": "!!bad"}).status_code == 400


def test_a_filter_on_someone_out_of_scope_is_refused(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.rep).get(reverse("customers:account_list"), {"owner": cast.rep_trade.pk})
    assert response.status_code == 400


def test_keyset_pages_walk_the_whole_list_once(cast: Cast, world: World, login: Any) -> None:
    for n in range(30):
        make_account(owner=cast.rep, name=f"Bistrot {n:02d}")
    client = login(cast.rep)
    seen: list[int] = []
    url = reverse("customers:account_list") + "?q=bistrot"
    while url:
        html = client.get(url).content.decode()
        seen.extend(int(pk) for pk in re.findall(r'data-account="(\d+)"', html))
        more = re.search(r'href="\?([^"]*after=[^"]+)"', html)
        url = (reverse("customers:account_list") + "?" + more.group(1).replace("&amp;", "&")) if more else ""
    assert len(seen) == 30 == len(set(seen))


def test_my_accounts_are_only_mine(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.rep).get(reverse("customers:my_accounts"))
    assert listed_accounts(response.content.decode()) == {world.rep.pk}


def _queries_for(client: Any, url: str, django_assert_max_num_queries: Any, limit: int) -> None:
    client.get(url)  # warm-up: the insights app records the day's first visit (one write)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["rep", "director", "hq", "kam"])
def test_the_account_list_costs_the_same_with_more_accounts(
    cast: Cast, world: World, login: Any, who: str, django_assert_num_queries: Any
) -> None:
    client = login(getattr(cast, who))
    url = reverse("customers:account_list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: the insights app records the day's first visit (one write)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(40):
        make_account(owner=cast.rep if n % 2 else cast.teammate, name=f"Restaurant {n}")
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


def test_the_account_list_query_budget(cast: Cast, world: World, login: Any, django_assert_max_num_queries: Any) -> None:
    # session + user, scope (team, reports x depth), owner and agreement menus (units, regions and
    # segments come from the cache), the page's keys and rows, the unread notifications.
    _queries_for(login(cast.director), reverse("customers:account_list"), django_assert_max_num_queries, 14)
    _queries_for(login(cast.rep), reverse("customers:my_accounts"), django_assert_max_num_queries, 6)


def test_the_account_page_shows_contacts_owner_history_and_sites(cast: Cast, world: World, login: Any) -> None:
    html = login(cast.rep).get(reverse("customers:account", args=[world.rep.pk])).content.decode()
    assert "Jeanne Patronne" in html
    assert "Accord Azur 2026" in html
    assert "Léa Représentante" in html  # the owner history
    assert f'id="site-{AgreementSite.objects.get(account=world.rep).pk}"' in html
    assert "rollout-update" in html  # the owning rep may update it


def test_a_teammate_reads_the_site_but_gets_no_update_button(cast: Cast, world: World, login: Any) -> None:
    html = login(cast.teammate).get(reverse("customers:account", args=[world.rep.pk])).content.decode()
    assert "Accord Azur 2026" in html
    assert "rollout-update" not in html


def test_an_outsider_gets_404_on_the_account(cast: Cast, world: World, login: Any) -> None:
    assert login(cast.outsider).get(reverse("customers:account", args=[world.rep.pk])).status_code == 404


def test_the_account_page_query_budget(
    cast: Cast, world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    # Ours: session, user, team scope, account, contacts, owner history, sites, group's sites (8),
    # the unread-notifications badge (1); the sections other apps plug in, as merged on main:
    # feed posts (1), survey responses (3), actions (3).
    _queries_for(login(cast.rep), reverse("customers:account", args=[world.rep.pk]), django_assert_max_num_queries, 16)


def test_the_owning_rep_marks_a_site_deployed(cast: Cast, world: World, login: Any) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    response = login(cast.rep).post(
        reverse("customers:site_status", args=[site.pk]), {"status": "deployed"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'data-status="deployed"' in response.content.decode()
    site.refresh_from_db()
    assert (site.status, site.status_changed_by) == ("deployed", cast.rep)
    change = SiteStatusChange.objects.get(site=site)
    assert (change.from_status, change.to_status, change.changed_by) == ("not_started", "deployed", cast.rep)


def test_a_bad_status_changes_nothing(cast: Cast, world: World, login: Any) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    response = login(cast.rep).post(
        reverse("customers:site_status", args=[site.pk]), {"status": "exploded"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    site.refresh_from_db()
    assert site.status == "not_started"
    assert not SiteStatusChange.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("manager", 403), ("outsider", 404)])
def test_others_may_not_move_the_site(cast: Cast, world: World, login: Any, who: str, status: int) -> None:
    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    response = login(getattr(cast, who)).post(reverse("customers:site_status", args=[site.pk]), {"status": "deployed"})
    assert response.status_code == status
    site.refresh_from_db()
    assert site.status == "not_started"


def test_a_manager_reassigns_and_the_history_keeps_both(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.manager).post(reverse("customers:account_reassign", args=[world.rep.pk]), {"owner": cast.teammate.pk})
    assert response.status_code == 302
    world.rep.refresh_from_db()
    assert world.rep.owner == cast.teammate
    history = list(world.rep.ownerships.order_by("started_at").values_list("owner_id", "ended_at"))
    assert history[0][0] == cast.rep.pk and history[0][1] is not None
    assert history[1] == (cast.teammate.pk, None)


def test_a_manager_may_not_hand_an_account_to_someone_out_of_scope(cast: Cast, world: World, login: Any) -> None:
    login(cast.manager).post(reverse("customers:account_reassign", args=[world.rep.pk]), {"owner": cast.rep_trade.pk})
    world.rep.refresh_from_db()
    assert world.rep.owner == cast.rep


def test_a_rep_may_not_reassign(cast: Cast, world: World, login: Any) -> None:
    response = login(cast.rep).post(reverse("customers:account_reassign", args=[world.rep.pk]), {"owner": cast.teammate.pk})
    assert response.status_code == 403


def test_the_agreement_list_has_a_bar_per_row(cast: Cast, world: World, login: Any) -> None:
    html = login(cast.kam).get(reverse("customers:agreement_list")).content.decode()
    assert f'data-agreement="{world.agreement.pk}"' in html
    assert f'data-agreement="{world.other_agreement.pk}"' not in html
    assert "0 of 3 sites deployed" in html or "0 sur 3" in html


def test_a_rep_has_no_agreement_page(cast: Cast, world: World, login: Any) -> None:
    assert login(cast.rep).get(reverse("customers:agreement", args=[world.agreement.pk])).status_code == 404
    assert 'data-agreement' not in login(cast.rep).get(reverse("customers:agreement_list")).content.decode()


def test_the_agreement_page_shows_progress_per_region_and_rep(
    cast: Cast, world: World, login: Any, django_assert_max_num_queries: Any
) -> None:
    from comptoir.customers import services

    site = AgreementSite.objects.get(agreement=world.agreement, account=world.rep)
    services.site_set_status(site=site, status="deployed", by=cast.rep)
    client = login(cast.kam)
    client.get(reverse("customers:agreement", args=[world.agreement.pk]))  # warm-up (the day's first visit)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("customers:agreement", args=[world.agreement.pk]))
    html = response.content.decode()
    assert "<svg" in html
    assert f'data-row="{cast.regions["idf"].pk}"' in html
    assert f'data-row="{cast.rep.pk}"' in html
    assert "1 of 3 sites deployed (33 %)" in html or "1 sur 3" in html


def test_the_admin_screens_open(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.admin)
    for name in ("account", "contact", "frameworkagreement", "sitestatuschange", "segment"):
        assert client.get(reverse(f"admin:customers_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:customers_account_change", args=[world.rep.pk])).status_code == 200
    assert client.get(reverse("admin:customers_frameworkagreement_change", args=[world.agreement.pk])).status_code == 200


def test_past_a_long_list_the_owner_filter_takes_an_email(
    cast: Cast, world: World, login: Any, settings: Any, monkeypatch: Any
) -> None:
    from comptoir.customers import selectors

    monkeypatch.setattr(selectors, "OWNER_CHOICES_MAX", 2)
    client = login(cast.hq)
    html = client.get(reverse("customers:account_list")).content.decode()
    assert 'placeholder="' in html and '<select name="owner"' not in html
    by_email = client.get(reverse("customers:account_list"), {"owner": "REP@test.comptoir"})
    assert listed_accounts(by_email.content.decode()) == {world.rep.pk}
    assert client.get(reverse("customers:account_list"), {"owner": "nobody@test.comptoir"}).status_code == 400


def test_the_pages_speak_french_and_english(cast: Cast, world: World, login: Any) -> None:
    url = reverse("customers:account", args=[world.rep.pk])
    french = login(cast.rep).get(url, headers={"accept-language": "fr"}).content.decode()
    assert "Mettre à jour le déploiement" in french and "Historique des commerciaux" in french
    english = login(cast.rep).get(url, headers={"accept-language": "en"}).content.decode()
    assert "Update roll-out" in english and "Owner history" in english


def test_a_national_agreement_shows_the_reps_with_the_most_sites_to_deploy(
    cast: Cast, world: World, login: Any, monkeypatch: Any
) -> None:
    from comptoir.customers import selectors, services

    monkeypatch.setattr(selectors, "PER_REP_SHOWN", 2)
    services.site_set_status(site=AgreementSite.objects.get(agreement=world.agreement, account=world.rep), status="deployed", by=cast.rep)
    html = login(cast.kam).get(reverse("customers:agreement", args=[world.agreement.pk])).content.decode()
    rep_rows = set(re.findall(r'data-row="(\d+)"', html.split('id="rep-title"')[1].split("</table>")[0]))
    assert rep_rows == {str(cast.teammate.pk), str(cast.rep_trade.pk)}  # each still has a site to deploy
    assert 'data-testid="per-rep-hidden"' in html
