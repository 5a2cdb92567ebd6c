"""The one clock of the product.

Every rule that depends on time (escalations, throttling, time limits, ageing) reads `now()`,
so tests can move time with `frozen()` instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: list[dt.datetime] = []


def now() -> dt.datetime:
    if _frozen:
        return _frozen[-1]
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Freeze the product's clock at `moment` (an aware datetime) inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("frozen() needs an aware datetime")
    _frozen.append(moment)
    try:
        yield
    finally:
        _frozen.pop()
