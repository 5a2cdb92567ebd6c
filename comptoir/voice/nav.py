from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comptoir.core.navigation import NavItem
from comptoir.voice import access


def items(user: Any) -> list[NavItem]:
    found: list[NavItem] = []
    if access.can_read_love_score(user):
        found.append(
            NavItem(label=_("Love score"), url=reverse("voice:dashboard"), order=40, key="love-score")
        )
    else:
        # Reps and managers read their own accounts' comments, to act on them (no scores).
        found.append(
            NavItem(label=_("Customer comments"), url=reverse("voice:verbatims"), order=40, key="verbatims")
        )
    if access.can_run_surveys(user):
        found.append(NavItem(label=_("Surveys"), url=reverse("voice:surveys"), order=41, key="surveys"))
    return found
