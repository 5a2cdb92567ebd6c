"""Roll-ups for a bulk load (the demo's `--scale`, `bench_voice`): the loader sums its responses per
day × full key in Python (`DaySums`), and the database derives every grain and shape from those sums.

Expanding each (day, key) sum into its 45 cells (3 grains × 15 shapes) in Python cost more than
generating the responses themselves at ten million rows; in SQL each grain is one `GROUP BY` of the
day sums, and each shape a `GROUP BY` of the smallest cube already summed that keeps its dimensions.
The sums go to a temporary table by the bulk path (`bulk.insert_rows`), and each derived cell is
added to what the table already holds (`ON CONFLICT … DO UPDATE`), so a load on top of existing
responses keeps the roll-ups exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

from comptoir.voice.bulk import indexes_dropped, insert_rows
from comptoir.voice.models import Rollup
from comptoir.voice.rollups import DIMS, FULL, MEASURES, SHAPES, period_starts

STAGING = "voice_rollup_load"
GRAIN_COLUMNS = {Rollup.Grain.DAY: "day", Rollup.Grain.WEEK: "week", Rollup.Grain.MONTH: "month"}


class DaySums:
    """Responses counted per local day × (step, unit, region, segment, team)."""

    def __init__(self) -> None:
        self.sums: dict[tuple[dt.date, tuple[int, ...]], list[int]] = {}

    def add(self, day: dt.date, keys: tuple[int, ...], values: Sequence[int], times: int = 1) -> None:
        """Count `times` responses whose measures (rollups.measures_of) are `values`."""
        cell = self.sums.get((day, keys))
        if cell is None:
            cell = self.sums[(day, keys)] = [0] * len(MEASURES)
        for i, v in enumerate(values):
            cell[i] += v * times

    def write(self) -> None:
        """Add the sums to the roll-ups: every grain and shape, derived in SQL."""
        if not self.sums:
            return
        adapt = connection.ops.adapt_datefield_value
        periods = {day: period_starts(day) for day in {day for day, _keys in self.sums}}
        # In key order, so the full cube's cells go into the roll-up index in order.
        rows = [
            (
                adapt(day),
                adapt(periods[day][Rollup.Grain.WEEK]),
                adapt(periods[day][Rollup.Grain.MONTH]),
                *keys,
                *values,
            )
            for (day, keys), values in sorted(self.sums.items())
        ]
        _stage(STAGING, ["day", "week", "month"], rows)
        with indexes_dropped(Rollup._meta.db_table, rows=len(rows)), connection.cursor() as cursor:
            for grain, period in GRAIN_COLUMNS.items():
                for sql in _derive_sql(str(grain), period):
                    cursor.execute(sql)
            cursor.execute(f"DROP TABLE {STAGING}")


def _stage(name: str, periods: list[str], rows: list[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    integer_columns = ", ".join(f"{quote(c)} integer NOT NULL" for c in [*DIMS, *MEASURES])
    period_columns = ", ".join(f"{p} date NOT NULL" for p in periods)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({period_columns}, {integer_columns})")
    insert_rows(name, [*periods, *DIMS, *MEASURES], rows)


def _derive_sql(grain: str, period: str) -> list[str]:
    """One grain of the roll-ups from the staged day sums, added to the stored cells.

    Each shape is summed from the smallest cube already summed that keeps its dimensions (the
    unit alone from unit × region, not from the day sums), so only the few shapes that need the
    full cube read it: four scans of the day sums per grain instead of one per shape. Every
    intermediate cube is a temporary table with all five key columns (-1 where not kept)."""
    table = Rollup._meta.db_table
    sums = ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    statements = []
    full = f"voice_rollup_load_{grain}{FULL}"
    statements += [
        f"DROP TABLE IF EXISTS {full}",
        f"CREATE TEMPORARY TABLE {full} AS SELECT {period} AS period, {', '.join(DIMS)}, {sums} "  # noqa: S608 - no user input
        f"FROM {STAGING} GROUP BY {period}, {', '.join(DIMS)}",
    ]
    summed = {FULL: full}
    for shape in sorted(set(SHAPES) - {FULL}, key=lambda s: (-bin(s).count("1"), s)):
        parent = min(
            (p for p in summed if p & shape == shape), key=lambda p: (bin(p).count("1"), p != FULL, p)
        )
        kept = [d for i, d in enumerate(DIMS) if shape >> i & 1]
        dims = ", ".join(d if d in kept else f"-1 AS {d}" for d in DIMS)
        name = f"voice_rollup_load_{grain}{shape}"
        statements += [
            f"DROP TABLE IF EXISTS {name}",
            f"CREATE TEMPORARY TABLE {name} AS SELECT period, {dims}, {sums} "  # noqa: S608 - no user input
            f"FROM {summed[parent]} GROUP BY {', '.join(['period', *kept])}",
        ]
        summed[shape] = name
    for shape, name in summed.items():
        # `WHERE 1 = 1` keeps SQLite from reading ON CONFLICT as a join's ON (its documented ambiguity).
        statements.append(
            f"INSERT INTO {table} (grain, start, {', '.join(DIMS)}, shape, {', '.join(MEASURES)}) "  # noqa: S608 - no user input
            f"SELECT '{grain}', period, {', '.join(DIMS)}, {shape}, {', '.join(MEASURES)} FROM {name} "
            f"WHERE 1 = 1 ORDER BY period, {', '.join(DIMS)} "
            f"ON CONFLICT (grain, start, {', '.join(DIMS)}) DO UPDATE SET {updates}"
        )
    statements += [f"DROP TABLE {name}" for name in summed.values()]
    return statements
