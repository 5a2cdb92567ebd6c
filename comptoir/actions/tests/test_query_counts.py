"""Customer relations' list and the closed-loop metrics run a fixed number of queries, whatever the
number of actions, units, regions and filters (issue #6's numbers, measured by `bench_actions`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from comptoir.actions import menus, selectors, services
from comptoir.actions.models import Action
from comptoir.core import clock
from comptoir.org.models import OrgUnit, Region


def all_actions_url(cast: Any, **filters: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return reverse("actions:inbox") + "?tab=all" + (f"&{query}" if query else "")


def test_customer_relations_list_runs_seven_queries_with_or_without_filters(
    cast: Any, login: Any, post_action: Any, kind: Any, django_assert_num_queries: Any
) -> None:
    client = login(cast.agent)
    unfiltered = all_actions_url(cast)
    filtered = all_actions_url(
        cast,
        status="open_any",
        kind=kind.pk,
        unit=cast.units["horeca"].pk,
        region=cast.regions["idf"].pk,
        age=30,
        overdue="on",
    )

    def post(n: int) -> None:
        for i in range(n):
            action = post_action(assignee=cast.rep_trade if i % 2 else cast.rep)
            services.action_transition(action=action, actor=action.assignee, to="in_progress", note="")
        Action.objects.update(due_on=clock.today() - dt.timedelta(days=2))  # all overdue

    post(1)
    for url in (unfiltered, filtered):
        client.get(url)  # warm-up: the day's first visit is recorded once, the menus are read
    for rows in (1, 31):
        for url in (unfiltered, filtered):
            # Session, person, the people under the viewer and the teams they answer for (the
            # "My teams" tab), the page's ids from the list's index, those rows' values, the
            # unread notifications. The menus (kinds, units, regions) and the chosen filter
            # values are checked against the menus kept by the process: no query.
            with django_assert_num_queries(7):
                page = client.get(url).context["page"]
            assert len(page.items) == min(rows, 25) if url == unfiltered else 0 < len(page.items) <= 25
        post(30)


def test_the_filter_menus_are_read_once_a_minute_and_show_every_unit(
    cast: Any, login: Any, post_action: Any, django_assert_num_queries: Any
) -> None:
    client = login(cast.agent)
    url = all_actions_url(cast)
    post_action()
    client.get(url)
    menus.clear()  # a new minute
    with django_assert_num_queries(10):  # the three menus once more
        html = client.get(url).content.decode()
    for unit in OrgUnit.objects.all():
        assert f'<option value="{unit.pk}">{unit.label}</option>' in html
    with django_assert_num_queries(7):
        client.get(url)


def test_an_unknown_filter_value_is_refused_without_listing(cast: Any, login: Any, post_action: Any) -> None:
    post_action()
    client = login(cast.agent)
    for bad in ({"unit": "999999"}, {"region": "abc"}, {"kind": "-1"}):
        response = client.get(reverse("actions:inbox"), {"tab": "all", **bad})
        assert response.status_code == 400
        assert response.context["page"] is None


def test_metrics_page_runs_five_queries_whatever_the_units_and_regions(
    cast: Any, login: Any, post_action: Any, make_response: Any, django_assert_num_queries: Any
) -> None:
    client = login(cast.agent)
    post_action(response=make_response(nps=2))
    url = reverse("actions:metrics")
    client.get(url)  # warm-up
    # Session, person, the closed-loop roll-up (months, units and regions in one query), the
    # customer's voice roll-up (detractors per month, unit and region in one query), the unread
    # notifications. Labels and menus come from the menus kept by the process.
    with django_assert_num_queries(5):
        before = client.get(url)
    for i in range(4):
        unit = OrgUnit.objects.create(name=f"Unité {i}", code=f"unit-{i}", kind=cast.units["horeca"].kind)
        region = Region.objects.create(name=f"Région {i}", code=f"region-{i}")
        post_action(response=make_response(nps=i, unit=unit, region=region))
        post_action(assignee=cast.rep_trade, due_on=clock.today() + dt.timedelta(days=i))
    client.get(url)  # the units and regions the menus did not know yet are read once
    with django_assert_num_queries(5):
        after = client.get(url)
    with django_assert_num_queries(5):
        assert client.get(url, {"unit": cast.units["horeca"].pk}).status_code == 200
    (_title, units_before), (_title, _regions_before) = before.context["breakdowns"]
    (_title, units_after), (_title, regions_after) = after.context["breakdowns"]
    assert [g.label for g in units_before] == ["HoReCa"]
    assert {f"Unité {i}" for i in range(4)} < {g.label for g in units_after}
    assert {f"Région {i}" for i in range(4)} < {g.label for g in regions_after}
    assert {g.label: g.detractors for g in units_after}["Unité 2"] == 1


def test_closed_loop_reads_each_roll_up_once(
    cast: Any, post_action: Any, make_response: Any, django_assert_num_queries: Any
) -> None:
    post_action(response=make_response(nps=1))
    selectors.closed_loop(viewer=cast.agent)  # the menus give the labels
    for dimensions in ((), ("unit",), ("region",), ("unit", "region")):
        with django_assert_num_queries(2):  # the closed-loop roll-up, the customer's voice roll-up
            loop = selectors.closed_loop(viewer=cast.agent, dimensions=dimensions)
        assert set(loop.breakdowns) == set(dimensions)
        assert loop.months[-1].followed == 1
