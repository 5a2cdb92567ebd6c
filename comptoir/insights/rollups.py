"""Rebuilding the roll-ups: days from the raw events, weeks and months from the days, and the
hierarchy's history. `manage.py insights_rollup` runs these on a schedule; each is idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from comptoir.core import clock
from comptoir.insights.models import (
    KIND_FIELDS,
    ActivityEvent,
    DailyActivity,
    GroupPeriod,
    ManagerSpan,
    PeriodActivity,
)
from comptoir.org.models import User

COUNTERS = ("posts", "comments", "reactions", "quizzes", "actions_closed")
BATCH = 5000


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_bounds(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the period."""
    if kind == PeriodActivity.Kind.WEEK:
        return start, start + dt.timedelta(days=6)
    return start, next_month(start) - dt.timedelta(days=1)


def periods_between(kind: str, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The starts of the periods of `kind` that touch the days first..last."""
    current = week_start(first) if kind == PeriodActivity.Kind.WEEK else month_start(first)
    while current <= last:
        yield current
        current = current + dt.timedelta(days=7) if kind == PeriodActivity.Kind.WEEK else next_month(current)


def retention_days() -> int:
    return int(getattr(settings, "INSIGHTS_RAW_RETENTION_DAYS", 180))


# --- Days from raw events ---------------------------------------------------------------------------


def daily_rebuild(since: dt.date, until: dt.date | None = None) -> int:
    """Recount the acts of each person-day from the raw events (the visits are kept as they are).

    Only days still inside the retention period can be rebuilt: older days have lost their detail
    and keep their counts.
    """
    until = until or clock.today()
    since = max(since, clock.today() - dt.timedelta(days=retention_days()))
    counted: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    events = (
        ActivityEvent.objects.filter(day__gte=since, day__lte=until)
        .values_list("user_id", "day", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for user_id, day, kind, n in events:
        field = KIND_FIELDS.get(kind)
        if field:
            counted[(user_id, day)][field] += n
    with transaction.atomic():
        existing = {
            (row.user_id, row.day): row
            for row in DailyActivity.objects.filter(day__gte=since, day__lte=until)
        }
        to_update, to_delete = [], []
        for key, row in existing.items():
            counts = counted.pop(key, dict.fromkeys(COUNTERS, 0))
            if not row.visited and not any(counts.values()):
                to_delete.append(row.pk)
                continue
            if any(getattr(row, f) != v for f, v in counts.items()):
                for f, v in counts.items():
                    setattr(row, f, v)
                to_update.append(row)
        DailyActivity.objects.bulk_update(to_update, list(COUNTERS), batch_size=BATCH)
        DailyActivity.objects.filter(pk__in=to_delete).delete()
        DailyActivity.objects.bulk_create(
            [DailyActivity(user_id=u, day=d, **counts) for (u, d), counts in counted.items()],
            batch_size=BATCH,
        )
    return len(existing) + len(counted)


# --- Weeks and months from days -----------------------------------------------------------------------


def period_rebuild(kind: str, start: dt.date) -> int:
    """Rewrite one period's rows: one per account holder (active or not) and per person active in it,
    then their sums per group. Two INSERT ... SELECT statements: the database does the work.

    An account counts from its creation until its deactivation (both days included); an inactive
    account without a deactivation date never counted. Someone active in the period counts anyway.
    """
    first, last = period_bounds(kind, start)
    ops = connection.ops
    begin = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    person, daily, user = PeriodActivity._meta.db_table, DailyActivity._meta.db_table, User._meta.db_table
    group = GroupPeriod._meta.db_table
    sums = ", ".join(f"SUM({f}) AS {f}" for f in COUNTERS)
    person_sql = f"""
        INSERT INTO {person} (kind, start, user_id, unit_key, region_key, team_key, role_key, active_days, {", ".join(COUNTERS)})
        SELECT %s, %s, u.id, COALESCE(u.unit_id, 0), COALESCE(u.region_id, 0), COALESCE(u.team_id, 0), COALESCE(u.role_id, 0),
               COALESCE(d.n, 0), {", ".join(f"COALESCE(d.{f}, 0)" for f in COUNTERS)}
        FROM {user} u
        LEFT JOIN (SELECT user_id, COUNT(*) AS n, {sums} FROM {daily} WHERE day >= %s AND day <= %s GROUP BY user_id) d
            ON d.user_id = u.id
        WHERE (u.date_joined < %s AND (u.is_active = %s OR u.deactivated_at >= %s)) OR d.user_id IS NOT NULL
    """  # noqa: S608 - table and column names come from the models, values are parameters
    group_sql = f"""
        INSERT INTO {group} (kind, start, unit_key, region_key, team_key, role_key, accounts, active)
        SELECT kind, start, unit_key, region_key, team_key, role_key, COUNT(*), SUM(CASE WHEN active_days > 0 THEN 1 ELSE 0 END)
        FROM {person} WHERE kind = %s AND start = %s
        GROUP BY kind, start, unit_key, region_key, team_key, role_key
    """  # noqa: S608
    day = ops.adapt_datefield_value
    moment = ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        PeriodActivity.objects.filter(kind=kind, start=start).delete()
        GroupPeriod.objects.filter(kind=kind, start=start).delete()
        cursor.execute(
            person_sql, [kind, day(start), day(first), day(last), moment(end), True, moment(begin)]
        )
        written = cursor.rowcount
        cursor.execute(group_sql, [kind, day(start)])
    return written


def periods_rebuild(since: dt.date, until: dt.date | None = None) -> int:
    """Weeks and months from `since` to `until`, then the participation histograms of the four weeks
    ending with each of those weeks (a later window would hold a week not yet begun)."""
    from comptoir.insights.participation import participation_window_rebuild

    until = until or clock.today()
    written = 0
    for kind in (PeriodActivity.Kind.WEEK, PeriodActivity.Kind.MONTH):
        for start in periods_between(kind, since, until):
            written += period_rebuild(kind, start)
    for start in periods_between(PeriodActivity.Kind.WEEK, since, until):
        participation_window_rebuild(start)
    return written


# --- The hierarchy's history ----------------------------------------------------------------------------


def spans_reconcile(
    at: dt.datetime | None = None, *, around: int | None = None, around_all: list[int] | None = None
) -> int:
    """Close and open `ManagerSpan`s so that each person's open span names their current manager and
    director (their manager's manager). Returns how many people changed.

    `around`: only that person and their direct reports (whose director they are), as when one person's
    manager has just changed; `around_all` the same for many people at once (a chunk of the people
    import); by default everyone, as the scheduled run does to catch what nothing announced. A person
    seen for the first time gets a span from the day their account was created.
    """
    if around_all is not None:
        return sum(_spans_reconcile(at, around_all[i : i + 500]) for i in range(0, len(around_all), 500))
    return _spans_reconcile(at, None if around is None else [around])


def _spans_reconcile(at: dt.datetime | None, around: list[int] | None) -> int:
    at = at or clock.now()
    people = User.objects.all()
    spans = ManagerSpan.objects.filter(end__isnull=True)
    if around is not None:
        people = people.filter(Q(pk__in=around) | Q(manager_id__in=around))
        spans = spans.filter(Q(person_id__in=around) | Q(person__manager_id__in=around))
    current = {
        pk: (manager or 0, director or 0, joined)
        for pk, manager, director, joined in people.values_list(
            "id", "manager_id", "manager__manager_id", "date_joined"
        )
    }
    open_spans = {s.person_id: s for s in spans}
    to_close, to_open = [], []
    for pk, (manager, director, joined) in current.items():
        span = open_spans.get(pk)
        if span is not None and (span.manager_id_then, span.director_id_then) == (manager, director):
            continue
        if span is not None:
            span.end = at
            to_close.append(span)
        start = at if span is not None else min(joined, at)
        to_open.append(
            ManagerSpan(person_id=pk, manager_id_then=manager, director_id_then=director, start=start)
        )
    with transaction.atomic():
        ManagerSpan.objects.bulk_update(to_close, ["end"], batch_size=BATCH)
        ManagerSpan.objects.bulk_create(to_open, batch_size=BATCH)
    return len(to_open)


# --- Retention ---------------------------------------------------------------------------------------------


def raw_purge(now: dt.datetime | None = None) -> int:
    """Delete the raw detail older than the retention period; the daily roll-ups stay."""
    limit = (now or clock.now()) - dt.timedelta(days=retention_days())
    deleted, _by_model = ActivityEvent.objects.filter(at__lt=limit).delete()
    return deleted


def attention_rebuild(since: dt.datetime) -> int:
    from comptoir.insights.attention import attention_rebuild as rebuild

    return rebuild(since)


def spread_rebuild(since: dt.datetime) -> int:
    from comptoir.insights.practices import spread_rebuild as rebuild

    return rebuild(since)


def rollup_all(*, since: dt.date | None = None, full: bool = False) -> dict[str, int]:
    """What the scheduled command does: by default the current and previous week and month."""
    today = clock.today()
    if full:
        first = DailyActivity.objects.order_by("day").values_list("day", flat=True).first() or today
    else:
        # Late events of the week (and month) that just ended are caught by the next morning's run.
        a_week_ago = today - dt.timedelta(days=7)
        first = since or min(week_start(a_week_ago), month_start(a_week_ago))
    report = {"people_moved": spans_reconcile()}
    report["days"] = daily_rebuild(first, today)
    report["period_rows"] = periods_rebuild(first, today)
    # Reactions and reads keep coming for a while after a post: its last two months are recounted.
    posts_since = timezone.make_aware(dt.datetime.combine(first - dt.timedelta(days=60), dt.time.min))
    report["posts"] = attention_rebuild(posts_since)
    report["post_spread"] = spread_rebuild(posts_since)
    report["raw_purged"] = raw_purge()
    return report
