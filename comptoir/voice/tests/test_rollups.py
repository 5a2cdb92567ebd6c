"""Roll-ups equal a full recomputation after any sequence of inserts, corrections and deletes."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.core import clock
from comptoir.voice import services
from comptoir.voice.models import Response, Rollup
from comptoir.voice.rollups import recomputed_cells, stored_cells

from .conftest import World
from .factories import answer

operations = st.lists(
    st.tuples(
        st.sampled_from(["insert", "correct", "delete"]),
        st.one_of(st.none(), st.integers(0, 10)),
        st.one_of(st.none(), st.integers(1, 7)),
        st.integers(0, 120),  # days ago
        st.booleans(),  # with a comment
        st.integers(0, 2),  # which account
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_rollups_stay_exact_through_inserts_corrections_and_deletes(world: World, ops: list[tuple]) -> None:  # type: ignore[type-arg]
    Response.objects.all().delete()
    Rollup.objects.all().delete()
    accounts = [world.account, world.teammate_account, world.trade_account]
    for op, nps, ces, days, comment, which in ops:
        existing = Response.objects.order_by("?").first()
        if op == "insert" or existing is None:
            answer(
                accounts[which],
                nps=nps if nps is not None else 5,
                ces=ces,
                comment="Livraison en retard" if comment else "",
                when=clock.now() - dt.timedelta(days=days),
                step=world.delivery if which else None,
            )
        elif op == "correct":
            with clock.frozen(existing.answered_at + dt.timedelta(minutes=5)):
                services.response_correct(
                    response_id=existing.pk,
                    edit_key=existing.edit_key,
                    data={
                        "nps": nps if nps is not None else 0,
                        "ces": ces,
                        "comment": "ok" if comment else "",
                    },
                )
        else:
            services.response_delete(by=world.cast.agent, response=existing)
    assert stored_cells() == recomputed_cells()


def test_the_rebuild_command_restores_the_rollups(world: World) -> None:
    for score in (10, 9, 3, 7):
        answer(world.account, nps=score, ces=5, comment="ok")
    expected = stored_cells()
    Rollup.objects.all().delete()
    call_command("voice_rollups", verbosity=0)
    assert stored_cells() == expected
