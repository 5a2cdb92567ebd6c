"""The account list's rows and filter menus, written as HTML in Python.

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

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from comptoir.customers.models import Account
from comptoir.customers.selectors import AccountRow


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
