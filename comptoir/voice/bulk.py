"""Loading millions of responses fast (the demo's `--scale` and `bench_voice`): the database's own
bulk path, and secondary indexes built once at the end instead of maintained row by row.

- PostgreSQL: `COPY … FROM STDIN` through psycopg's `cursor.copy`, the fastest way in.
- SQLite: `executemany` of one prepared INSERT per batch (the engine runs in-process).

At ten million rows the response table's twenty secondary indexes (one per foreign key, the lists'
indexes) cost far more to keep up to date during the load than to build afterwards from sorted
data; `indexes_dropped` removes them for the load and recreates them from their own stored
definition, inside the caller's transaction (DDL is transactional on both databases), so a failed
load leaves the table exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from django.db import connection

from comptoir.core import bulk

# Below this many rows, keeping the indexes up to date is cheaper than rebuilding them.
REBUILD_INDEXES_FROM = 200_000


def indexes_dropped(table: str, *, rows: int) -> AbstractContextManager[None]:
    """`comptoir.core.bulk.indexes_dropped` with the response tables' own threshold."""
    return bulk.indexes_dropped(table, rows=rows, from_rows=REBUILD_INDEXES_FROM)


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Append `rows` to `table`, through the driver's own cursor: Django's query log (DEBUG) would
    otherwise quote and keep every row."""
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["?"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)  # noqa: S608 - names from the model
