"""The participation spread read from `ParticipationWindow` histograms: its cost follows the number of
groups (teams x roles), not of people.

Who counts: everyone with a weekly row in the four weeks (they held an account then), each once, with
what they did over the four weeks, in the group (unit, region, team, role) they were in at the end of
those weeks (their latest weekly row). The filters and a manager's teams select people by that group.
`participation_recomputed` computes the same from one row per person: the reference the roll-up must
equal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from comptoir.insights.access import Scope
from comptoir.insights.models import ParticipationWindow, PeriodActivity
from comptoir.insights.rollups import BATCH
from comptoir.insights.stats import spread_of_counts

if TYPE_CHECKING:
    from comptoir.insights.selectors import Filters, Participation

WINDOW_WEEKS = 4
KINDS = ("posts", "comments", "reactions", "quizzes")
GROUP = ("unit_key", "region_key", "team_key", "role_key")


def window_weeks(week: dt.date) -> list[dt.date]:
    """The Mondays of the four weeks ending with the week `week`, oldest first."""
    return [week - dt.timedelta(weeks=i) for i in range(WINDOW_WEEKS - 1, -1, -1)]


@dataclass
class _Person:
    group: tuple[int, int, int, int]
    counts: list[int]


def _people(qs: Any) -> dict[int, _Person]:
    """Each person's group at the end of the window and their counts over it, from their weekly rows."""
    found: dict[int, _Person] = {}
    rows = qs.order_by("user_id", "start").values_list("user_id", *GROUP, *KINDS)
    for user_id, unit, region, team, role, *counts in rows.iterator(chunk_size=BATCH):
        person = found.get(user_id)
        if person is None:
            found[user_id] = _Person((unit, region, team, role), list(counts))
        else:
            person.group = (unit, region, team, role)  # the rows come oldest first: the last one wins
            person.counts = [a + b for a, b in zip(person.counts, counts, strict=True)]
    return found


def participation_window_rebuild(week: dt.date) -> int:
    """Rewrite the histograms of the four weeks ending with the week `week` from the weekly rows."""
    people = _people(
        PeriodActivity.objects.filter(kind=PeriodActivity.Kind.WEEK, start__in=window_weeks(week))
    )
    groups: dict[tuple[int, int, int, int], list[Counter[int]]] = defaultdict(
        lambda: [Counter() for _k in KINDS]
    )
    sizes: Counter[tuple[int, int, int, int]] = Counter()
    for person in people.values():
        sizes[person.group] += 1
        for histogram, count in zip(groups[person.group], person.counts, strict=True):
            if count:
                histogram[count] += 1
    rows = [
        ParticipationWindow(
            week=week,
            **dict(zip(GROUP, group, strict=True)),
            people=size,
            counts={
                kind: {str(c): n for c, n in sorted(h.items())}
                for kind, h in zip(KINDS, groups[group], strict=True)
                if h
            },
        )
        for group, size in sizes.items()
    ]
    with transaction.atomic():
        ParticipationWindow.objects.filter(week=week).delete()
        ParticipationWindow.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- Reads ------------------------------------------------------------------------------------------


class _Sums:
    """A population and, per kind, {count: people} for those with a count above zero."""

    def __init__(self) -> None:
        self.people = 0
        self.counts: dict[str, Counter[int]] = {k: Counter() for k in KINDS}

    def add_row(self, people: int, counts: dict[str, dict[str, int]], sign: int = 1) -> None:
        self.people += sign * people
        for kind, histogram in counts.items():
            target = self.counts[kind]
            for count, n in histogram.items():
                target[int(count)] += sign * n

    def add_person(self, person: _Person, sign: int = 1) -> None:
        self.people += sign
        for kind, count in zip(KINDS, person.counts, strict=True):
            if count:
                self.counts[kind][count] += sign

    def result(self, first_day: dt.date, last_day: dt.date) -> Participation:
        from comptoir.insights.selectors import Participation

        return Participation(
            first_day=first_day,
            last_day=last_day,
            population=self.people,
            by_kind={k: spread_of_counts(self.people, self.counts[k]) for k in KINDS},
        )


def _keeps(filters: Filters, group: tuple[int, int, int, int]) -> bool:
    wanted = (filters.unit, filters.region, filters.team, filters.role)
    return all(not w or w == g for w, g in zip(wanted, group, strict=True))


def latest_window(week: dt.date) -> dt.date | None:
    """The last week up to `week` whose four weeks are rolled up (one step down an index)."""
    return (
        ParticipationWindow.objects.filter(week__lte=week)
        .order_by("-week")
        .values_list("week", flat=True)
        .first()
    )


def participation_from_rollup(scope: Scope, filters: Filters, week: dt.date, today: dt.date) -> Participation:
    """Head office: the histograms of the groups kept by the filters. A manager or director: those of
    their whole teams less their own person, plus the people outside those teams, one by one (few)."""
    sums = _Sums()
    rows = filters.apply(ParticipationWindow.objects.filter(week=week))
    teams = sorted(scope.teams)
    if not scope.everyone:
        rows = rows.filter(team_key__in=teams) if teams else rows.none()
    if scope.everyone or teams:
        for people, counts in rows.values_list("people", "counts"):
            sums.add_row(people, counts)
    if not scope.everyone:
        weekly = PeriodActivity.objects.filter(kind=PeriodActivity.Kind.WEEK, start__in=window_weeks(week))
        others = sorted(scope.loose | ({scope.viewer_id} if teams else set()))
        for user_id, person in _people(weekly.filter(user_id__in=others)).items():
            if not _keeps(filters, person.group):
                continue
            in_teams = person.group[2] in scope.teams
            if user_id == scope.viewer_id and in_teams:
                sums.add_person(person, -1)  # counted in their team's row, but not theirs to read
            elif user_id in scope.loose and not in_teams:
                sums.add_person(person)
    return sums.result(window_weeks(week)[0], min(today, week + dt.timedelta(days=6)))


def participation_recomputed(scope: Scope, filters: Filters, week: dt.date, today: dt.date) -> Participation:
    """The same figures from one row per person and week: what the roll-up is checked against."""
    weekly = scope.restrict(
        PeriodActivity.objects.filter(kind=PeriodActivity.Kind.WEEK, start__in=window_weeks(week))
    )
    sums = _Sums()
    for user_id, person in _people(weekly).items():
        if (user_id != scope.viewer_id or scope.everyone) and _keeps(filters, person.group):
            sums.add_person(person)
    return sums.result(window_weeks(week)[0], today)
