"""The lists read their page from an index in the list's order (no sort of a rep's whole history).

SQLite only: its planner without statistics is deterministic, and it is the one that ignored the
partial indexes while the open states were bound parameters. On PostgreSQL, see `bench_actions`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.actions import selectors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans"),
]


def plan_of_first_query(read: Any) -> str:
    with CaptureQueriesContext(connection) as queries:
        read()
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("mine", "action_mine_open_idx"),
        ("team", "action_team_open_idx"),
        ("all", "action_all_idx"),
        ("done", "action_status_idx"),
    ],
)
def test_each_list_walks_its_index_in_order(cast: Any, post_action: Any, name: str, index: str) -> None:
    post_action()
    reads = {
        "mine": lambda: selectors.my_actions(viewer=cast.rep),
        "team": lambda: selectors.team_actions(viewer=cast.manager, team_ids=[cast.team.pk]),
        "all": lambda: selectors.filtered_actions(viewer=cast.agent),
        "done": lambda: selectors.filtered_actions(
            viewer=cast.agent, filters=selectors.ActionFilters(status="done")
        ),
    }
    plan = plan_of_first_query(reads[name])
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    ("dimension", "index"), [("unit", "action_unit_open_due_idx"), ("region", "action_region_open_due_idx")]
)
def test_open_and_overdue_in_one_unit_or_region_is_decided_in_the_index(
    cast: Any, post_action: Any, dimension: str, index: str
) -> None:
    post_action()
    key = cast.units["horeca"].pk if dimension == "unit" else cast.regions["idf"].pk
    filters = selectors.ActionFilters(status="open_any", overdue=True, **{dimension: key})
    plan = plan_of_first_query(lambda: selectors.filtered_actions(viewer=cast.agent, filters=filters))
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, plan
