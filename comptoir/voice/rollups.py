"""Roll-ups: the counts analytics read, kept exact as responses arrive, change or go.

Every write of a response goes through `rollups_apply` with the response's old and/or new values,
so the roll-up cells always equal a full recomputation (tested property-based). The upsert is one
`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n` statement for any number of cells: the
same SQL on SQLite (3.24+) and PostgreSQL, and one query whatever the batch size.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from comptoir.voice.models import CES_EASY_MIN, DETRACTOR_MAX, PROMOTER_MIN, Response, Rollup

DIMS = ("step_key", "unit_key", "region_key", "segment_key", "team_key")
MEASURES = (
    "responses",
    "promoters",
    "passives",
    "detractors",
    "ces_count",
    "ces_sum",
    "ces_easy",
    "comments",
)
CellKey = tuple[str, dt.date, int, int, int, int, int]
ALL = -1  # the key of a dimension a partial cube does not keep
FULL = 0b11111
# The partial cubes kept besides the full one: the total, each dimension alone, unit × step/region/
# segment (the dashboard filtered by business unit), step × unit × region (the effort map),
# step × segment (the priorities) and region × step/segment (the dashboard filtered by region). Every figure of the dashboard reads one of these small cubes, so
# its cost follows the number of steps, units, regions and segments, never the responses.
SHAPES = (
    FULL,
    0,
    *(1 << i for i in range(len(DIMS))),
    0b00011,  # step × unit
    0b00110,  # unit × region
    0b01010,  # unit × segment
    0b00111,  # step × unit × region
    0b01001,  # step × segment
    0b00101,  # step × region (the dashboard filtered by region, its journey-step breakdown)
    0b01100,  # region × segment (filtered by region, its segments; filtered by segment, its regions)
    0b01101,  # step × region × segment (filtered by region and step or segment together)
)


def shape_of(dims: Iterable[str]) -> int:
    return sum(1 << DIMS.index(d) for d in set(dims))


def expand(keys: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    """The full-cube keys of a response and the keys of its partial-cube cells: (shape, keys)."""
    return [(shape, tuple(k if shape >> i & 1 else ALL for i, k in enumerate(keys))) for shape in SHAPES]


def period_starts(day: dt.date) -> dict[str, dt.date]:
    return {
        Rollup.Grain.DAY: day,
        Rollup.Grain.WEEK: day - dt.timedelta(days=day.weekday()),
        Rollup.Grain.MONTH: day.replace(day=1),
    }


def measures_of(nps: int | None, ces: int | None, comment: str) -> tuple[int, ...]:
    return (
        1,
        int(nps is not None and nps >= PROMOTER_MIN),
        int(nps is not None and DETRACTOR_MAX < nps < PROMOTER_MIN),
        int(nps is not None and nps <= DETRACTOR_MAX),
        int(ces is not None),
        ces or 0,
        int(ces is not None and ces >= CES_EASY_MIN),
        int(bool(comment.strip())),
    )


def snapshot_of(response: Response | Mapping[str, Any]) -> dict[str, Any]:
    """What the roll-ups need from a response (a model instance or a dict of its field values)."""
    get = response.get if isinstance(response, Mapping) else lambda name: getattr(response, name)
    return {
        "day": timezone.localdate(get("answered_at")),
        "keys": tuple(get(f"{d[:-4]}_id") or 0 for d in DIMS),
        "nps": get("nps"),
        "ces": get("ces"),
        "comment": get("comment") or "",
    }


def add_to_cells(
    cells: dict[CellKey, list[int]],
    day: dt.date,
    keys: tuple[int, ...],
    values: tuple[int, ...] | list[int],
    sign: int = 1,
) -> None:
    """Count one response (values from `measures_of`) into its day, week and month cells of every shape."""
    expanded = _expanded(keys)
    width = len(values)
    for grain, start in period_starts(day).items():
        for _shape, shaped in expanded:
            key: Any = (str(grain), start, *shaped)
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = [0] * len(MEASURES)
            for i in range(width):
                cell[i] += sign * values[i]


@functools.lru_cache(maxsize=65536)
def _expanded(keys: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    return expand(keys)


class DayCells:
    """Responses summed per day × full key first, expanded to every grain and shape once at the end.

    A bulk load (the demo, `--scale`) adds each response here with 8 additions instead of 27 cell
    updates; at millions of responses the distinct (day, key) pairs are far fewer than the
    responses, so the expansion costs little."""

    def __init__(self) -> None:
        self.sums: dict[tuple[dt.date, tuple[int, ...]], list[int]] = {}

    def add(self, day: dt.date, keys: tuple[int, ...], values: tuple[int, ...], sign: int = 1) -> None:
        cell = self.sums.get((day, keys))
        if cell is None:
            cell = self.sums[(day, keys)] = [0] * len(MEASURES)
        for i, v in enumerate(values):
            cell[i] += sign * v

    def cells(self) -> dict[CellKey, list[int]]:
        out: dict[CellKey, list[int]] = {}
        for (day, keys), values in self.sums.items():
            if any(values):
                add_to_cells(out, day, keys, values)
        return {k: v for k, v in out.items() if any(v)}


def _deltas(changes: Iterable[tuple[dict[str, Any], int]]) -> dict[CellKey, list[int]]:
    day_cells = DayCells()
    for snap, sign in changes:
        day_cells.add(snap["day"], snap["keys"], measures_of(snap["nps"], snap["ces"], snap["comment"]), sign)
    return day_cells.cells()


def write_cells(cells: dict[CellKey, list[int]], *, batch: int = 1000, bulk: bool = False) -> None:
    """Add counts to the roll-up cells: one INSERT … ON CONFLICT DO UPDATE per batch of cells.

    `bulk` (the demo and `--scale`) writes through the driver's own cursor: with DEBUG on, Django's
    query log would otherwise quote and keep megabytes of parameters (a third of the demo's time)."""
    if not cells:
        return
    table = Rollup._meta.db_table
    columns = ["grain", "start", *DIMS, "shape", *MEASURES]
    conflict = ", ".join(["grain", "start", *DIMS])
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    items = list(cells.items())
    adapt = connection.ops.adapt_datefield_value
    with transaction.atomic(savepoint=False), connection.cursor() as wrapper:
        cursor = wrapper.cursor if bulk else wrapper
        for offset in range(0, len(items), batch):
            chunk = items[offset : offset + batch]
            placeholders = ", ".join("(" + ", ".join(["%s"] * len(columns)) + ")" for _ in chunk)
            params: list[Any] = []
            for key, values in chunk:
                keys = key[2:]
                shape = sum(1 << i for i, k in enumerate(keys) if k != ALL)
                params.extend([key[0], adapt(key[1]), *keys, shape, *values])
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "  # noqa: S608 - no user input
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                params,
            )


