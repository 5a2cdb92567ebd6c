"""The account page's "Actions" section: the latest actions about the account and their outcome."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from comptoir.actions import selectors
from comptoir.actions.rows import action_rows
from comptoir.core import clock


def section(request: HttpRequest, account: Any) -> Any:
    # Imported here: the account-sections registry lives in the customers app.
    from comptoir.customers.account_sections import AccountSection

    actions = selectors.account_actions(viewer=request.user, account_id=account.pk, size=5)  # type: ignore[arg-type]
    return AccountSection(
        key="actions",
        title=_("Actions"),
        template="actions/_account_section.html",
        context={"actions": actions, "rows": action_rows(actions, today=clock.today()), "account": account},
        order=30,
    )
