from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comptoir.core.importjobs import import_file, import_kinds
from comptoir.core.progress import ProgressBar


class Command(BaseCommand):
    help = "Import a CSV or XLSX file: people, accounts, ... (all-or-nothing unless --partial)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="what the file holds: " + ", ".join(sorted(import_kinds())))
        parser.add_argument("path", type=Path)
        parser.add_argument("--partial", action="store_true", help="import the good rows, write the bad ones")
        parser.add_argument("--sync", action="store_true", help="(people) deactivate people absent from the file")
        parser.add_argument("--rejected-out", type=Path, help="where to write the rejected rows (CSV)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = import_kinds().get(options["kind"])
        if kind is None:
            raise CommandError(f"Unknown import kind {options['kind']!r}: choose from {', '.join(sorted(import_kinds()))}.")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        bar = ProgressBar(f"Importing {path.name}", 1, stream=self.stdout)
        report = import_file(
            kind,
            path.read_bytes(),
            path.name,
            partial=options["partial"],
            options={"sync": options["sync"], "partial": options["partial"]},
            progress=bar.update,
        )
        if report.file_error:
            raise CommandError(report.file_error)
        bar.finish()
        for error in report.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(f"line {error.line}{column}: {error.message}")
        for conflict in report.conflicts:
            self.stdout.write(f"line {conflict.line} [{conflict.column}]: {conflict.message}")
        if report.rejected_rows_csv:
            out = options["rejected_out"] or path.with_name(path.stem + ".rejected.csv")
            out.write_text(report.rejected_rows_csv, encoding="utf-8-sig")
            self.stderr.write(f"Rejected rows written to {out}")
        self.stdout.write(report.summary())
        if not report.applied:
            raise CommandError("Nothing was imported: fix the rows above, or use --partial.")
