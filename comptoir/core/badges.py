"""Badges shown next to a post's author (an expertise badge on the post's topic, ...).

The feed asks every app for the badges of a page of posts at once, without importing those apps: an
app that awards badges ships `comptoir/<app>/post_badges.py` with

    def badges_for_posts(posts: Sequence[PostRef]) -> dict[int, list[PersonBadge]]:
        ...  # keyed by post id; one or two queries for the whole page, never one per post

Modules are discovered with `core.extensions.app_modules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from comptoir.core.extensions import app_modules

MODULE_NAME = "post_badges"


@dataclass(frozen=True)
class PostRef:
    post_id: int
    author_id: int
    topic_ids: tuple[int, ...]


@dataclass(frozen=True)
class PersonBadge:
    label: str  # short, shown next to the name: "Expert·e Café ★★"
    title: str  # the longer explanation, for the tooltip and screen readers
    level: int = 1
    css_class: str = "badge"


def badges_for_posts(posts: Sequence[PostRef]) -> dict[int, list[PersonBadge]]:
    found: dict[int, list[PersonBadge]] = {}
    if not posts:
        return found
    for module in app_modules(MODULE_NAME):
        for post_id, badges in module.badges_for_posts(posts).items():
            found.setdefault(post_id, []).extend(badges)
    return found
