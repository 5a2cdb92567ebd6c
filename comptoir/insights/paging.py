"""A page of a table's rows: head office's tables by team hold a row per team (a thousand in a large
company), so a page shows `TABLE_SIZE` of them and links to the next; the CSV export holds them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

TABLE_SIZE = 50


@dataclass(frozen=True)
class RowsPage:
    rows: Sequence[Any]
    total: int
    after: int | None  # the key of the last row shown, when more rows follow

    @property
    def first_number(self) -> int:
        return 1 if self.rows else 0


def rows_page(rows: Sequence[Any], after: str | None, *, size: int = TABLE_SIZE) -> RowsPage:
    """The rows (each with a `key`, in display order) that follow the one whose key is `after`.

    A key that is not there (a team that left the scope, a hand-typed address) starts from the top.
    """
    start = 0
    if after and after.lstrip("-").isdigit():
        keys = [row.key for row in rows]
        if int(after) in keys:
            start = keys.index(int(after)) + 1
    shown = rows[start : start + size]
    more = start + size < len(rows)
    return RowsPage(rows=shown, total=len(rows), after=shown[-1].key if more and shown else None)
