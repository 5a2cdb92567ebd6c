"""Querysets built and compiled once per shape, then run with each request's own values.

The feed's page query (visibility, "For me", filters, keyset cursor, the viewer's like and read)
takes the ORM about fifteen milliseconds to build and compile, for a statement the database
answers in half a millisecond. Its SQL depends only on the query's shape (which feed, which
filters, whether there is a cursor, which of the viewer's unit, region and team are set, what
their role lets them read); the values (the viewer's ids, the filters, the cursor) are
parameters. So each shape is built once with stand-in values, the positions of those stand-ins in
the compiled parameters are noted, and later requests put their own values in those positions.

Nothing is trusted blindly: the first time a shape is seen, the query is also built with the real
values, and the stand-ins are kept only when putting the real values in their places gives exactly
the statement and parameters the ORM compiled. Otherwise that shape is always built by the ORM.
The permission rules stay written once, in the ORM (`access`, `selectors`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet

_counter = itertools.count(1)
_BASE = -7_310_000_000  # far from any id the database gives


def stand_in(value: Any) -> Any:
    """A value of the same type as `value` that cannot occur in a real query."""
    n = next(_counter)
    if isinstance(value, bool) or value is None:
        raise TypeError("booleans and None change the shape of a query: put them in the shape")
    if isinstance(value, int):
        return _BASE - n
    if isinstance(value, str):
        return f"\x1fstand-in-{n}\x1f"
    if isinstance(value, dt.datetime):
        return dt.datetime(1901, 1, 1, 0, 0, 0, n % 1_000_000, tzinfo=value.tzinfo or dt.UTC)
    raise TypeError(f"no stand-in for {type(value).__name__}")


def _as_parameter(value: Any, connection: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


@dataclass
class _Entry:
    queryset: QuerySet[Any]
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, name of the value)


class PreparedQueries:
    """Keeps, per thread (a compiler holds its thread's connection), one compiled query per shape."""

    def __init__(self) -> None:
        self._local = threading.local()
        self.refused: set[Hashable] = set()  # shapes whose stand-ins did not check out

    def _entries(self) -> dict[Hashable, _Entry]:
        entries = getattr(self._local, "entries", None)
        if entries is None:
            entries = self._local.entries = {}
        return entries

    def clear(self) -> None:
        self._local.entries = {}
        self.refused.clear()

    def rows(
        self, shape: Hashable, build: Callable[[dict[str, Any]], QuerySet[Any]], values: dict[str, Any]
    ) -> list[Any]:
        """The rows of `build(values)`; `shape` must name everything that changes its SQL."""
        entries = self._entries()
        entry = entries.get(shape)
        if entry is not None and entry.compiler.connection is connections[entry.queryset.db]:
            connection = entry.compiler.connection
            params = list(entry.params)
            for position, name in entry.slots:
                params[position] = _as_parameter(values[name], connection)
            return self._run(entry, tuple(params))
        real = build(values)
        if shape not in self.refused:
            entry = self._prepare(build, values, real)
            if entry is None:
                self.refused.add(shape)
            else:
                entries[shape] = entry
        return list(real)

    @staticmethod
    def _run(entry: _Entry, params: tuple[Any, ...]) -> list[Any]:
        queryset = entry.queryset.all()
        compiler, sql = entry.compiler, entry.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(queryset)

    @staticmethod
    def _prepare(
        build: Callable[[dict[str, Any]], QuerySet[Any]], values: dict[str, Any], real: QuerySet[Any]
    ) -> _Entry | None:
        try:
            stand_ins = {name: stand_in(value) for name, value in values.items()}
        except TypeError:
            return None
        queryset = build(stand_ins)
        connection = connections[queryset.db]
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
            real_sql, real_params = real.query.get_compiler(using=real.db).as_sql()
        except (EmptyResultSet, FullResultSet):  # no statement to keep: the ORM answers alone
            return None
        by_parameter = {_as_parameter(v, connection): name for name, v in stand_ins.items()}
        slots = tuple(
            (position, by_parameter[p])
            for position, p in enumerate(params)
            if isinstance(p, Hashable) and p in by_parameter
        )
        filled = list(params)
        for position, name in slots:
            filled[position] = _as_parameter(values[name], connection)
        if real_sql != sql or list(real_params) != filled:
            return None
        return _Entry(queryset=queryset, compiler=compiler, sql=sql, params=tuple(params), slots=slots)


prepared = PreparedQueries()
