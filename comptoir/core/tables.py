"""Reading spreadsheets as people really send them.

CSV in UTF-8 (with or without BOM) or Windows-1252, separated by commas, semicolons (French Excel)
or tabs, and XLSX. Every import of the product reads its file through `read_table`, so the same
file problems get the same clear messages everywhere.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from comptoir.core.text import header_key


class TableFileError(ValueError):
    """The file as a whole cannot be read (empty, too large, bad encoding, not a spreadsheet)."""


@dataclass
class Table:
    """A spreadsheet's rows keyed by canonical header, each with its line number in the file."""

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    raw_headers: list[str] = field(default_factory=list)
    extra_header_rows: list[list[str]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # French Excel writes CSV in Windows-1252; the five bytes that code page leaves undefined
        # make this fail, which tells a truly broken file from a legacy-encoded one.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TableFileError(
            _("The file is neither UTF-8 nor Windows-1252 text (bad byte at position %(pos)s).")
            % {"pos": exc.start}
        ) from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise TableFileError(_("The file contains binary data: is it really a CSV file?"))
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        return [row for row in reader]
    except csv.Error as exc:
        raise TableFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl  # imported here: only XLSX uploads pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableFileError(_("The XLSX file cannot be opened: it is damaged or not a workbook.")) from exc
    sheet = workbook.worksheets[0]
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _cell_text(v) for v in values])
    workbook.close()
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return, attr-defined]
    return str(value)


def read_table(data: bytes, filename: str, *, header_rows: int = 1) -> Table:
    """Parse `data` (the uploaded bytes) into a Table; raise TableFileError with a clear message.

    `header_rows` > 1 reads exports whose first rows are all headers (the first one names the
    columns, the others carry question texts or metadata): they are kept in `extra_header_rows`.
    """
    if not data:
        raise TableFileError(_("The file is empty."))
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise TableFileError(
            _("The file is too large (%(size)s bytes; the limit is %(limit)s bytes).")
            % {"size": len(data), "limit": limit}
        )
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    rows = [r for r in rows]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) < header_rows:
        raise TableFileError(_("The file is empty."))
    raw_headers = [h.strip() for h in rows[0]]
    headers = [header_key(h) for h in raw_headers]
    body: list[tuple[int, dict[str, str]]] = []
    for index, row in enumerate(rows[header_rows:], start=header_rows + 1):
        if not any(cell.strip() for cell in row):
            continue
        values = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(headers) if h}
        body.append((index, values))
    if not body:
        raise TableFileError(_("The file has headers but no rows."))
    return Table(
        headers=headers, rows=body, raw_headers=raw_headers, extra_header_rows=rows[1:header_rows]
    )
