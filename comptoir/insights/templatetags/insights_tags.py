from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from comptoir.core.charts import percent_class

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """A share (Share, or a 0..1 float) as "42,1 %" in the page's language, or "–" without data."""
    if value is None:
        return "–"
    number = getattr(value, "pct", None) if not isinstance(value, int | float) else 100 * value
    if number is None:
        return "–"
    return f"{number_format(round(number, 1), 1)} %"


@register.filter
def bar(value: Any) -> str:
    """The w-N class drawing a share as a bar."""
    number = getattr(value, "rate", None) if not isinstance(value, int | float) else value
    return percent_class(number or 0, 1)


@register.filter
def points(value: float | None) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return f"{sign}{number_format(value, 1)} pt"
