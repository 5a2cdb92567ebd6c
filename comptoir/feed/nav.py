from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comptoir.core.navigation import NavItem


def items(user: Any) -> list[NavItem]:
    return [
        NavItem(label=_("Feed"), url=reverse("feed:home"), order=10, key="feed"),
        # What fills "For me": the people and topics followed, with suggestions to start from.
        NavItem(label=_("What I follow"), url=reverse("feed:following"), order=11, key="following"),
    ]
