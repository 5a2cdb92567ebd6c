"""A list row says the same whether it is read as plain values (the pages) or from loaded actions
(the home page and the account's section): title, state, overdue flag, kind, due date, people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from comptoir.actions import selectors, services
from comptoir.actions.rows import action_rows, row_page
from comptoir.core import clock

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))


def test_rows_read_as_values_equal_rows_of_loaded_actions(
    cast: Any, post_action: Any, account: Any, django_assert_num_queries: Any
) -> None:
    with clock.frozen(MONDAY):
        urgent = post_action(account=account, priority=4, due_on=dt.date(2026, 3, 3))
        post_action(assignee=None, team=cast.team, due_on=dt.date(2026, 3, 20))
        done = post_action(due_on=dt.date(2026, 3, 5))
    with clock.frozen(MONDAY + dt.timedelta(days=1)):
        services.action_transition(action=done, actor=cast.rep, to="done", note="Rappelé. " + "x" * 300)
    today = dt.date(2026, 3, 10)
    with translation.override("en"):
        with django_assert_num_queries(2):  # the page's ids, then their values
            page = row_page(selectors.filtered(cast.agent), cursor=None, today=today)
        loaded = action_rows(selectors.filtered_actions(viewer=cast.agent).items, today=today)
    assert page.items == loaded
    by_pk = {row.pk: row for row in page.items}
    row = by_pk[urgent.pk]
    assert row.url == f"/actions/{urgent.pk}/"
    assert row.overdue and row.status_label == "Open"
    assert row.facts == "Call the customer back · due 03/03/2026 · Urgent"
    assert row.people == "Café des Arts · → Léa Représentante · from " + cast.agent.full_name
    assert [r.people.split(" · ")[0] for r in page.items if r.pk not in (urgent.pk, done.pk)] == [
        f"→ {cast.team.name}"
    ]
    closed = by_pk[done.pk]
    assert not closed.overdue and closed.outcome.startswith("Rappelé.") and len(closed.outcome) == 160


def test_an_empty_page_has_no_rows_and_no_next_page(cast: Any) -> None:
    page = row_page(selectors.mine(cast.rep), cursor=None, today=dt.date(2026, 3, 10))
    assert page.items == [] and page.next_cursor is None


def test_a_row_is_drawn_once_with_what_people_wrote_escaped(cast: Any, post_action: Any, login: Any) -> None:
    action = post_action(title='<script>alert("x")</script> & co', due_on=clock.today())
    services.action_transition(action=action, actor=cast.rep, to="in_progress", note="")
    late = clock.today() + dt.timedelta(days=2)
    with translation.override("fr"):
        (row,) = row_page(selectors.mine(cast.rep), cursor=None, today=late).items
        sent_from = translation.gettext("from")
    assert row.html == (
        '<li class="action-row overdue" data-testid="action-row">\n'
        f'  <a href="/actions/{action.pk}/"><strong>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'
        "</strong></a>\n"
        '  <div class="action-meta">\n'
        '    <span class="pill status-in_progress">En cours</span>\n'
        '    <span class="pill overdue-pill">En retard</span>\n'
        f"    <small>Rappeler le client · échéance {clock.today():%d/%m/%Y}</small><br>\n"
        f'    <small class="muted">→ Léa Représentante · {sent_from} {cast.agent.full_name}</small>\n'
        "  </div>\n"
        "</li>"
    )
    html = login(cast.rep).get("/actions/?tab=mine").content.decode()
    assert "<script>alert" not in html
    assert html.count('data-testid="action-row"') == 1
