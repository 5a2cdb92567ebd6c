"""`{% load learning %}{% expertise_badges person %}`: a person's expertise badges (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from comptoir.learning.selectors import badges_of

register = template.Library()


@register.inclusion_tag("learning/_badges.html")
def expertise_badges(person: Any, show_empty: bool = False) -> dict[str, Any]:
    return {"badges": badges_of(person) if person is not None else [], "show_empty": show_empty}
