"""A change of manager is dated when it is made, so the first reaction from above uses the manager of the
moment even when the scheduled roll-up runs days later."""

from __future__ import annotations

from typing import Any

import pytest

from comptoir.core import clock
from comptoir.feed.models import Comment, Post, Reaction
from comptoir.insights import rollups
from comptoir.insights.models import ManagerSpan, PostAttention
from comptoir.insights.tests.conftest import at
from comptoir.org.models import User
from comptoir.org.services import person_set_manager


def post(author: Any, when: str, hour: int) -> Post:
    moment = at(when, hour)
    return Post.objects.create(
        author=author, body=f"Pratique du {when}", created_at=moment, updated_at=moment
    )


def like(person: Any, p: Post, when: str, hour: int) -> None:
    Reaction.objects.create(post=p, person=person, created_at=at(when, hour))


@pytest.fixture
def spans_known(cast: Any) -> Any:
    User.objects.update(date_joined=at("2026-01-05"))
    with clock.frozen(at("2026-10-01")):
        rollups.spans_reconcile()
    return cast


def spans_of(person: Any) -> list[tuple[int, int, Any, Any]]:
    rows = ManagerSpan.objects.filter(person=person).order_by("start")
    return [(s.manager_id_then, s.director_id_then, s.start, s.end) for s in rows]


