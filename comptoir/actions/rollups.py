"""The closed-loop roll-up: counts per month x unit x region, and duration histograms for medians.

Every service that moves an action calls `bump` in the same transaction, so the roll-up stays exact;
`rebuild` recomputes it from the actions (a command runs it) and a test checks both agree.

`followed` counts detractor responses that at least one action was raised from, in the month the
customer answered and under the unit and region snapshotted on the response: divided by the
detractors of that month (the customer's voice keeps those in its own roll-up), it is the share of
detractors followed by an action. A response corrected (detractor <-> not) or deleted in the
customer's voice after an action was raised from it moves the count in the same transaction, through
the voice's `response_rescored` signal (`on_response_rescored`). `rebuild_action_rollups` runs on the
schedule (`comptoir.core.schedule`) as a safety net, and to fold in any change made behind the
services' back (a raw SQL fix, a restored backup).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from comptoir.actions.models import Action, ActionStat
from comptoir.voice.models import DETRACTOR_MAX, Response

CREATED = "created"
FROM_RESPONSE = "from_response"
FOLLOWED = "followed"
FIRST_RESPONSE = "first_response"
CLOSURE = "closure"

# Upper bounds (hours) of the duration buckets; the last bucket is open-ended. The median is read by
# linear interpolation inside the bucket that holds it, so it is exact to within that bucket.
BUCKET_HOURS: tuple[float, ...] = (1, 4, 8, 24, 48, 72, 120, 168, 336, 720, 1440)


def month_of(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        if timezone.is_aware(moment):
            return month_finder()(moment)
        moment = moment.date()
    return moment.replace(day=1)


@functools.cache
def _local_month_starts(zone: str) -> tuple[list[dt.datetime], list[dt.date]]:
    """The first instant (in UTC) of every month from 1990 to 2100 in the time zone `zone`, and the
    month. In UTC because comparing two datetimes of the same time zone object skips the offset
    computation that made the bisection slow."""
    tz = zoneinfo.ZoneInfo(zone)
    months = [dt.date(year, month, 1) for year in range(1990, 2101) for month in range(1, 13)]
    return [dt.datetime.combine(month, dt.time(), tzinfo=tz).astimezone(dt.UTC) for month in months], months


def month_finder() -> Callable[[dt.datetime], dt.date]:
    """The local month of an aware moment, for the time zone active now, by bisecting the months'
    first instants: a rebuild reads millions of dates, and `localtime()` for each took minutes."""
    zone = timezone.get_current_timezone()
    if not isinstance(zone, zoneinfo.ZoneInfo) or zone.key is None:
        return lambda moment: timezone.localtime(moment, zone).date().replace(day=1)
    starts, months = _local_month_starts(zone.key)

    def find(moment: dt.datetime) -> dt.date:
        if moment.tzinfo is not dt.UTC:
            moment = moment.astimezone(dt.UTC)
        index = bisect.bisect_right(starts, moment) - 1
        if 0 <= index < len(months) - 1:
            return months[index]
        return timezone.localtime(moment, zone).date().replace(day=1)

    return find


def bucket_of(hours: float) -> int:
    return bisect.bisect_left(BUCKET_HOURS, max(hours, 0))


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def bump(
    *, metric: str, month: dt.date, unit_id: int | None, region_id: int | None, bucket: int = 0, by: int = 1
) -> None:
    key = {
        "metric": metric,
        "month": month,
        "unit_key": unit_id or 0,
        "region_key": region_id or 0,
        "bucket": bucket,
    }
    if ActionStat.objects.filter(**key).update(count=F("count") + by):
        return
    try:
        with transaction.atomic():
            ActionStat.objects.create(count=by, **key)
    except IntegrityError:
        # Another worker created the row between our update and insert: add to it instead.
        ActionStat.objects.filter(**key).update(count=F("count") + by)


def on_created(action: Action, *, from_response: bool = False) -> None:
    month = month_of(action.created_at)
    bump(metric=CREATED, month=month, unit_id=action.unit_id, region_id=action.region_id)
    if from_response:
        bump(metric=FROM_RESPONSE, month=month, unit_id=action.unit_id, region_id=action.region_id)


def _is_detractor_score(nps: int | None) -> bool:
    return nps is not None and nps <= DETRACTOR_MAX


def on_raised_from(action: Action, response: Response) -> None:
    """Count `response` as followed the first time an action is raised from it (detractors only)."""
    # Lock the response so that two actions raised from it at once count it once (the second
    # transaction waits here, then sees the first one's action), and read its score again under the
    # lock: a correction committed since `response` was loaded has changed it.
    locked = Response.objects.select_for_update().filter(pk=response.pk).values_list("nps", flat=True).first()
    if not _is_detractor_score(locked):
        return
    if Action.objects.filter(response_id=response.pk).exclude(pk=action.pk).exists():
        return
    bump(
        metric=FOLLOWED,
        month=month_of(response.answered_at),
        unit_id=response.unit_id,
        region_id=response.region_id,
    )


def on_response_rescored(
    sender: object, *, response_id: int, answered_at: dt.datetime, unit_id: int | None, region_id: int | None,
    nps_before: int | None, nps_after: int | None, deleted: bool = False, **kwargs: object,
) -> None:  # fmt: skip
    """A response changed score, or is being deleted: if actions were raised from it, move the
    `followed` count of the month the customer answered when it crossed the detractor line, and on
    deletion uncount those actions as raised from a response (they stay, without their response).

    Runs inside the voice's transaction, with the response locked, so that it commits with the
    change and cannot interleave with `on_raised_from`, which takes the same lock."""
    raised = list(
        Action.objects.filter(response_id=response_id).values_list("created_at", "unit_id", "region_id")
    )
    if not raised:
        return
    was, now = _is_detractor_score(nps_before), _is_detractor_score(nps_after)
    if was != now:
        bump(
            metric=FOLLOWED,
            month=month_of(answered_at),
            unit_id=unit_id,
            region_id=region_id,
            by=1 if now else -1,
        )
    if deleted:
        for created_at, action_unit_id, action_region_id in raised:
            bump(
                metric=FROM_RESPONSE,
                month=month_of(created_at),
                unit_id=action_unit_id,
                region_id=action_region_id,
                by=-1,
            )


def on_first_response(action: Action) -> None:
    assert action.first_response_at is not None
    bump(
        metric=FIRST_RESPONSE,
        month=month_of(action.first_response_at),
        unit_id=action.unit_id,
        region_id=action.region_id,
        bucket=bucket_of(_hours(action.created_at, action.first_response_at)),
    )


def on_closed(action: Action, *, by: int = 1) -> None:
    """Count (or, with by=-1 on reopening, uncount) the closure of a done action."""
    assert action.closed_at is not None
    bump(
        metric=CLOSURE,
        month=month_of(action.closed_at),
        unit_id=action.unit_id,
        region_id=action.region_id,
        bucket=bucket_of(_hours(action.created_at, action.closed_at)),
        by=by,
    )


def _count(
    counts: Counter[tuple[object, ...]],
    row: tuple[dt.datetime, dt.datetime | None, dt.datetime | None, str, int | None, int | None],
    from_response: bool,
    month_of: Callable[[dt.datetime], dt.date],
) -> None:
    created_at, first_response_at, closed_at, status, unit_id, region_id = row
    unit, region = unit_id or 0, region_id or 0
    month = month_of(created_at)
    counts[(CREATED, month, unit, region, 0)] += 1
    if from_response:
        counts[(FROM_RESPONSE, month, unit, region, 0)] += 1
    if first_response_at is not None:
        bucket = bucket_of(_hours(created_at, first_response_at))
        counts[(FIRST_RESPONSE, month_of(first_response_at), unit, region, bucket)] += 1
    if status == Action.Status.DONE and closed_at is not None:
        bucket = bucket_of(_hours(created_at, closed_at))
        counts[(CLOSURE, month_of(closed_at), unit, region, bucket)] += 1


ROW_FIELDS = ("created_at", "first_response_at", "closed_at", "status", "unit_id", "region_id")


def expected_rows(
    actions: Iterable[Action], from_response_ids: set[int] | None = None
) -> Counter[tuple[object, ...]]:
    """The roll-up the given actions should produce (the tests compare it with the stored rows)."""
    counts: Counter[tuple[object, ...]] = Counter()
    month = month_finder()
    for a in actions:
        row = (a.created_at, a.first_response_at, a.closed_at, a.status, a.unit_id, a.region_id)
        _count(counts, row, from_response_ids is not None and a.pk in from_response_ids, month)
    return counts


def expected_followed() -> Counter[tuple[object, ...]]:
    """The `followed` rows recomputed from the responses and the actions raised from them."""
    counts: Counter[tuple[object, ...]] = Counter()
    raised = Action.objects.filter(response__isnull=False).values("response_id")
    detractors = Response.objects.filter(nps__lte=DETRACTOR_MAX, pk__in=raised).order_by()
    for answered_at, unit, region in detractors.values_list("answered_at", "unit_id", "region_id").iterator(
        chunk_size=5000
    ):
        counts[(FOLLOWED, month_of(answered_at), unit or 0, region or 0, 0)] += 1
    return counts


def recomputed_rows() -> Counter[tuple[object, ...]]:
    """The whole roll-up recomputed from the database (what `rebuild` writes; the tests compare).

    Reads plain tuples, not model instances: a million actions take seconds, not minutes."""
    counts = expected_followed()
    rows = Action.objects.order_by().values_list(*ROW_FIELDS, "response_id")
    month = month_finder()
    for *row, response_id in rows.iterator(chunk_size=20_000):
        _count(counts, tuple(row), response_id is not None, month)  # type: ignore[arg-type]
    return counts


def stored_rows() -> Counter[tuple[object, ...]]:
    counts: Counter[tuple[object, ...]] = Counter()
    for row in ActionStat.objects.filter(count__gt=0).values_list(
        "metric", "month", "unit_key", "region_key", "bucket", "count"
    ):
        counts[row[:5]] += row[5]
    return counts


@transaction.atomic
def rebuild() -> int:
    """Recompute the whole roll-up from the actions; returns the number of rows written."""
    ActionStat.objects.all().delete()
    counts = recomputed_rows()
    ActionStat.objects.bulk_create(
        [
            ActionStat(metric=m, month=mo, unit_key=u, region_key=r, bucket=b, count=c)  # type: ignore[misc]
            for (m, mo, u, r, b), c in counts.items()
        ],
        batch_size=5000,
    )
    return len(counts)


def median_from_buckets(counts: dict[int, int]) -> float | None:
    """The median duration (hours), interpolated inside its bucket; None when nothing was counted."""
    total = sum(counts.values())
    if total <= 0:
        return None
    half = total / 2
    running = 0
    for bucket in range(len(BUCKET_HOURS) + 1):
        n = counts.get(bucket, 0)
        if n and running + n >= half:
            low = BUCKET_HOURS[bucket - 1] if bucket > 0 else 0.0
            high = BUCKET_HOURS[bucket] if bucket < len(BUCKET_HOURS) else low * 2
            return low + (high - low) * (half - running) / n
        running += n
    return None
