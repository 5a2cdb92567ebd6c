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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

# Below this many rows, keeping the indexes up to date is cheaper than rebuilding them.
REBUILD_INDEXES_FROM = 200_000


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's non-unique indexes, as the database stores them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        return sorted(cursor.fetchall())


@contextmanager
def indexes_dropped(table: str, *, rows: int) -> Iterator[None]:
    """Load `rows` rows into `table` without its secondary indexes, then build them back."""
    if rows < REBUILD_INDEXES_FROM:
        yield
        return
    indexes = _secondary_indexes(table)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED) and PostgreSQL
            # refuses to build an index over rows with checks pending: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, sql in indexes:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
