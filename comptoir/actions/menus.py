"""The filter menus of the action pages (kinds, business units, regions), read once a minute.

Every page of customer relations' list and of the closed-loop metrics draws these menus and checks
a chosen value against them: three queries per request, for tables an administrator changes a few
times a year. Each process keeps the rows (id, French and English names) for `TTL` seconds and the
labels are put in the reader's language on each request. A unit or region added meanwhile appears
in the menus within a minute; a key the metrics meet that is not in the menu yet reads the table
again at once (`labels`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from django.db.models import Model
from django.utils.translation import get_language

from comptoir.actions.models import ActionKind
from comptoir.org.models import OrgUnit, Region

TTL = 60.0

type Row = tuple[int, str, str]  # id, name (French), name (English)

_MODELS: dict[str, type[Model]] = {"kind": ActionKind, "unit": OrgUnit, "region": Region}
_lock = threading.Lock()
_rows: dict[str, tuple[float, list[Row]]] = {}


def _read(name: str) -> list[Row]:
    # The model's own ordering (kinds by rank, units by kind then name, regions by name).
    return list(_MODELS[name]._default_manager.values_list("id", "name", "name_en"))  # type: ignore[arg-type]


def rows(name: str, *, fresh: bool = False) -> list[Row]:
    """The rows of menu `name` ("kind", "unit" or "region"), at most `TTL` seconds old."""
    now = time.monotonic()
    with _lock:
        cached = _rows.get(name)
    if cached is not None and not fresh and now - cached[0] < TTL:
        return cached[1]
    found = _read(name)
    with _lock:
        _rows[name] = (now, found)
    return found


def _label(row: Row, english: bool) -> str:
    return row[2] if english and row[2] else row[1]  # as Bilingual.label


def choices(name: str) -> list[tuple[int, str]]:
    """The menu's (id, label) pairs in the active language, in the menu's order."""
    english = (get_language() or "fr").startswith("en")
    return [(row[0], _label(row, english)) for row in rows(name)]


def labels(name: str, keys: Iterable[int]) -> dict[int, str]:
    """The labels of `keys` (ids of menu `name`); the table is read again only for an id the
    menu does not hold yet."""
    wanted = {k for k in keys if k}
    english = (get_language() or "fr").startswith("en")
    known = {row[0]: _label(row, english) for row in rows(name)}
    if wanted - known.keys():
        known = {row[0]: _label(row, english) for row in rows(name, fresh=True)}
    return {k: known[k] for k in wanted if k in known}


def clear() -> None:
    """Forget every menu (the tests, whose rows differ from one test to the next)."""
    with _lock:
        _rows.clear()
