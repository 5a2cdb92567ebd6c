from __future__ import annotations

from collections.abc import Iterator

import pytest

from comptoir.feed.taxonomy import forget


@pytest.fixture(autouse=True)
def _fresh_taxonomy() -> Iterator[None]:
    # Each test builds its own units and topics: no copy may survive from the previous one.
    forget()
    yield
    forget()
