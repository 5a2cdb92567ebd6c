"""The benchmarks' measuring tool counts what a page really does, and refuses to time an error."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.test import Client

from comptoir.core.bench import served_as_in_production, time_callable, time_page
from comptoir.org.models import User

pytestmark = pytest.mark.django_db


def test_a_page_timing_counts_the_queries_of_one_request(cast):
    client = Client()
    client.force_login(cast.rep)
    with served_as_in_production():
        timing = time_page(client, "/people/", runs=3, warmups=1)
    assert timing.queries > 0
    assert timing.median_ms > 0 and timing.p95_ms >= timing.median_ms
    assert timing.label == "/people/" and "/people/" in timing.row()


def test_a_function_timing_counts_each_statement():
    timing = time_callable(
        "two counts", lambda: (User.objects.count(), User.objects.exists()), runs=2, warmups=0
    )
    assert timing.queries == 2


def test_a_page_that_answers_an_error_stops_the_benchmark(cast):
    with served_as_in_production(), pytest.raises(CommandError, match="answered 302"):
        time_page(Client(), "/people/", runs=1, warmups=1)
