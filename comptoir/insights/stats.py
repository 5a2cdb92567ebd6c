"""Small statistics for the insights: shares with their uncertainty, medians, spread of participation."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Share:
    """`part` out of `whole`, with a Wilson 95 % interval (honest for small teams and shares near 0 or 1)."""

    part: int
    whole: int

    @property
    def rate(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def pct(self) -> float | None:
        return None if self.rate is None else round(100 * self.rate, 1)

    def interval(self, z: float = 1.96) -> tuple[float, float] | None:
        if not self.whole:
            return None
        n, p = self.whole, self.part / self.whole
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass(frozen=True)
class Spread:
    """How a quantity (posts, comments...) is spread over a population of people."""

    population: int
    participants: int
    total: int
    deciles: list[float]  # share of the total held by each tenth of people, the most active tenth first
    lorenz: list[float]  # cumulative share of the total held by the least active 0 %, 10 %, ..., 100 %
    gini: float | None

    @property
    def top_decile_share(self) -> float | None:
        return self.deciles[0] if self.total else None


def spread(values: Sequence[int]) -> Spread:
    """Deciles and Lorenz curve of `values` (one per person, zeros included: silence is data)."""
    n = len(values)
    total = sum(values)
    ordered = sorted(values)
    if not n or not total:
        return Spread(n, sum(1 for v in values if v), total, [0.0] * 10, [0.0] * 11, None)
    prefix = [0]
    for v in ordered:
        prefix.append(prefix[-1] + v)

    def held_by_least(fraction: float) -> float:
        # Share of the total held by the least active `fraction` of people (interpolated inside a person).
        position = fraction * n
        whole = int(position)
        partial = ordered[whole] * (position - whole) if whole < n else 0
        return (prefix[whole] + partial) / total

    lorenz = [held_by_least(i / 10) for i in range(11)]
    lorenz[-1] = 1.0
    deciles = [lorenz[10 - i] - lorenz[9 - i] for i in range(10)]
    gini = 2 * sum((i + 1) * v for i, v in enumerate(ordered)) / (n * total) - (n + 1) / n
    return Spread(n, sum(1 for v in values if v), total, deciles, lorenz, gini)


def spread_of_counts(population: int, counts: Mapping[int, int]) -> Spread:
    """`spread` of a population given as {value: people} for its values above zero (the others are 0):
    the same figures, in time that follows the number of distinct values, not of people."""
    runs = sorted((v, n) for v, n in counts.items() if v > 0 and n > 0)
    participants = sum(n for _v, n in runs)
    total = sum(v * n for v, n in runs)
    if not population or not total:
        return Spread(population, participants, total, [0.0] * 10, [0.0] * 11, None)
    runs.insert(0, (0, population - participants))

    def prefix_and_value(k: int) -> tuple[int, int]:
        # The sum of the k smallest values, and the (k+1)-th smallest (0 past the end).
        held, seen = 0, 0
        for v, n in runs:
            if k < seen + n:
                return held + v * (k - seen), v
            held, seen = held + v * n, seen + n
        return held, 0

    def held_by_least(fraction: float) -> float:
        position = fraction * population
        whole = int(position)
        held, value = prefix_and_value(whole)
        partial = value * (position - whole) if whole < population else 0
        return (held + partial) / total

    lorenz = [held_by_least(i / 10) for i in range(11)]
    lorenz[-1] = 1.0
    deciles = [lorenz[10 - i] - lorenz[9 - i] for i in range(10)]
    weighted, start = 0, 0
    for v, n in runs:
        weighted += v * (n * start + n * (n + 1) // 2)  # sum of (i + 1) * v over the run's places
        start += n
    gini = 2 * weighted / (population * total) - (population + 1) / population
    return Spread(population, participants, total, deciles, lorenz, gini)
