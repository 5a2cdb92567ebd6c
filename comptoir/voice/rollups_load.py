"""Roll-ups for a bulk load (the demo's `--scale`, `bench_voice`): the loader sums its responses per
day × full key in Python (`DaySums`), and the database derives every grain and shape from those sums.

Expanding each (day, key) sum into its 36 cells (3 grains × 12 shapes) in Python cost more than
generating the responses themselves at ten million rows; the same sums are one `GROUP BY` per
grain and shape in SQL. The sums go to a temporary table by the bulk path (`bulk.insert_rows`), and
each derived cell is added to what the table already holds (`ON CONFLICT … DO UPDATE`), so a load
on top of existing responses keeps the roll-ups exact.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from comptoir.voice.bulk import insert_rows
from comptoir.voice.models import CES_EASY_MIN, DETRACTOR_MAX, PROMOTER_MIN, Rollup
from comptoir.voice.rollups import DIMS, MEASURES, SHAPES, period_starts

STAGING = "voice_rollup_load"
GRAIN_COLUMNS = {Rollup.Grain.DAY: "day", Rollup.Grain.WEEK: "week", Rollup.Grain.MONTH: "month"}


class DaySums:
    """Responses counted per local day × (step, unit, region, segment, team): a few additions per
    response, the rules of `rollups.measures_of` inlined because this runs ten million times."""

    def __init__(self) -> None:
        self.sums: dict[tuple[dt.date, tuple[int, ...]], list[int]] = {}

    def count(
        self, day: dt.date, keys: tuple[int, ...], nps: int | None, ces: int | None, comment: str
    ) -> None:
        cell = self.sums.get((day, keys))
        if cell is None:
            cell = self.sums[(day, keys)] = [0] * len(MEASURES)
        cell[0] += 1
        if nps is not None:
            cell[1 if nps >= PROMOTER_MIN else 3 if nps <= DETRACTOR_MAX else 2] += 1
        if ces is not None:
            cell[4] += 1
            cell[5] += ces
            cell[6] += ces >= CES_EASY_MIN
        if comment:
            cell[7] += 1

    def write(self) -> None:
        """Add the sums to the roll-ups: every grain and shape, derived in SQL."""
        if not self.sums:
            return
        quote = connection.ops.quote_name
        adapt = connection.ops.adapt_datefield_value
        periods = {day: period_starts(day) for day in {day for day, _keys in self.sums}}
        columns = ["day", "week", "month", *DIMS, *MEASURES]
        rows = [
            (
                adapt(day),
                adapt(periods[day][Rollup.Grain.WEEK]),
                adapt(periods[day][Rollup.Grain.MONTH]),
                *keys,
                *values,
            )
            for (day, keys), values in self.sums.items()
        ]
        integer_columns = ", ".join(f"{quote(c)} integer NOT NULL" for c in [*DIMS, *MEASURES])
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (day date NOT NULL, week date NOT NULL, "
                f"month date NOT NULL, {integer_columns})"
            )
            insert_rows(STAGING, columns, rows)
            for grain, period in GRAIN_COLUMNS.items():
                for shape in SHAPES:
                    cursor.execute(_derive_sql(str(grain), period, shape))
            cursor.execute(f"DROP TABLE {STAGING}")


def _derive_sql(grain: str, period: str, shape: int) -> str:
    """One grain × shape of the roll-ups from the staged day sums, added to the stored cells."""
    table = Rollup._meta.db_table
    kept = [d for i, d in enumerate(DIMS) if shape >> i & 1]
    dims = ", ".join(d if d in kept else "-1" for d in DIMS)
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    group = ", ".join([period, *kept])
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    # `WHERE 1 = 1` keeps SQLite from reading ON CONFLICT as a join's ON (its documented ambiguity).
    return (
        f"INSERT INTO {table} (grain, start, {', '.join(DIMS)}, shape, {', '.join(MEASURES)}) "  # noqa: S608 - no user input
        f"SELECT '{grain}', {period}, {dims}, {shape}, {sums} FROM {STAGING} WHERE 1 = 1 GROUP BY {group} "
        f"ON CONFLICT (grain, start, {', '.join(DIMS)}) DO UPDATE SET {updates}"
    )
