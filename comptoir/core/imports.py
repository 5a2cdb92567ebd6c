"""All-or-nothing imports with a report of every bad row.

An importer validates every row first. If any row is bad, nothing is written and the report lists
each bad row with its line number and reason, unless the caller asked for a partial import: then
the good rows are written and the bad ones come back as a CSV file to fix and send again.
Writes happen in one transaction with bulk operations, so an import is never half-written.
"""

from __future__ import annotations

import csv
import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core.tables import Table
from comptoir.core.text import header_key

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    aliases: tuple[str, ...] = ()

    def header_keys(self) -> tuple[str, ...]:
        return (header_key(self.name), *(header_key(a) for a in self.aliases))


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


class RowInvalid(Exception):
    def __init__(self, *errors: tuple[str, str]) -> None:
        """Each error is (column, message)."""
        super().__init__(errors)
        self.errors = errors


@dataclass
class ImportReport:
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Rows imported but not entirely: a value kept against the file (edited in Comptoir since), or a
    # value of Comptoir's that the file overrode. Each says which line and column, and why.
    conflicts: list[RowError] = field(default_factory=list)
    file_error: str = ""
    applied: bool = False
    rejected_rows_csv: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def as_dict(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "total_rows": self.total_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "file_error": self.file_error,
            "errors": [e.as_dict() for e in self.errors],
            "conflicts": [c.as_dict() for c in self.conflicts],
        }

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        parts = [
            _("%(n)s rows read") % {"n": self.total_rows},
            _("%(n)s created") % {"n": self.created},
            _("%(n)s updated") % {"n": self.updated},
            _("%(n)s unchanged") % {"n": self.unchanged},
        ]
        if self.deactivated:
            parts.append(_("%(n)s deactivated") % {"n": self.deactivated})
        if self.conflicts:
            parts.append(_("%(n)s conflicts") % {"n": len(self.conflicts)})
        if self.errors:
            parts.append(_("%(n)s errors") % {"n": len(self.errors)})
        if not self.applied:
            parts.append(_("nothing imported"))
        return ", ".join(parts)


class Importer[RowT](ABC):
    """Base of every import: subclasses declare columns and say how to check and write rows."""

    columns: tuple[Column, ...] = ()
    # An importer that writes in committed chunks (each in its own transaction, progress reported
    # between them) gets no surrounding transaction: its progress is visible while it writes. It
    # must then be restartable: run again on the same file, it finishes what a crash interrupted.
    commits_in_chunks = False
    _header_keys: dict[str, tuple[str, ...]]

    def missing_columns(self, table: Table) -> list[str]:
        present = set(table.headers)
        return [c.name for c in self.columns if c.required and not present.intersection(c.header_keys())]

    def cell(self, row: dict[str, str], column_name: str) -> str:
        # Called for every cell of every row: the accepted headers of each column are worked out
        # once per importer, not once per cell (a 10,000-row file has 100,000 cells).
        try:
            keys = self._header_keys[column_name]
        except AttributeError:
            self._header_keys = {c.name: c.header_keys() for c in self.columns}
            keys = self._header_keys[column_name]
        for key in keys:
            if key in row:
                return row[key]
        return ""

    def prepare(self, table: Table) -> None:  # noqa: B027 - optional hook
        """Load, in a few queries, everything the row checks need (lookups by e-mail, code...)."""

    @abstractmethod
    def check_row(self, line: int, row: dict[str, str]) -> RowT:
        """Turn one row into a typed value or raise RowInvalid."""

    def check_together(self, rows: list[tuple[int, RowT]]) -> list[RowError]:
        """Checks across rows (duplicates, cycles). Return the errors found."""
        return []

    @abstractmethod
    def apply(self, rows: list[tuple[int, RowT]], report: ImportReport, progress: ProgressCallback) -> None:
        """Write the good rows (inside the import's transaction, unless it commits in chunks),
        counting into `report`."""


def run_import[RowT](
    importer: Importer[RowT],
    table: Table,
    *,
    partial: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    report = ImportReport(total_rows=len(table.rows))
    notify = progress or (lambda done, total: None)
    missing = importer.missing_columns(table)
    if missing:
        report.file_error = _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        return report
    importer.prepare(table)
    good: list[tuple[int, RowT]] = []
    errors: list[RowError] = []
    for done, (line, row) in enumerate(table.rows, start=1):
        try:
            good.append((line, importer.check_row(line, row)))
        except RowInvalid as invalid:
            errors.extend(RowError(line=line, column=col, message=msg) for col, msg in invalid.errors)
        if done % 500 == 0:
            notify(done, len(table.rows) * 2)
    # Rows that are fine alone may be wrong together; dropping bad rows can make others wrong
    # (a manager row removed), so a partial import checks again until nothing changes.
    while True:
        together = importer.check_together(good)
        if not together:
            break
        errors.extend(together)
        bad_lines = {e.line for e in together}
        good = [(line, value) for line, value in good if line not in bad_lines]
        if not partial:
            break
    errors.sort(key=lambda e: e.line)
    report.errors = errors
    if errors and not partial:
        return report
    if errors:
        report.rejected_rows_csv = rejected_rows_csv(table, errors)
    def notify_apply(done: int, total: int) -> None:
        notify(total + done, total * 2)

    if importer.commits_in_chunks:
        importer.apply(good, report, notify_apply)
    else:
        with transaction.atomic():
            importer.apply(good, report, notify_apply)
    report.applied = True
    notify(1, 1)
    return report


def rejected_rows_csv(table: Table, errors: Iterable[RowError]) -> str:
    """The bad rows as a CSV with their original columns plus the line and the reason."""
    reasons: dict[int, list[str]] = {}
    for error in errors:
        reasons.setdefault(error.line, []).append(
            f"{error.column}: {error.message}" if error.column else error.message
        )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*table.raw_headers, "line", "errors"])
    for line, row in table.rows:
        if line in reasons:
            writer.writerow([*(row.get(h, "") for h in table.headers), line, " | ".join(reasons[line])])
    return out.getvalue()
