"""A migration operation that runs raw SQL written per database vendor: the search indexes (FTS5
on SQLite, tsvector and GIN on PostgreSQL) have no portable DDL."""

from __future__ import annotations

from typing import Any

from django.db import migrations

VendorStatements = dict[str, list[str]]


def _runner(statements: VendorStatements) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def run_vendor_sql(forward: VendorStatements, backward: VendorStatements) -> migrations.RunPython:
    """Runs `forward[vendor]` on migrate and `backward[vendor]` on unapply; other vendors do nothing."""
    return migrations.RunPython(_runner(forward), _runner(backward))
