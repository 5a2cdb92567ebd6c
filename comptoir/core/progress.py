"""A progress bar for long management commands (imports, demo, roll-up rebuilds)."""

from __future__ import annotations

import sys
import time
from typing import Any


class ProgressBar:
    def __init__(self, label: str, total: int, stream: Any = None, width: int = 30) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream or sys.stdout
        self.width = width
        self.done = 0
        self._last_draw = 0.0
        self._started = time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count)

    def update(self, done: int, total: int | None = None) -> None:
        if total:
            self.total = max(total, 1)
        self.done = min(done, self.total)
        now = time.monotonic()
        if self.done < self.total and now - self._last_draw < 0.2:
            return
        self._last_draw = now
        filled = int(self.width * self.done / self.total)
        percent = 100 * self.done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label:<28} [{bar}] {percent:3d}% {self.done}/{self.total}")
        if self.done >= self.total:
            elapsed = time.monotonic() - self._started
            self.stream.write(f" ({elapsed:.1f}s)\n")
        self.stream.flush()

    def finish(self) -> None:
        self.update(self.total)
