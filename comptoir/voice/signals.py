"""What the customer's voice tells other apps about a response that changes after it was stored.

Other apps keep roll-ups over responses (the closed loop counts the detractors followed by an
action): `response_rescored` lets them follow a correction or a deletion without the customer's
voice importing them. It is sent inside the transaction that changes the response, with the
response's row locked, so a listener's writes commit or roll back with the change itself: a roll-up
is part of the data, not a side effect to run after commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from comptoir.voice.models import Response

# Sent with: response_id (int), answered_at (aware datetime), unit_id and region_id (int | None: the
# snapshot taken when the customer answered), nps_before and nps_after (int | None), deleted (bool:
# the response is being deleted, sent before its row goes; nps_after is then None).
response_rescored = Signal()


def announce_rescored(response: Response, *, nps_before: int | None, deleted: bool = False) -> None:
    """Tell the listeners that `response` (already saved, or about to be deleted) changed score."""
    nps_after = None if deleted else response.nps
    if nps_before == nps_after and not deleted:
        return
    response_rescored.send(
        sender=None,
        response_id=response.pk,
        answered_at=response.answered_at,
        unit_id=response.unit_id,
        region_id=response.region_id,
        nps_before=nps_before,
        nps_after=nps_after,
        deleted=deleted,
    )
