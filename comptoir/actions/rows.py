"""What a list row of actions shows, computed once per list rather than by the template per row.

A row in the template used to reverse its URL, look up three translations, format a date and
resolve the display of its status, priority and kind: on a list of 25 that was most of the page's
own time. Here the labels are read once per list, the URL is built from one reversed pattern, and
the template only prints attributes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.translation import gettext

from comptoir.actions.models import OPEN_STATES, Action

_PK = 987654321  # a placeholder id: the detail URL is reversed once and the real id put in its place


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


def action_rows(actions: Iterable[Action], *, today: dt.date) -> list[ActionRow]:
    """The rows of `actions` (loaded with `selectors._listing`: kind, account, people)."""
    prefix, suffix = reverse("actions:detail", args=[_PK]).split(str(_PK))
    statuses = {value: str(label) for value, label in Action.Status.choices}
    priorities = {value: str(label) for value, label in Action.Priority.choices}
    due, sent_from = gettext("due"), gettext("from")
    kinds: dict[int, str] = {}
    rows = []
    for action in actions:
        kind = kinds.get(action.kind_id)
        if kind is None:
            kind = kinds[action.kind_id] = action.kind.label
        facts = f"{kind} · {due} {action.due_on:%d/%m/%Y}"
        if action.priority >= Action.Priority.HIGH:
            facts += f" · {priorities.get(action.priority, '')}"
        addressee = action.assignee.full_name if action.assignee is not None else str(action.team)
        people = f"→ {addressee} · {sent_from} {action.author.full_name}"
        if action.account is not None:
            people = f"{action.account.name} · {people}"
        done = action.status == Action.Status.DONE
        rows.append(
            ActionRow(
                pk=action.pk,
                url=f"{prefix}{action.pk}{suffix}",
                title=action.title,
                status=action.status,
                status_label=statuses.get(action.status, action.status),
                overdue=action.status in OPEN_STATES and action.due_on < today,
                facts=facts,
                people=people,
                outcome=truncatechars(action.resolution_note, 160) if done else "",
            )
        )
    return rows
