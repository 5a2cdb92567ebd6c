"""The home page's "my actions": what the person must do, overdue first, usable on a phone."""

from __future__ import annotations

from django.http import HttpRequest

from comptoir.actions import selectors
from comptoir.actions.rows import action_rows
from comptoir.core import clock
from comptoir.core.navigation import HomeSection


def sections(request: HttpRequest) -> list[HomeSection]:
    page = selectors.my_actions(viewer=request.user, size=5)  # type: ignore[arg-type]
    return [
        HomeSection(
            template="actions/_home.html",
            context={"page": page, "rows": action_rows(page.items, today=clock.today())},
            order=10,
        )
    ]
