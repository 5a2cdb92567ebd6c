"""The account list's rows and filter menus, an agreement's progress tables, written as HTML in Python.

At 25 rows and five menus, Django's template engine (a variable lookup, an `if` and an escape per
value, an include per menu) was most of the list's server time. These few fixed shapes are cheaper
as string formatting, every value escaped with the standard library's `html.escape` (Django's
`escape` wraps it in lazy-string machinery that cost more than the escaping); the pages'
templates keep their layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from comptoir.core.charts import percent_class
from comptoir.customers.models import Account
from comptoir.customers.selectors import AccountRow, ProgressRow


def account_rows_html(rows: Sequence[AccountRow], *, account_url: str, show_owner: bool) -> SafeString:
    """The <li> of each account (what `_account_rows.html` shows around them)."""
    statuses = {value: escape(str(label)) for value, label in Account.Status.choices}
    no_owner = escape(str(_("no owner")))
    parts = []
    for row in rows:
        details = f"{escape(row.unit)} · {escape(row.region)}"
        if row.city:
            details += f" · {escape(row.postcode)} {escape(row.city)}"
        if row.segment:
            details += f" · {escape(row.segment)}"
        if show_owner:
            details += f" · {escape(row.owner)}" if row.owner else f" · {no_owner}"
        status = escape(row.status)
        parts.append(
            f'<li data-account="{row.pk}">\n'
            f'  <a href="{escape(account_url)}{row.pk}/"><strong>{escape(row.name)}</strong></a>\n'
            f'  <span class="pill status-{status}">{statuses.get(row.status, status)}</span><br>\n'
            f"  <small>{details}</small>\n"
            "</li>\n"
        )
    return mark_safe("".join(parts))  # every value above is escaped


def select_html(name: str, choices: Iterable[tuple[Any, Any]], current: str) -> SafeString:
    """A <select> of `choices` (value, label) with `current` (the submitted text) selected."""
    options = []
    for value, label in choices:
        text = str(value)
        selected = " selected" if text == current else ""
        options.append(f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>')
    return mark_safe(f'<select name="{escape(name)}" id="id_{escape(name)}">{"".join(options)}</select>')


def progress_table_html(rows: Sequence[ProgressRow], *, heading: str) -> SafeString:
    """An agreement's progress per region or per rep: a line and a bar per row (up to 30 reps)."""
    head = "".join(
        f'<th scope="col">{escape(str(label))}</th>'
        for label in (heading, _("Deployed"), _("In progress"), _("Not started"), _("Refused"))
    )
    body = []
    for row in rows:
        key = "" if row.key is None else row.key
        percent = row.percent_deployed
        body.append(
            f'\n    <tr data-row="{escape(str(key))}"><th scope="row">{escape(row.label)}</th><td>{row.deployed}</td>'
            f"<td>{row.in_progress}</td><td>{row.not_started}</td><td>{row.refused}</td>\n"
            f'      <td class="bar-col"><div class="bar" role="img" aria-label="{percent} %">'
            f'<span class="{percent_class(row.deployed, row.total)}"></span></div> {percent} %</td></tr>'
        )
    if not body:
        body.append(f'<tr><td colspan="6" class="muted">{escape(str(_("No site yet.")))}</td></tr>')
    return mark_safe(  # every value above is escaped or a number
        f'<table class="progress-table">\n  <thead><tr>{head}<th scope="col" class="bar-col">%</th></tr></thead>\n'
        f"  <tbody>{''.join(body)}</tbody>\n</table>"
    )


def chart_rows_html(rows: Iterable[tuple[str, float, float]]) -> SafeString:
    """The figures under the roll-out chart: month, % deployed, % started (numbers localised)."""
    return mark_safe(  # escaped month labels, localised numbers
        "".join(
            f"<tr><td>{escape(month)}</td><td>{localize(deployed)}</td><td>{localize(started)}</td></tr>"
            for month, deployed, started in rows
        )
    )
