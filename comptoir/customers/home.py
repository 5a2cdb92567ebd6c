"""The KAM's home shows their agreements and how far each is rolled out; a rep's, their accounts."""

from __future__ import annotations

from django.http import HttpRequest

from comptoir.core.navigation import HomeSection
from comptoir.core.permissions import Cap, has_cap
from comptoir.customers import selectors


def sections(request: HttpRequest) -> list[HomeSection]:
    user = request.user
    if has_cap(user, Cap.OWN_AGREEMENTS):
        agreements = selectors.agreements_of_kam(user)  # type: ignore[arg-type]
        return [HomeSection(template="customers/home_agreements.html", context={"agreements": agreements}, order=20)]
    return []
