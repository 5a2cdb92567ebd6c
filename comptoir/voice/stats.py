"""The love-score formulas, pure functions on counts (no database), tested against hand-computed cases.

NPS = % promoters (9-10) - % detractors (0-6), on the answers that have an NPS score.
Its 95 % interval is an adjusted Wald interval: 3/4 pseudo-promoter, 3/4 pseudo-detractor and 3
pseudo-answers in all are added before computing var = (p + d - (p - d)^2) / n, which keeps the
interval honest for small cells (a single promoter does not get a [100, 100] interval).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Z95 = 1.959963984540054
PSEUDO_EACH = 0.75  # added to promoters and to detractors
PSEUDO_TOTAL = 3.0  # added to n (so 1.5 pseudo-passives)


@dataclass(frozen=True)
class Nps:
    """NPS with its counts and interval. `score`, `low`, `high` are on the -100..100 scale."""

    promoters: int
    passives: int
    detractors: int
    min_responses: int = 1

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def enough(self) -> bool:
        """Below the minimum the product says "not enough answers" instead of a number."""
        return self.n >= max(1, self.min_responses)

    @property
    def score(self) -> float | None:
        if self.n == 0:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.n

    @property
    def promoters_pct(self) -> float | None:
        return None if self.n == 0 else 100.0 * self.promoters / self.n

    @property
    def detractors_pct(self) -> float | None:
        return None if self.n == 0 else 100.0 * self.detractors / self.n

    @property
    def variance(self) -> float:
        """Variance of the NPS estimate (on the -1..1 scale) with the adjusted-Wald pseudo-counts."""
        n = self.n + PSEUDO_TOTAL
        p = (self.promoters + PSEUDO_EACH) / n
        d = (self.detractors + PSEUDO_EACH) / n
        return (p + d - (p - d) ** 2) / n

    @property
    def adjusted(self) -> float:
        n = self.n + PSEUDO_TOTAL
        return (self.promoters - self.detractors) / n

    @property
    def low(self) -> float | None:
        if self.n == 0:
            return None
        return 100.0 * max(-1.0, self.adjusted - Z95 * math.sqrt(self.variance))

    @property
    def high(self) -> float | None:
        if self.n == 0:
            return None
        return 100.0 * min(1.0, self.adjusted + Z95 * math.sqrt(self.variance))

    def as_dict(self) -> dict[str, object]:
        enough = self.enough
        return {
            "responses": self.n,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "enough": enough,
            "nps": round(self.score, 1) if enough and self.score is not None else None,
            "low": round(self.low, 1) if enough and self.low is not None else None,
            "high": round(self.high, 1) if enough and self.high is not None else None,
        }


def significant_change(a: Nps, b: Nps) -> bool:
    """Whether the NPS difference between two periods or segments is significant at 95 %: a
    two-sample z test on the two (adjusted) variances. Both sides need the minimum sample."""
    if not (a.enough and b.enough) or a.n == 0 or b.n == 0:
        return False
    z = (a.adjusted - b.adjusted) / math.sqrt(a.variance + b.variance)
    return abs(z) >= Z95


@dataclass(frozen=True)
class Effort:
    """Customer effort (CES, 1-7 agreement with "… made it easy for me"): mean and % easy (5-7)."""

    count: int
    total: int
    easy: int
    min_responses: int = 1

    @property
    def enough(self) -> bool:
        return self.count >= max(1, self.min_responses)

    @property
    def mean(self) -> float | None:
        return None if self.count == 0 else self.total / self.count

    @property
    def easy_pct(self) -> float | None:
        return None if self.count == 0 else 100.0 * self.easy / self.count

    def as_dict(self) -> dict[str, object]:
        enough = self.enough
        return {
            "responses": self.count,
            "enough": enough,
            "mean": round(self.mean, 2) if enough and self.mean is not None else None,
            "easy_pct": round(self.easy_pct, 1) if enough and self.easy_pct is not None else None,
        }


@dataclass(frozen=True)
class MixSplit:
    """An NPS change between two periods split into respondent mix and score movements."""

    total: float  # NPS(after) - NPS(before), points
    mix: float  # from the change of each group's share of answers
    scores: float  # from each group's NPS moving, at the new mix


def mix_decomposition(before: Mapping[Any, Nps], after: Mapping[Any, Nps]) -> MixSplit:
    """Split NPS(after) - NPS(before) = Σ (w1 - w0)·s0 + Σ w1·(s1 - s0) over the groups (unit, step,
    region…): the first sum is the mix effect (more answers from a group with its old score), the
    second the within-group score effect. The two add up exactly to the total change. A group new in
    `after` counts its whole contribution as mix; one gone in `after` likewise."""
    n0 = sum(g.n for g in before.values())
    n1 = sum(g.n for g in after.values())
    if n0 == 0 or n1 == 0:
        return MixSplit(0.0, 0.0, 0.0)
    mix = scores = 0.0
    for key in set(before) | set(after):
        g0 = before.get(key)
        g1 = after.get(key)
        w0 = g0.n / n0 if g0 else 0.0
        w1 = g1.n / n1 if g1 else 0.0
        s0 = (g0.score or 0.0) if g0 and g0.n else None
        s1 = (g1.score or 0.0) if g1 and g1.n else None
        if s0 is None:
            mix += w1 * (s1 or 0.0)
        elif s1 is None:
            mix -= w0 * s0
        else:
            mix += (w1 - w0) * s0
            scores += w1 * (s1 - s0)
    return MixSplit(round(mix + scores, 6), round(mix, 6), round(scores, 6))