def rollups_apply(changes: Iterable[tuple[dict[str, Any], int]]) -> None:
    """Add (+1) or remove (-1) responses' snapshots to their day, week and month cells."""
    write_cells(_deltas(changes))


def _aggregate(queryset: Any, trunc: Any) -> Any:
    return (
        queryset.annotate(period=trunc)
        .values("period", "step_id", "unit_id", "region_id", "segment_id", "team_id")
        .annotate(
            n=Count("pk"),
            p=Count("pk", filter=Q(nps__gte=PROMOTER_MIN)),
            pa=Count("pk", filter=Q(nps__gt=DETRACTOR_MAX, nps__lt=PROMOTER_MIN)),
            d=Count("pk", filter=Q(nps__lte=DETRACTOR_MAX)),
            cn=Count("ces"),
            cs=Sum("ces"),
            ce=Count("pk", filter=Q(ces__gte=CES_EASY_MIN)),
            cm=Count("pk", filter=~Q(comment="")),
        )
        .order_by()
    )


def recomputed_cells() -> dict[CellKey, tuple[int, ...]]:
    """Every roll-up cell computed from scratch from the responses (the rebuild and the tests)."""
    tz = timezone.get_current_timezone()
    truncs = {
        Rollup.Grain.DAY: TruncDate("answered_at", tzinfo=tz),
        Rollup.Grain.WEEK: TruncWeek("answered_at", tzinfo=tz),
        Rollup.Grain.MONTH: TruncMonth("answered_at", tzinfo=tz),
    }
    sums: dict[CellKey, list[int]] = {}
    for grain, trunc in truncs.items():
        for row in _aggregate(Response.objects.all(), trunc).iterator(chunk_size=5000):
            period = row["period"]
            start = period.date() if isinstance(period, dt.datetime) else period
            keys = tuple(row[f"{d[:-4]}_id"] or 0 for d in DIMS)
            values = (
                row["n"],
                row["p"],
                row["pa"],
                row["d"],
                row["cn"],
                row["cs"] or 0,
                row["ce"],
                row["cm"],
            )
            for _shape, shaped in expand(keys):
                key: Any = (str(grain), start, *shaped)
                cell = sums.setdefault(key, [0] * len(MEASURES))
                for i, v in enumerate(values):
                    cell[i] += v
    return {k: tuple(v) for k, v in sums.items()}


def stored_cells() -> dict[CellKey, tuple[int, ...]]:
    cells: dict[CellKey, tuple[int, ...]] = {}
    for row in (
        Rollup.objects.filter(responses__gt=0).values_list("grain", "start", *DIMS, *MEASURES).iterator()
    ):
        cells[tuple(row[:7])] = tuple(row[7:])  # type: ignore[assignment]
    return cells


def rollups_rebuild(*, progress: Any = None) -> int:
    """Recompute every cell from the responses (after a bulk load, or to repair). Returns cell count."""
    cells = recomputed_cells()
    with transaction.atomic():
        Rollup.objects.all().delete()
        objs = [
            Rollup(
                grain=key[0],
                start=key[1],
                **dict(zip(DIMS, key[2:], strict=True)),
                shape=sum(1 << i for i, k in enumerate(key[2:]) if k != ALL),
                **dict(zip(MEASURES, values, strict=True)),
            )
            for key, values in cells.items()
        ]
        Rollup.objects.bulk_create(objs, batch_size=5000)
    if progress:
        progress(len(objs), len(objs))
    return len(objs)


def rollups_prune() -> int:
    """Drop cells emptied by deletions (kept harmless at zero, pruned by the rebuild command)."""
    deleted, _rows = Rollup.objects.filter(responses=0).delete()
    return deleted
