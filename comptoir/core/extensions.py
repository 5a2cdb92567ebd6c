"""Discovery of the modules each app contributes (demo.py, home.py, nav.py, api.py).

An app plugs a page section, a menu entry, an API router or a part of the demo into the product by
shipping a module with a known name; nothing central has to be edited when an app grows.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from django.apps import apps


@cache
def app_modules(name: str) -> tuple[ModuleType, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("comptoir."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return tuple(found)
