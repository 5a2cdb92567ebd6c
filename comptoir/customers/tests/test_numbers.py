"""What the pages held to the issue's numbers must keep doing: the same answers from cheaper reads,
a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.core import clock
from comptoir.customers import selectors
from comptoir.customers.models import AgreementSite, SiteStatusChange
from comptoir.customers.tests.conftest import World
from comptoir.customers.tests.factories import make_account
from comptoir.org.testing import Cast

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _change(site: AgreementSite, to: str, when: dt.datetime, previous: str = "not_started") -> None:
    SiteStatusChange.objects.create(
        site=site, agreement=site.agreement, from_status=previous, to_status=to, changed_at=when, changed_by=None
    )


def test_each_change_counts_in_its_local_month(cast: Cast, world: World) -> None:
    agreement = world.agreement
    agreement.starts_on = dt.date(2026, 1, 10)
    agreement.save()
    first, second, third = AgreementSite.objects.filter(agreement=agreement).order_by("id")
    # Half past midnight on 1 March in Paris is still February in UTC: it counts in March.
    _change(first, "in_progress", dt.datetime(2026, 3, 1, 0, 30, tzinfo=PARIS))
    _change(first, "deployed", dt.datetime(2026, 4, 15, 12, tzinfo=PARIS), previous="in_progress")
    _change(second, "in_progress", dt.datetime(2026, 2, 28, 23, 30, tzinfo=PARIS))
    _change(second, "refused", dt.datetime(2026, 4, 2, 9, tzinfo=PARIS), previous="in_progress")
    _change(third, "deployed", dt.datetime(2026, 1, 20, 9, tzinfo=PARIS))
    months = selectors._months(agreement.starts_on, dt.date(2026, 5, 20))
    by_bucket = selectors.monthly_changes(agreement, months)
    assert by_bucket == {
        dt.date(2026, 1, 1): (1, 1),
        dt.date(2026, 2, 1): (0, 1),
        dt.date(2026, 3, 1): (0, 1),
        dt.date(2026, 4, 1): (1, -1),
    }
    # The same figures as grouping by TruncMonth in the local time zone.
    assert by_bucket == selectors._monthly_changes_by_trunc(agreement)


def test_a_change_older_than_the_agreement_starts_the_chart_at_its_month(
    cast: Cast, world: World, monkeypatch: Any
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 5, 20))
    agreement = world.agreement
    agreement.starts_on = dt.date(2026, 3, 10)
    agreement.save()
    site = AgreementSite.objects.filter(agreement=agreement).order_by("id").first()
    assert site is not None
    _change(site, "deployed", dt.datetime(2026, 1, 5, 9, tzinfo=PARIS))
    _chart, rows = selectors.rollout_over_time(agreement, 3)
    assert [month for month, _d, _s in rows] == ["01/2026", "02/2026", "03/2026", "04/2026", "05/2026"]
    assert rows[0][1] == 33.3  # one site of three deployed since January


def test_a_renamed_region_shows_in_the_filter_menu_at_once(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.hq)
    url = reverse("customers:account_list")
    client.get(url)  # the menus are now cached
    region = cast.regions["idf"]
    region.name = "Grand Paris"
    region.save()
    html = client.get(url, headers={"accept-language": "fr"}).content.decode()
    menu = html.split('name="region"')[1].split("</select>")[0]
    assert f'<option value="{region.pk}">Grand Paris</option>' in menu


def _count(client: Any, url: str) -> int:
    client.get(url)  # warm-up: the day's first visit is recorded once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_agreement_page_costs_the_same_with_more_sites_and_changes(cast: Cast, world: World, login: Any) -> None:
    client = login(cast.kam)
    url = reverse("customers:agreement", args=[world.agreement.pk])
    # session, user, the agreement, progress (one GROUP BY), the chart (one GROUP BY), the posts,
    # the unread notifications. No late sites before the due date: no query for them.
    assert _count(client, url) == 7
    sites = [make_account(owner=cast.rep if n % 2 else cast.teammate, name=f"Site {n}") for n in range(30)]
    agreement = world.agreement
    AgreementSite.objects.bulk_create([AgreementSite(agreement=agreement, account=site) for site in sites])
    for n, site in enumerate(AgreementSite.objects.filter(agreement=agreement)):
        _change(site, "in_progress", clock.now() - dt.timedelta(days=3 * n))  # since the agreement started
    assert _count(client, url) == 7


def test_the_lists_cost_a_fixed_number_of_queries(cast: Cast, world: World, login: Any) -> None:
    # session, user, the owner menu, the agreement menu, the page's keys, its rows, the unread
    # notifications (units, regions and segments come from the cache).
    hq = login(cast.hq)
    assert _count(hq, reverse("customers:account_list")) == 7
    # session, user, the page (one query), the unread notifications.
    rep = login(cast.rep)
    assert _count(rep, reverse("customers:my_accounts")) == 4
    for n in range(30):
        make_account(owner=cast.rep, name=f"Bistrot {n:02d}")
    assert _count(hq, reverse("customers:account_list")) == 7
    html = rep.get(reverse("customers:my_accounts")).content.decode()
    assert len(re.findall(r'data-account="\d+"', html)) == 25
    assert _count(rep, reverse("customers:my_accounts")) == 4
