"""The main menu and the home page, assembled from what each app contributes.

An app adds menu entries with a `nav.py` exposing `items(user) -> list[NavItem]`, and home-page
sections with a `home.py` exposing `sections(request) -> list[HomeSection]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from comptoir.core.extensions import app_modules


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    order: int = 50
    key: str = ""


@dataclass
class HomeSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def nav_items(user: Any) -> list[NavItem]:
    items: list[NavItem] = []
    for module in app_modules("nav"):
        items.extend(module.items(user))
    return sorted(items, key=lambda item: item.order)


def home_sections(request: HttpRequest) -> list[HomeSection]:
    sections: list[HomeSection] = []
    for module in app_modules("home"):
        sections.extend(module.sections(request))
    return sorted(sections, key=lambda section: section.order)
