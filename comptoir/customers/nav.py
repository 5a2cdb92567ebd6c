from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comptoir.core.navigation import NavItem
from comptoir.core.permissions import Cap, has_cap


def items(user: Any) -> list[NavItem]:
    found = [NavItem(label=_("Accounts"), url=reverse("customers:account_list"), order=30, key="accounts")]
    if has_cap(user, Cap.OWN_AGREEMENTS) or has_cap(user, Cap.SEE_ALL_ACCOUNTS):
        found.append(NavItem(label=_("Agreements"), url=reverse("customers:agreement_list"), order=31, key="agreements"))
    return found
