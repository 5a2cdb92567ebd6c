"""Sections that other apps add to the account page (posts, survey responses, actions, ...).

How an app contributes a section, without editing the customers app:

    # comptoir/<app>/account_section.py
    from comptoir.customers.account_sections import AccountSection

    def section(request, account) -> AccountSection | None:
        posts = my_selectors.posts_about(viewer=request.user, account=account, limit=5)
        return AccountSection(
            key="feed",                       # unique, also the HTML id: section-feed
            title=_("Field posts"),
            template="feed/_account_posts.html",
            context={"posts": posts},
            order=10,                         # smaller comes first
        )

Return None to show nothing (nothing to say, or the viewer may not read it). The account given is
one the viewer may see (it came through `customers.access.account_for`), but what the section
shows of its own data is the contributing app's own permission check. A section must run a fixed
number of queries (the account page is tested for it) and should show a few rows and a link to
its own list rather than a long list.

Instead of a template, a section may give ready HTML in `html` (already escaped, e.g. the result
of `render_to_string`). Providers are discovered with `core.extensions.app_modules`; a provider
can also be registered in code with `register(key, provider)` (tests do).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from comptoir.core.extensions import app_modules

MODULE_NAME = "account_section"


@dataclass
class AccountSection:
    key: str
    title: Any
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    html: str = ""
    order: int = 50

    def render(self, request: HttpRequest) -> SafeString:
        if self.template:
            return render_to_string(self.template, {**self.context, "account_section": self}, request=request)
        return mark_safe(self.html)  # the provider's contract: html is already escaped


Provider = Callable[[HttpRequest, Any], AccountSection | None]
_registered: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    _registered[key] = provider


def unregister(key: str) -> None:
    _registered.pop(key, None)


def providers() -> list[Provider]:
    found: list[Provider] = [m.section for m in app_modules(MODULE_NAME) if hasattr(m, "section")]
    return [*found, *_registered.values()]


@dataclass
class RenderedSection:
    key: str
    title: Any
    html: SafeString
    order: int


def sections_for(request: HttpRequest, account: Any) -> list[RenderedSection]:
    rendered = []
    for provider in providers():
        section = provider(request, account)
        if section is not None:
            rendered.append(RenderedSection(section.key, section.title, section.render(request), section.order))
    return sorted(rendered, key=lambda s: (s.order, s.key))
