from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comptoir.core.navigation import NavItem


def items(user: Any) -> list[NavItem]:
    return [NavItem(label=_("Actions"), url=reverse("actions:inbox"), order=40, key="actions")]
