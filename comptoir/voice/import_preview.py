"""What an uploaded file of responses or journey events will be read as, before anything is stored.

The page and the API show the same preview: each column and the field it is read as (or
"ignored"), the first rows as they will be read, and every bad row with its line number. Nothing
is written: the rows go through the importer's own checks (`prepare`, `check_row`,
`check_together`), never through `apply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from comptoir.core.importjobs import ImportKind
from comptoir.core.imports import RowError, RowInvalid
from comptoir.core.tables import Table, TableFileError, read_table
from comptoir.voice.importer import EventsImporter, ResponsesImporter, mapping_preview

SAMPLE_ROWS = 5
VOICE_KINDS = ("voice_responses", "voice_responses_3rows", "voice_events")


@dataclass
class ImportPreview:
    file_error: str = ""
    missing: list[str] = field(default_factory=list)
    columns: list[dict[str, str]] = field(default_factory=list)
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """The file can be imported at all (it is read and has the columns it needs)."""
        return not self.file_error and not self.missing

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_error": self.file_error,
            "missing_columns": self.missing,
            "columns": self.columns,
            "total_rows": self.total_rows,
            "bad_rows": self.bad_lines,
            "errors": [e.as_dict() for e in self.errors],
            "sample": self.sample,
        }


def _event_columns(importer: EventsImporter, table: Table) -> list[dict[str, str]]:
    out = []
    for raw, key in zip(table.raw_headers, table.headers, strict=False):
        read_as = next((c.name for c in importer.columns if key in c.header_keys()), "ignored")
        out.append({"column": raw, "question": "", "read_as": read_as})
    return out


def import_preview(kind: ImportKind, data: bytes, filename: str) -> ImportPreview:
    """Read the file and check every row as the import would, storing nothing."""
    try:
        table = read_table(data, filename, header_rows=kind.header_rows)
    except TableFileError as exc:
        return ImportPreview(file_error=str(exc))
    importer = kind.make({})
    preview = ImportPreview(total_rows=len(table.rows))
    preview.missing = importer.missing_columns(table)  # the responses importer maps columns here
    if isinstance(importer, ResponsesImporter):
        preview.columns = mapping_preview(table)
    elif isinstance(importer, EventsImporter):
        preview.columns = _event_columns(importer, table)
    read = [(i, c["read_as"]) for i, c in enumerate(preview.columns) if c["read_as"] != "ignored"]
    for _line, row in table.rows[:SAMPLE_ROWS]:
        preview.sample.append({name: row.get(table.headers[i], "") for i, name in read})
    if preview.missing:
        return preview
    importer.prepare(table)
    good = []
    for line, row in table.rows:
        try:
            good.append((line, importer.check_row(line, row)))
        except RowInvalid as invalid:
            preview.errors.extend(RowError(line=line, column=c, message=m) for c, m in invalid.errors)
    preview.errors.extend(importer.check_together(good))
    preview.errors.sort(key=lambda e: e.line)
    return preview
