from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comptoir.core.navigation import NavItem
from comptoir.insights.access import can_read_insights


def items(user: Any) -> list[NavItem]:
    if not can_read_insights(user):
        return []
    return [NavItem(label=_("Insights"), url=reverse("insights:overview"), order=70, key="insights")]