def test_the_change_is_dated_at_the_save_not_at_the_next_roll_up(
    spans_known: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The rep moves from Marc to Nina on 3 Nov at 10:00; the scheduled roll-up only runs on 10 Nov.

    P1, 2 Nov 12:00: Marc likes at 18:00 (her manager then)                      -> 6 h, Marc
    P2, 3 Nov 09:00: Marc likes at 11:00 (no longer), Nina likes 4 Nov 09:00       -> 24 h, Nina
    P3, 3 Nov 11:00: Nina comments at 13:00 (her manager since 10:00)              -> 2 h, Nina
    Had the change been dated by the 10 Nov run, Nina's reactions would not count and Marc's would.
    """
    cast = spans_known
    p1, p2 = post(cast.rep, "2026-11-02", 12), post(cast.rep, "2026-11-03", 9)
    like(cast.manager, p1, "2026-11-02", 18)
    with clock.frozen(at("2026-11-03", 10)), django_capture_on_commit_callbacks(execute=True):
        person_set_manager(person=cast.rep, manager=cast.manager_trade)
    p3 = post(cast.rep, "2026-11-03", 11)
    like(cast.manager, p2, "2026-11-03", 11)
    like(cast.manager_trade, p2, "2026-11-04", 9)
    Comment.objects.create(
        post=p3, author=cast.manager_trade, body="Bien vu", created_at=at("2026-11-03", 13)
    )

    with clock.frozen(at("2026-11-10", 6)):
        report = rollups.rollup_all()

    assert report["people_moved"] == 0  # already recorded when it happened
    assert spans_of(cast.rep) == [
        (cast.manager.pk, cast.director.pk, at("2026-01-05"), at("2026-11-03", 10)),
        (cast.manager_trade.pk, 0, at("2026-11-03", 10), None),
    ]
    rows = {r.post_id: (r.hours, r.responder_id) for r in PostAttention.objects.filter(author_id=cast.rep.pk)}
    assert rows == {
        p1.pk: (6.0, cast.manager.pk),
        p2.pk: (24.0, cast.manager_trade.pk),
        p3.pk: (2.0, cast.manager_trade.pk),
    }


def test_a_new_manager_above_a_manager_changes_the_director_of_their_reports_at_once(
    spans_known: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast = spans_known
    with clock.frozen(at("2026-11-05", 15)), django_capture_on_commit_callbacks(execute=True):
        person_set_manager(person=cast.manager, manager=cast.hq)
    moved = at("2026-11-05", 15)
    assert spans_of(cast.manager)[-1] == (cast.hq.pk, 0, moved, None)
    for report in (cast.rep, cast.teammate):
        assert spans_of(report)[-2:] == [
            (cast.manager.pk, cast.director.pk, at("2026-01-05"), moved),
            (cast.manager.pk, cast.hq.pk, moved, None),
        ]


def test_a_change_rolled_back_records_nothing(
    spans_known: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    cast = spans_known
    before = spans_of(cast.rep)
    with clock.frozen(at("2026-11-05", 15)), django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                person_set_manager(person=cast.rep, manager=cast.manager_trade)
                raise RuntimeError("the rest of the form failed")
        except RuntimeError:
            pass
    assert spans_of(cast.rep) == before


def test_saving_a_person_without_touching_the_manager_costs_no_query_for_the_hierarchy(
    spans_known: Any, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    cast = spans_known
    with django_capture_on_commit_callbacks(execute=True) as callbacks, django_assert_num_queries(1):
        cast.rep.save(update_fields=["last_login"])
    assert callbacks == []


def _import_people(rows: list[list[str]]) -> Any:
    from comptoir.core.importjobs import import_file, import_kinds

    headers = ["email", "first_name", "last_name", "role", "unit", "region", "team", "manager_email", "active"]
    data = "\r\n".join(";".join(r) for r in [headers, *rows]).encode()
    return import_file(import_kinds()["people"], data, "rh.csv", partial=False, options={})


def test_a_manager_changed_by_the_people_import_is_dated_at_the_import_not_at_the_next_roll_up(
    spans_known: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The HR file moves the rep from Marc to Nina on 3 Nov at 10:00 (an import: no `save()` of the
    person); the scheduled roll-up only runs on 10 Nov. The rep's reports would be Nina's only from 10 Nov
    if the change were dated by that run.

    P1, 2 Nov 12:00: Marc likes at 18:00 (her manager then)                        -> 6 h, Marc
    P2, 3 Nov 09:00: Marc likes at 11:00 (no longer), Nina likes 4 Nov 09:00         -> 24 h, Nina
    P3, 3 Nov 11:00: Nina comments at 13:00 (her manager since the import)           -> 2 h, Nina
    P4, 5 Nov 08:00: Marc likes at 09:00 (no longer), nobody else                    -> never
    Dated at the 10 Nov run instead, P2 would be Marc's at 2 h, P3 nobody's, P4 Marc's at 1 h.
    """
    cast = spans_known
    p1, p2 = post(cast.rep, "2026-11-02", 12), post(cast.rep, "2026-11-03", 9)
    like(cast.manager, p1, "2026-11-02", 18)
    row = [
        cast.rep.email, cast.rep.first_name, cast.rep.last_name, "rep", "HoReCa", "Île-de-France",
        "HoReCa Île-de-France", cast.manager_trade.email, "oui",
    ]
    with clock.frozen(at("2026-11-03", 10)), django_capture_on_commit_callbacks(execute=True):
        report = _import_people([row])
    assert report.applied and report.updated == 1, report.errors
    assert User.objects.get(pk=cast.rep.pk).manager_id == cast.manager_trade.pk
    p3, p4 = post(cast.rep, "2026-11-03", 11), post(cast.rep, "2026-11-05", 8)
    like(cast.manager, p2, "2026-11-03", 11)
    like(cast.manager_trade, p2, "2026-11-04", 9)
    Comment.objects.create(
        post=p3, author=cast.manager_trade, body="Bien vu", created_at=at("2026-11-03", 13)
    )
    like(cast.manager, p4, "2026-11-05", 9)

    with clock.frozen(at("2026-11-10", 6)):
        report = rollups.rollup_all()

    assert report["people_moved"] == 0  # the import already recorded it
    assert spans_of(cast.rep) == [
        (cast.manager.pk, cast.director.pk, at("2026-01-05"), at("2026-11-03", 10)),
        (cast.manager_trade.pk, 0, at("2026-11-03", 10), None),
    ]
    rows = {r.post_id: (r.hours, r.responder_id) for r in PostAttention.objects.filter(author_id=cast.rep.pk)}
    assert rows == {
        p1.pk: (6.0, cast.manager.pk),
        p2.pk: (24.0, cast.manager_trade.pk),
        p3.pk: (2.0, cast.manager_trade.pk),
        p4.pk: (None, 0),
    }


def test_a_manager_moved_by_the_import_changes_the_director_of_their_reports_at_the_import(
    spans_known: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast = spans_known
    m = cast.manager
    row = [m.email, m.first_name, m.last_name, "manager", "HoReCa", "Île-de-France", "HoReCa Île-de-France", cast.hq.email, "oui"]
    with clock.frozen(at("2026-11-05", 15)), django_capture_on_commit_callbacks(execute=True):
        report = _import_people([row])
    assert report.applied, report.errors
    moved = at("2026-11-05", 15)
    for person in (cast.rep, cast.teammate):
        assert spans_of(person)[-2:] == [
            (m.pk, cast.director.pk, at("2026-01-05"), moved),
            (m.pk, cast.hq.pk, moved, None),
        ]
