from __future__ import annotations

from collections.abc import Iterator

import pytest

from comptoir.feed import cards
from comptoir.feed.taxonomy import forget


@pytest.fixture(autouse=True)
def _fresh_taxonomy() -> Iterator[None]:
    # Each test builds its own units, topics and posts: no copy may survive from the previous one
    # (a rolled-back test gives its ids again to the next one).
    forget()
    cards.forget()
    yield
    forget()
    cards.forget()
