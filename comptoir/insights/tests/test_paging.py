"""Head office's tables by team show a page of rows at a time, each page following the last row shown."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.insights.paging import rows_page


@dataclass(frozen=True)
class Row:
    key: int


ROWS = [Row(k) for k in (30, 10, 20, 50, 40)]  # in display order (by label), not by key


def test_pages_follow_the_last_row_shown_until_the_end() -> None:
    first = rows_page(ROWS, None, size=2)
    assert ([r.key for r in first.rows], first.after, first.total) == ([30, 10], 10, 5)
    second = rows_page(ROWS, str(first.after), size=2)
    assert ([r.key for r in second.rows], second.after) == ([20, 50], 50)
    last = rows_page(ROWS, str(second.after), size=2)
    assert ([r.key for r in last.rows], last.after) == ([40], None)


def test_an_unknown_or_malformed_cursor_starts_from_the_top() -> None:
    for after in ("999", "abc", "", None):
        assert [r.key for r in rows_page(ROWS, after, size=2).rows] == [30, 10]


def test_a_short_table_has_one_page() -> None:
    page = rows_page(ROWS, None)
    assert len(page.rows) == 5 and page.after is None
