"""Timing pages through the whole Django stack: the one measuring tool every `bench_*` command uses.

A page is requested as a signed-in person with Django's test client (middleware, session,
templates, the database), so the figure is the server time a person waits, without the network.
Each row reports:

- the SQL queries of one request and the time the driver spent in them: what must not grow with
  the data;
- the median and 95th percentile of the wall time over `runs` requests;
- the median CPU time of this process. With SQLite it includes the database engine, with
  PostgreSQL it does not. On a machine whose cores are busy with other work, wall time mostly
  measures the wait for a core: CPU time is then the figure to compare.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

HEADER = f"{'page':<52} {'queries':>7} {'SQL ms':>7} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7}"


@dataclass(frozen=True)
class PageTiming:
    label: str
    queries: int
    sql_ms: float
    median_ms: float
    p95_ms: float
    cpu_median_ms: float

    def row(self) -> str:
        return (
            f"{self.label:<52} {self.queries:>7} {self.sql_ms:>7.1f} {self.median_ms:>10.1f}"
            f" {self.p95_ms:>8.1f} {self.cpu_median_ms:>7.1f}"
        )


@contextmanager
def served_as_in_production() -> Iterator[None]:
    """The settings a benchmark runs its requests under: no debug, any host name."""
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        yield


@contextmanager
def counting_queries() -> Iterator[list[float]]:
    """Collect the duration (seconds) of every SQL statement run inside the block.

    An execute wrapper rather than CaptureQueriesContext: a request resets the connection's query
    log when it starts and may close the connection when it ends, so a captured log read after
    the request can be empty.
    """
    durations: list[float] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durations.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        yield durations


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def time_page(
    client: Client,
    url: str,
    *,
    label: str = "",
    runs: int = 30,
    warmups: int = 3,
    method: str = "get",
    data: dict[str, Any] | None = None,
    expected_status: int = 200,
) -> PageTiming:
    """Request `url` `warmups` times, once counting its queries, then `runs` times on the clock.

    Warm-up requests fill what a live server has already filled (compiled templates, the
    person's first visit of the day, caches). A page that answers anything but
    `expected_status` stops the benchmark: timing an error page proves nothing.
    """
    send = getattr(client, method)

    def request() -> Any:
        response = send(url, data) if data is not None else send(url)
        if response.status_code != expected_status:
            raise CommandError(f"{url} answered {response.status_code}, expected {expected_status}")
        return response

    return time_callable(label or url, request, runs=runs, warmups=warmups)


def time_callable(label: str, call: Any, *, runs: int = 30, warmups: int = 3) -> PageTiming:
    """Call `call` `warmups` times, once counting its queries, then `runs` times on the clock."""
    for _warm in range(warmups):
        call()
    with counting_queries() as durations:
        call()
    wall, cpu = [], []
    for _run in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    return PageTiming(
        label=label,
        queries=len(durations),
        sql_ms=sum(durations) * 1000,
        median_ms=statistics.median(wall),
        p95_ms=percentile(wall, 0.95),
        cpu_median_ms=statistics.median(cpu),
    )


def time_once(label: str, call: Any) -> tuple[PageTiming, Any]:
    """Run `call` once, on the clock and counting its queries: for work that changes the data (an
    import, a build), which a second run would not repeat. Returns the timing and the result."""
    with counting_queries() as durations:
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        wall, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000
    timing = PageTiming(
        label=label,
        queries=len(durations),
        sql_ms=sum(durations) * 1000,
        median_ms=wall,
        p95_ms=wall,
        cpu_median_ms=cpu,
    )
    return timing, result
