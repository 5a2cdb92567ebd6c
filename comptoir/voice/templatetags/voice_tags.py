from __future__ import annotations

from typing import Any

from django import template

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
