"""What a list row of actions shows, computed once per list rather than by the template per row.

A row in the template used to reverse its URL, look up three translations, format a date and
resolve the display of its status, priority and kind: on a list of 25 that was most of the page's
own time. Here the labels are read once per list, the URL is built from one reversed pattern, and
the template only prints attributes. `row_page` reads the rows of a page as plain values, without
building the action, its people, kind and account as model objects.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from comptoir.actions.models import OPEN_STATES, Action
from comptoir.actions.selectors import Listing, page_keys
from comptoir.core.pagination import Page

_PK = 987654321  # a placeholder id: the detail URL is reversed once and the real id put in its place

# What a row reads, in this order (from an action, or from the database by `row_page`).
FIELDS = (
    "pk", "title", "status", "due_on", "priority", "kind__name", "kind__name_en", "account__name", "team__name",
    "assignee__first_name", "assignee__last_name", "assignee__email", "author__first_name", "author__last_name",
    "author__email", "resolution_note",
)  # fmt: skip
type Values = tuple[
    int, str, str, dt.date, int, str, str, str | None, str | None,
    str | None, str | None, str | None, str, str, str, str,
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ActionRow:
    pk: int
    url: str
    title: str
    status: str
    status_label: str
    overdue: bool
    facts: str  # kind · due date · priority when high
    people: str  # account · addressee · author
    outcome: str  # the close-the-loop note of a done action, shortened
    html: SafeString  # the list item, drawn once here rather than by a template include per row


ROW_HTML = (
    '<li class="action-row{}" data-testid="action-row">\n'
    '  <a href="{}"><strong>{}</strong></a>\n'
    '  <div class="action-meta">\n'
    '    <span class="pill status-{}">{}</span>\n'
    "    {}<small>{}</small><br>\n"
    '    <small class="muted">{}</small>\n'
    "  </div>\n"
    "</li>"
)
OVERDUE_HTML = '<span class="pill overdue-pill">{}</span>\n    '


def _name(first: str | None, last: str | None, email: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or (email or "")  # as User.full_name


def _values_of(action: Action) -> Values:
    assignee, account, team = action.assignee, action.account, action.team
    return (
        action.pk, action.title, action.status, action.due_on, action.priority, action.kind.name,
        action.kind.name_en, account.name if account else None, team.name if team else None,
        assignee.first_name if assignee else None, assignee.last_name if assignee else None,
        assignee.email if assignee else None, action.author.first_name, action.author.last_name,
        action.author.email, action.resolution_note,
    )  # fmt: skip


def _rows(values: Iterable[Values], *, today: dt.date) -> list[ActionRow]:
    prefix, suffix = reverse("actions:detail", args=[_PK]).split(str(_PK))
    statuses = {value: str(label) for value, label in Action.Status.choices}
    priorities = {value: str(label) for value, label in Action.Priority.choices}
    due, sent_from, late = gettext("due"), gettext("from"), gettext("Overdue")
    english = (get_language() or "fr").startswith("en")  # as Bilingual.label
    rows = []
    for (
        pk, title, status, due_on, priority, kind, kind_en, account, team,
        first, last, email, author_first, author_last, author_email, note,
    ) in values:  # fmt: skip
        facts = f"{kind_en if english and kind_en else kind} · {due} {due_on:%d/%m/%Y}"
        if priority >= Action.Priority.HIGH:
            facts += f" · {priorities.get(priority, '')}"
        addressee = _name(first, last, email) if email is not None else (team or "")
        people = f"→ {addressee} · {sent_from} {_name(author_first, author_last, author_email)}"
        if account is not None:
            people = f"{account} · {people}"
        url, overdue, status_label = (
            f"{prefix}{pk}{suffix}",
            status in OPEN_STATES and due_on < today,
            statuses.get(status, status),
        )
        html = format_html(
            ROW_HTML,
            " overdue" if overdue else "",
            url,
            title,
            status,
            status_label,
            format_html(OVERDUE_HTML, late) if overdue else "",
            facts,
            people,
        )
        rows.append(
            ActionRow(
                pk=pk,
                url=url,
                title=title,
                status=status,
                status_label=status_label,
                overdue=overdue,
                facts=facts,
                people=people,
                outcome=truncatechars(note, 160) if status == Action.Status.DONE else "",
                html=html,
            )
        )
    return rows


def action_rows(actions: Iterable[Action], *, today: dt.date) -> list[ActionRow]:
    """The rows of `actions` (loaded with their kind, account, team and people)."""
    return _rows((_values_of(action) for action in actions), today=today)


@functools.lru_cache(maxsize=32)
def _values_sql(count: int, vendor: str) -> str:
    """The SQL reading `FIELDS` of `count` actions by id (the ids are its parameters, in order).

    Compiled once per page size: building this five-join query through the ORM on every page cost
    ten times running it (about 2.5 ms against 0.2 ms at a million actions)."""
    placeholder_ids = list(range(1, count + 1))
    sql, params = Action.objects.filter(pk__in=placeholder_ids).values_list(*FIELDS).query.sql_with_params()
    assert list(params) == placeholder_ids, "the ids must be the query's only parameters"
    return sql


def _values_by_id(ids: list[int]) -> dict[int, Values]:
    with connection.cursor() as cursor:
        cursor.execute(_values_sql(len(ids), connection.vendor), ids)
        found = cursor.fetchall()
    due_on = FIELDS.index("due_on")
    rows: dict[int, Values] = {}
    for row in found:
        if isinstance(row[due_on], str):  # SQLite gives dates as text
            row = (*row[:due_on], dt.date.fromisoformat(row[due_on]), *row[due_on + 1 :])
        rows[row[0]] = row  # type: ignore[assignment]
    return rows


def row_page(listing: Listing, *, cursor: str | None, size: int = 25, today: dt.date) -> Page[ActionRow]:
    """A keyset page of `listing` as rows: two queries, the ids, then their values."""
    keys = page_keys(listing, cursor=cursor, size=size)
    if not keys.items:
        return Page(items=[], next_cursor=None)
    found = _values_by_id(keys.items)
    values: list[Values] = [found[k] for k in keys.items if k in found]
    return Page(items=_rows(values, today=today), next_cursor=keys.next_cursor)
