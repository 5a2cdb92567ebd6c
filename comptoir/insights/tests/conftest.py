from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from comptoir.insights.models import DailyActivity

PARIS = dt.timezone(dt.timedelta(hours=1))


def at(day: str, hour: int = 10) -> dt.datetime:
    """An aware moment on a local day (Paris, winter time)."""
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


@pytest.fixture
def active_on() -> Any:
    """`active_on(person, "2026-11-10", posts=2)`: a day of activity, as the roll-up would hold it."""

    def make(person: Any, day: str, *, visited: bool = True, **counts: int) -> DailyActivity:
        return DailyActivity.objects.create(
            user=person, day=dt.date.fromisoformat(day), visited=visited, **counts
        )

    return make
