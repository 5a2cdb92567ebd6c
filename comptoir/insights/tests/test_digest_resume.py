"""Taking back what a stopped worker left in flight: only once its lease has run out, resent with the
same Message-ID, and said in the run's log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from comptoir.core import clock
from comptoir.insights.digest.sending import LEASE, digest_run
from comptoir.insights.models import DigestDelivery
from comptoir.insights.tests.conftest import MONDAY, at
from comptoir.org.models import User

WEEK = MONDAY  # a Monday: the week's start


def left_in_flight(person: User, status: str, claimed: dt.datetime) -> None:
    DigestDelivery.objects.create(
        user=person, week=WEEK, status=status, claimed_at=claimed, lease_until=claimed + LEASE
    )


@pytest.mark.parametrize("status", ["sending", "handed"])
def test_a_delivery_left_in_flight_is_resent_once_its_lease_ran_out(
    with_open_actions: Any, smtp_server: Any, status: str
) -> None:
    cast = with_open_actions
    left_in_flight(cast.rep, status, at("2026-11-23", 6))
    with clock.frozen(at("2026-11-23", 7)):
        run = digest_run(MONDAY, batch_size=50)
    smtp_server.wait_for(User.objects.count())
    copies = [m for m in smtp_server.messages if m["To"] == cast.rep.email]
    assert len(copies) == 1
    assert copies[0]["Message-ID"] == f"<digest.2026-11-23.{cast.rep.pk}@127.0.0.1>"
    delivery = DigestDelivery.objects.get(user=cast.rep, week=WEEK)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    said = {"sending": "1 cut off before the end of the message", "handed": "1 handed over without an answer"}
    assert said[status] in run.log
    assert (run.resumed, run.unconfirmed) == ((1, 0) if status == "sending" else (0, 1))


def test_a_delivery_a_live_worker_holds_is_left_to_it(with_open_actions: Any, smtp_server: Any) -> None:
    cast = with_open_actions
    left_in_flight(cast.rep, "handed", at("2026-11-23", 7))  # claimed a moment ago: its worker is alive
    with clock.frozen(at("2026-11-23", 7) + dt.timedelta(seconds=30)):
        run = digest_run(MONDAY, batch_size=50)
    everyone_else = User.objects.exclude(pk=cast.rep.pk).count()
    smtp_server.wait_for(everyone_else)
    assert cast.rep.email not in {m["To"] for m in smtp_server.messages}
    assert len(smtp_server.messages) == everyone_else == run.sent
    assert DigestDelivery.objects.get(user=cast.rep, week=WEEK).status == "handed"
    assert "finished" in run.log


def test_each_copy_of_a_person_s_week_carries_the_same_message_id(
    with_open_actions: Any, smtp_server: Any
) -> None:
    with clock.frozen(at("2026-11-23", 7)):
        digest_run(MONDAY, batch_size=50)
    smtp_server.wait_for(User.objects.count())
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == len(set(ids)) == User.objects.count()
    assert all(i.startswith("<digest.2026-11-23.") for i in ids)
