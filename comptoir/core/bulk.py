"""Writing hundreds of thousands of demo rows without the ORM's per-value machinery.

`bulk_create` builds its INSERT value by value through half a dozen calls each (pre_save, prepare,
placeholder, params...): for 100,000 accounts of 17 columns that is most of the CPU of a scale
demo. Here the rows get their ids from the caller (so nothing has to come back from the
database), each value goes through its field's `get_db_prep_save` once, and the driver's
`executemany` does the rest. For generated data only: no signals, no `save()`, no validation.

`insert_tuples` goes one step further for the largest tables (tuples of database values, COPY on
PostgreSQL), and `indexes_dropped` builds a loaded table's secondary indexes once at the end.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Max, Model


def next_ids(model: type[Model]) -> Iterator[int]:
    """Ids for new rows of `model`, after the highest one in the table."""
    highest = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    return itertools.count(highest + 1)


def insert_rows(model: type[Model], objs: Sequence[Any], *, batch: int = 5000) -> None:
    """INSERT `objs` (unsaved instances whose pk is already set) in batches of `batch` rows."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-access proxy
    meta = model._meta
    fields = list(meta.concrete_fields)
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, True)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    prepared = [(f.attname, f.get_db_prep_save) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            rows = [
                [prep(getattr(obj, attname), connection) for attname, prep in prepared]
                for obj in objs[start : start + batch]
            ]
            cursor.executemany(sql, rows)
        # PostgreSQL hands out ids from a sequence that explicit ids do not move on.
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def db_datetime_writer() -> Callable[[dt.datetime], Any]:
    """How `insert_tuples` wants an aware datetime: UTC text on SQLite (what Django stores there),
    the datetime itself on PostgreSQL (COPY formats it). Asked once per load, not per value."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return lambda value: value
    utc = dt.UTC
    return lambda value: str(value.astimezone(utc).replace(tzinfo=None))


def insert_tuples(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = 20_000) -> None:
    """Append `rows` (tuples of database values in `columns` order, ids included) to `model`'s table
    through the driver's own cursor: COPY on PostgreSQL, one prepared INSERT per batch on SQLite.

    Cheaper again than `insert_rows` for the largest demo tables: no model instance per row, no
    field preparation per value, and Django's query log (DEBUG) never sees the rows. `columns`
    must name every column of the table, so a new field cannot be forgotten silently."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    expected = {str(field.column) for field in meta.concrete_fields}
    if set(columns) != expected or len(columns) != len(expected):
        raise ValueError(f"{meta.db_table}: columns {sorted(columns)} are not the table's {sorted(expected)}")
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({', '.join(['?'] * len(columns))})"  # noqa: S608
            pending = iter(rows)
            while chunk := list(itertools.islice(pending, batch)):
                cursor.executemany(sql, chunk)
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            wrapper.execute(statement)


# Below this many rows, keeping a table's indexes up to date is cheaper than building them again.
REBUILD_INDEXES_FROM = 50_000


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's non-unique indexes, as the database stores them."""
    connection = connections[DEFAULT_DB_ALIAS]
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
def indexes_dropped(
    *tables: str | type[Model], rows: int, from_rows: int = REBUILD_INDEXES_FROM
) -> Iterator[None]:
    """Load `rows` rows into the tables of `models` without their secondary indexes, then build them
    back from their own stored definitions: built once from the loaded rows, an index costs far
    less than kept up to date row by row. Inside the caller's transaction (DDL is transactional on
    both databases), a failed load leaves the tables as they were. Unique indexes stay: they are
    the data's integrity. `tables` are table names or models; below `from_rows` rows the indexes
    stay and are kept up to date as usual."""
    if rows < from_rows:
        yield
        return
    connection = connections[DEFAULT_DB_ALIAS]
    names = [table if isinstance(table, str) else table._meta.db_table for table in tables]
    indexes = [index for name in names for index in secondary_indexes(name)]
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED) and PostgreSQL
            # refuses to build an index over rows with checks pending: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, sql in indexes:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name in names:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
