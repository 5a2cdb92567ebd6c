"""Dating a change of manager when it is made, not when the next scheduled roll-up notices it.

"First reaction from the author's manager" must use whoever was the manager at each moment: a person
saved with a new manager gets their `ManagerSpan` closed and reopened at the moment of the save, once
the change is committed (a rolled-back change records nothing). The org app knows nothing of the
insights, hence a receiver here rather than a call from its services. The people import writes managers
in bulk, bypassing `save()`: it announces each committed chunk (`reporting_lines_changed`), dated when
the chunk was written. Whatever nothing announced is still caught by the scheduled `insights_rollup`,
dated at that run.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from comptoir.core import clock
from comptoir.insights.rollups import spans_reconcile


def on_person_saved(sender: Any, *, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and "manager" not in update_fields:
        return  # a login, a profile edit: the reporting line did not move
    moment, person = clock.now(), instance.pk
    transaction.on_commit(lambda: spans_reconcile(moment, around=person), robust=True)


def on_reporting_lines_changed(sender: Any, *, person_ids: list[int], at: Any, **kwargs: Any) -> None:
    """A chunk of the people import changed these people's manager at `at` (already committed)."""
    spans_reconcile(at, around_all=person_ids)
