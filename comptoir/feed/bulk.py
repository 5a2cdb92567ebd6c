"""Bulk loading for the demo at benchmark scale: millions of rows in minutes, not hours.

The ORM saves a row at a time; here rows go in as plain tuples: with one `executemany` per batch on
SQLite (one prepared statement, no Python per row beyond the tuple) and with `COPY` on PostgreSQL
(the server parses a stream instead of planning a statement per row). Timestamps are written in
the form each database stores, so no per-row conversion runs through Django's adapters.

The search index of SQLite (an FTS5 table kept in sync by a trigger, see `feed.search`) is filled
once after the load rather than row by row: `sqlite_search_index_suspended` drops the insert trigger
for the block and then indexes the new rows in one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

# The trigger of migration 0003 that mirrors each new search entry into the FTS5 table.
SQLITE_SEARCH_INSERT_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS feed_search_ai AFTER INSERT ON feed_searchentry BEGIN "
    "INSERT INTO feed_search_fts(rowid, tokens) VALUES (new.post_id, new.tokens); END"
)


def stamper() -> Callable[[dt.datetime], Any]:
    """A function turning an aware datetime into what this database's driver takes as is.

    SQLite stores UTC text (what Django's adapter produces, without its per-call checks); the
    PostgreSQL driver takes aware datetimes."""
    if connection.vendor == "sqlite":
        utc = dt.UTC

        def sqlite_stamp(value: dt.datetime) -> str:
            text = str(value)
            if text.endswith("+00:00"):  # already UTC (the demo's clock): no conversion needed
                return text[:-6]
            return str(value.astimezone(utc).replace(tzinfo=None))

        return sqlite_stamp
    return lambda value: value


def insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in `columns` order) into `model`'s table; returns how many."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor: COPY is not part of the DB-API
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)
    return len(rows)


@contextmanager
def sqlite_search_index_suspended(first_post_id: int) -> Iterator[None]:
    """On SQLite, index the search entries of posts from `first_post_id` on in one pass at the end.

    Must run inside a transaction: the trigger is back before anyone else can see the tables."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS feed_search_ai")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO feed_search_fts(rowid, tokens) "
                "SELECT post_id, tokens FROM feed_searchentry WHERE post_id >= %s",
                [first_post_id],
            )
            cursor.execute(SQLITE_SEARCH_INSERT_TRIGGER)
