from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`{{ values|get_item:name }}`: a dict entry by a computed key ("" when missing)."""
    if not hasattr(mapping, "get"):
        return ""
    return mapping.get(key, "")


@register.simple_tag
def account_url(account_id: int | None) -> str:
    """The account's page if the customers app offers one, else its verbatims here."""
    from django.urls import NoReverseMatch, reverse

    if not account_id:
        return ""
    for name in ("customers:account", "customers:account_detail"):
        try:
            return reverse(name, args=[account_id])
        except NoReverseMatch:
            continue
    return f"{reverse('voice:verbatims')}?account={account_id}"


# The two figures every love-score table repeats in each cell, formatted in Python: as template
# includes with `floatformat` they were most of the dashboard's rendering time (hundreds of cells).


def _number(value: float, decimals: int) -> str:
    return number_format(round(value, decimals), decimals)


@register.simple_tag
def nps_text(nps: Any) -> str:
    """An NPS with its 95 % interval and its number of answers, or "not enough answers"."""
    if not nps.enough or nps.score is None:
        return format_html('<span class="voice-muted">{} ({})</span>', gettext("not enough answers"), nps.n)
    answers = ngettext("%(n)s answer", "%(n)s answers", nps.n) % {"n": nps.n}
    return format_html(
        '<strong>{}</strong> <span class="voice-muted">[{} ; {}] · {}</span>',
        _number(nps.score, 0),
        _number(nps.low, 0),
        _number(nps.high, 0),
        answers,
    )


@register.simple_tag
def effort_text(effort: Any) -> str:
    """An effort mean out of 7 and its share of easy experiences, or "not enough answers"."""
    if not effort.enough or effort.mean is None or effort.easy_pct is None:
        return format_html(
            '<span class="voice-muted">{} ({})</span>', gettext("not enough answers"), effort.count
        )
    return format_html(
        "{} / 7 · {} % {}", _number(effort.mean, 1), _number(effort.easy_pct, 0), gettext("easy")
    )
