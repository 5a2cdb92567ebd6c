"""The roll-ups equal a recomputation from scratch, rebuilding is idempotent, the raw detail expires."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from comptoir.core import clock
from comptoir.insights import rollups
from comptoir.insights.activity import act_record, visit_record
from comptoir.insights.models import KIND_FIELDS, ActivityEvent, DailyActivity, PeriodActivity
from comptoir.insights.tests.conftest import at
from comptoir.org.models import User

KINDS = list(KIND_FIELDS)


def _simulate(cast: Any, rng: random.Random) -> list[tuple[int, str, dt.datetime]]:
    User.objects.update(date_joined=at("2026-01-05"))  # everyone held an account the whole time
    people = list(User.objects.values_list("id", flat=True))
    acts = []
    for _i in range(400):
        person = rng.choice(people)
        moment = at("2026-10-01") + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 50))
        if rng.random() < 0.4:
            visit_record(person, _local(moment))
            acts.append((person, "visit", moment))
        else:
            kind = rng.choice(KINDS)
            act_record(user_id=person, kind=kind, at=moment)
            acts.append((person, kind, moment))
    return acts


def _local(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(moment)


def _by_hand(
    acts: list[tuple[int, str, dt.datetime]], kind: str, start: dt.date
) -> dict[int, dict[str, int]]:
    first, last = rollups.period_bounds(kind, start)
    days: dict[int, set[dt.date]] = defaultdict(set)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person, what, moment in acts:
        day = _local(moment)
        if first <= day <= last:
            days[person].add(day)
            if what != "visit":
                counts[person][KIND_FIELDS[what]] += 1
    return {p: {"active_days": len(d), **counts[p]} for p, d in days.items()}


def test_period_roll_ups_equal_a_recomputation_from_the_raw_events(cast: Any) -> None:
    acts = _simulate(cast, random.Random(4))
    with clock.frozen(at("2026-11-20")):
        rollups.rollup_all(full=True)
    for kind, start in [
        ("w", dt.date(2026, 10, 5)),
        ("w", dt.date(2026, 11, 9)),
        ("m", dt.date(2026, 10, 1)),
        ("m", dt.date(2026, 11, 1)),
    ]:
        expected = _by_hand(acts, kind, start)
        rows = {r.user_id: r for r in PeriodActivity.objects.filter(kind=kind, start=start)}
        assert set(rows) == set(User.objects.values_list("id", flat=True))  # every account holder has a row
        for person, row in rows.items():
            want = expected.get(person, {"active_days": 0})
            got = {
                "active_days": row.active_days,
                **{f: getattr(row, f) for f in rollups.COUNTERS if getattr(row, f)},
            }
            assert got == {k: v for k, v in want.items() if v or k == "active_days"}, (kind, start, person)


def test_rebuilding_the_days_from_raw_events_changes_nothing_and_repairs_drift(cast: Any) -> None:
    _simulate(cast, random.Random(9))
    before = sorted(DailyActivity.objects.values_list("user_id", "day", "visited", *rollups.COUNTERS))
    with clock.frozen(at("2026-11-20")):
        rollups.daily_rebuild(dt.date(2026, 9, 1))
        assert (
            sorted(DailyActivity.objects.values_list("user_id", "day", "visited", *rollups.COUNTERS))
            == before
        )
        drifted = DailyActivity.objects.filter(posts__gt=0).first()
        assert drifted is not None
        DailyActivity.objects.filter(pk=drifted.pk).update(posts=99)
        rollups.daily_rebuild(dt.date(2026, 9, 1))
    assert sorted(DailyActivity.objects.values_list("user_id", "day", "visited", *rollups.COUNTERS)) == before


def test_running_the_roll_up_twice_gives_the_same_rows(cast: Any) -> None:
    _simulate(cast, random.Random(2))
    with clock.frozen(at("2026-11-20")):
        rollups.rollup_all(full=True)
        first = sorted(PeriodActivity.objects.values_list("kind", "start", "user_id", "active_days", "posts"))
        rollups.rollup_all(full=True)
    assert (
        sorted(PeriodActivity.objects.values_list("kind", "start", "user_id", "active_days", "posts"))
        == first
    )


def test_raw_detail_is_purged_after_the_retention_period_and_the_counts_stay(
    cast: Any, settings: Any
) -> None:
    settings.INSIGHTS_RAW_RETENTION_DAYS = 30
    act_record(user_id=cast.rep.pk, kind="post", at=at("2026-09-01"))
    act_record(user_id=cast.rep.pk, kind="post", at=at("2026-11-15"))
    with clock.frozen(at("2026-11-20")):
        assert rollups.raw_purge() == 1
        rollups.daily_rebuild(
            dt.date(2026, 8, 1)
        )  # old days are out of reach of a rebuild: kept as they were
    assert ActivityEvent.objects.count() == 1
    assert DailyActivity.objects.get(user=cast.rep, day=dt.date(2026, 9, 1)).posts == 1


def test_manager_changes_open_and_close_spans(cast: Any) -> None:
    from comptoir.insights.models import ManagerSpan

    with clock.frozen(at("2026-11-01")):
        rollups.spans_reconcile()
    span = ManagerSpan.objects.get(person=cast.rep, end__isnull=True)
    assert (span.manager_id_then, span.director_id_then) == (cast.manager.pk, cast.director.pk)
    cast.rep.manager = cast.manager_trade
    cast.rep.save()
    with clock.frozen(at("2026-11-10")):
        assert rollups.spans_reconcile() == 1
        assert rollups.spans_reconcile() == 0
    spans = list(ManagerSpan.objects.filter(person=cast.rep).order_by("start"))
    assert [(s.manager_id_then, s.end) for s in spans] == [
        (cast.manager.pk, at("2026-11-10")),
        (cast.manager_trade.pk, None),
    ]


def test_group_sums_equal_the_person_rows(cast: Any) -> None:
    from django.db.models import Count, Q

    from comptoir.insights.models import GroupPeriod

    _simulate(cast, random.Random(5))
    cast.rep_trade.is_active = False
    cast.rep_trade.deactivated_at = at("2026-10-20")
    cast.rep_trade.save()
    with clock.frozen(at("2026-11-20")):
        rollups.rollup_all(full=True)
    keys = ("kind", "start", "unit_key", "region_key", "team_key", "role_key")
    from_people = {
        tuple(row[:-2]): (row[-2], row[-1])
        for row in PeriodActivity.objects.values_list(*keys)
        .annotate(n=Count("id"), a=Count("id", filter=Q(active_days__gt=0)))
        .order_by()
    }
    from_groups = {
        tuple(row[:-2]): (row[-2], row[-1])
        for row in GroupPeriod.objects.values_list(*keys, "accounts", "active")
    }
    assert from_groups == from_people and len(from_groups) > 20
