"""The account page's "Field posts" section: the latest posts about the account."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from comptoir.feed import selectors

SHOWN = 5


def section(request: HttpRequest, account: Any) -> Any:
    # Imported here: the account-sections registry lives in the customers app.
    from comptoir.customers.account_sections import AccountSection

    posts = selectors.posts_for_account(request.user, account, limit=SHOWN)  # type: ignore[arg-type]
    return AccountSection(
        key="feed",
        title=_("Field posts"),
        template="feed/_account_posts.html",
        context={"posts": posts, "account": account},
        order=10,
    )
