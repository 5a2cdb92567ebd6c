"""Signals through which one app tells the others what a person did, without importing them.

`person_acted` is how the engagement insights learn that someone was active (a post, a quiz taken, an
action closed): the acting app announces it, the insights app listens. The announcement waits for the
transaction to commit, so a rolled-back action never counts as activity.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.dispatch import Signal

# Sent with: user_id (int), kind (str: "visit", "post", "comment", "reaction", "quiz", "action_closed"),
# at (aware datetime), ref (str: what was acted on, for the raw detail; may be empty).
person_acted = Signal()


def announce_activity(user_id: int, kind: str, at: dt.datetime, ref: str = "") -> None:
    transaction.on_commit(
        lambda: person_acted.send(sender=None, user_id=user_id, kind=kind, at=at, ref=ref), robust=True
    )


# Sent with: person_ids (list[int]), at (aware datetime): these people's manager was changed by a bulk
# write that bypasses `save()` (the people import). The insights date the change at `at`, not at their
# next scheduled roll-up. Sent once the change is committed, like `person_acted`.
reporting_lines_changed = Signal()


def announce_reporting_lines_changed(person_ids: list[int], at: dt.datetime) -> None:
    if person_ids:
        transaction.on_commit(
            lambda: reporting_lines_changed.send(sender=None, person_ids=person_ids, at=at), robust=True
        )
