"""Loading millions of generated responses fast (the demo's `--scale` and `bench_voice`).

Drawing every row at random cost more than storing it: a dozen random draws, a timestamp formatted
and a roll-up sum updated per response. Here the rows of each month come from a pool of answers
drawn once for that month (at most `POOL_MAX`, so a small demo never repeats an answer and ten
million rows repeat each one a few hundred times), taken in turn day after day, and stamped from
precomputed minute-second and microsecond tables, in time order as real answers arrive. Since a day
takes a run of consecutive pool entries, its roll-up sums are the pool's totals times the number of
whole turns plus the few entries of the last partial turn: no per-row bookkeeping at all.

The per-day volume follows `weight(age)`; everything random comes from the caller's `rng`, so a seed
gives the same load.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from comptoir.voice.bulk import indexes_dropped, insert_rows
from comptoir.voice.rollups_load import DaySums

POOL_MAX = 8192
MONTH_SECONDS = 30.4 * 86400
# "MM:SS" of every second of an hour, and random microsecond endings taken in turn.
MINUTE_SECONDS = [f"{s // 60:02d}:{s % 60:02d}" for s in range(3600)]

# A drawn answer: the row's leading columns, its roll-up key (step, unit, region, segment, team)
# and its roll-up measures (rollups.MEASURES).
Drawn = tuple[tuple[Any, ...], tuple[int, ...], tuple[int, ...]]


@dataclass
class _Pool:
    bodies: list[tuple[Any, ...]] = field(default_factory=list)
    keys: list[tuple[int, ...]] = field(default_factory=list)
    measures: list[tuple[int, ...]] = field(default_factory=list)
    totals: dict[tuple[int, ...], list[int]] = field(default_factory=dict)
    offset: int = 0

    def add(self, drawn: Drawn) -> None:
        body, keys, values = drawn
        self.bodies.append(body)
        self.keys.append(keys)
        self.measures.append(values)
        cell = self.totals.setdefault(keys, [0] * len(values))
        for i, v in enumerate(values):
            cell[i] += v

    def take(self, day: dt.date, count: int, sums: DaySums) -> list[tuple[Any, ...]]:
        """The next `count` answers of the pool, counted into the day's roll-up sums."""
        size = len(self.bodies)
        turns, rest = divmod(count, size)
        start = self.offset
        if turns:
            for keys, values in self.totals.items():
                sums.add(day, keys, values, turns)
        for i in range(start, start + rest):
            sums.add(day, self.keys[i % size], self.measures[i % size])
        rotated = self.bodies[start:] + self.bodies[:start]
        self.offset = (start + count) % size
        return (rotated * (turns + 1))[:count]


def _days(months: int, now: dt.datetime) -> list[tuple[dt.date, list[int]]]:
    """Each local day of the period with the UTC hours (epoch hour numbers) it spans, up to now."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    first = today - dt.timedelta(days=int(months * MONTH_SECONDS // 86400))
    last_hour = int(now.timestamp() // 3600)  # the hour in progress is left out
    out = []
    day = first
    while day <= today:
        start = dt.datetime.combine(day, dt.time(0), tzinfo=tz).timestamp()
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz).timestamp()
        hours = [h for h in range(int(start // 3600), int(end // 3600)) if h < last_hour]
        if hours:
            out.append((day, hours))
        day += dt.timedelta(days=1)
    return out


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers summing exactly to `total`."""
    whole = sum(weights)
    counts, carried, given = [], 0.0, 0
    for w in weights:
        carried += total * w / whole
        n = round(carried) - given
        counts.append(n)
        given += n
    return counts


def load(
    count: int,
    *,
    rng: random.Random,
    table: str,
    columns: Sequence[str],
    draw: Callable[[int], Drawn],
    tail: tuple[Any, ...],
    months: int,
    weight: Callable[[float], float],
    progress: Callable[[int], None] | None = None,
    batch: int = 50_000,
) -> int:
    """Insert `count` rows into `table` over the last `months` months; `draw(months_ago)` gives one
    answer, and each row is its body + (answered_at, updated_at) + `tail`. The roll-ups are written
    once at the end (rollups_load.DaySums). Returns the number of rows."""
    now = timezone.now()
    days = _days(months, now)
    ages = [(now.timestamp() - h[0] * 3600) for _day, h in days]
    per_day = apportion(count, [weight(age / (months * MONTH_SECONDS)) for age in ages])
    buckets = [int(age // MONTH_SECONDS) for age in ages]
    in_bucket: dict[int, int] = {}
    for bucket, n in zip(buckets, per_day, strict=True):
        in_bucket[bucket] = in_bucket.get(bucket, 0) + n
    pools: dict[int, _Pool] = {}
    for bucket, n in sorted(in_bucket.items()):
        if n:
            pool = pools[bucket] = _Pool()
            for _i in range(min(POOL_MAX, n)):
                pool.add(draw(bucket))
    micro = [f".{rng.randrange(1_000_000):06d}" for _i in range(4096)]
    suffix = "+00:00" if connection.vendor == "postgresql" else ""
    if suffix:
        micro = [m + suffix for m in micro]
    sums = DaySums()
    done = 0
    rows: list[tuple[Any, ...]] = []
    with indexes_dropped(table, rows=count):
        for (day, hours), n, bucket in zip(days, per_day, buckets, strict=True):
            if not n:
                continue
            bodies = pools[bucket].take(day, n, sums)
            stamps: list[str] = []
            for j, hour in enumerate(hours):
                k = n * (j + 1) // len(hours) - n * j // len(hours)
                prefix = f"{dt.datetime.fromtimestamp(hour * 3600, dt.UTC):%Y-%m-%d %H}:"
                base = len(stamps)
                stamps.extend(
                    prefix + MINUTE_SECONDS[i * 3600 // k] + micro[(base + i) & 4095] for i in range(k)
                )
            rows.extend((*body, stamp, stamp, *tail) for body, stamp in zip(bodies, stamps, strict=True))
            if len(rows) >= batch:
                done += _flush(table, columns, rows, progress)
                rows = []
        done += _flush(table, columns, rows, progress)
    sums.write()
    return done


def _flush(
    table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], progress: Callable[[int], None] | None
) -> int:
    if rows:
        with transaction.atomic():
            insert_rows(table, columns, rows)
        if progress:
            progress(len(rows))
    return len(rows)
