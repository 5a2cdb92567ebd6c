"""The running totals the author's analytics read: per team and region (takers, passed) and per score
band. Kept as results change, inside the transaction that finished the attempt, with single-row
upserts that stay exact under concurrent finishes on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from comptoir.learning.models import QuizGroupStat, QuizResult, QuizScoreBand

BANDS = 10


def band_of(score: float) -> int:
    """0 for 0-9 %, ..., 9 for 90-100 %."""
    return max(0, min(BANDS - 1, int(score // 10)))


def group_add(quiz_id: int, team_id: int | None, region_id: int | None, *, takers: int, passed: int) -> None:
    table = QuizGroupStat._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (quiz_id, team_key, region_key, takers, passed) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (quiz_id, team_key, region_key) DO UPDATE SET takers = {table}.takers + excluded.takers, "
            f"passed = {table}.passed + excluded.passed",
            [quiz_id, team_id or 0, region_id or 0, takers, passed],
        )


def band_add(quiz_id: int, band: int, count: int) -> None:
    table = QuizScoreBand._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (quiz_id, band, count) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (quiz_id, band) DO UPDATE SET count = {table}.count + excluded.count",
            [quiz_id, band, count],
        )


def result_changed(result: QuizResult, *, created: bool, old_best: float, was_passed: bool) -> None:
    """Move the totals from the result's previous state (none when `created`) to its current one."""
    if created:
        group_add(result.quiz_id, result.team_id, result.region_id, takers=1, passed=int(result.passed))
        band_add(result.quiz_id, band_of(result.best_score), 1)
        return
    if result.passed and not was_passed:
        group_add(result.quiz_id, result.team_id, result.region_id, takers=0, passed=1)
    old_band, new_band = band_of(old_best), band_of(result.best_score)
    if old_band != new_band:
        band_add(result.quiz_id, old_band, -1)
        band_add(result.quiz_id, new_band, 1)


def rebuild(quiz_ids: Iterable[int]) -> None:
    """Recompute the totals of these quizzes from their results (after a bulk load, or to repair)."""
    ids = list(quiz_ids)
    if not ids:
        return
    QuizGroupStat.objects.filter(quiz_id__in=ids).delete()
    QuizScoreBand.objects.filter(quiz_id__in=ids).delete()
    groups: dict[tuple[int, int, int], list[int]] = {}
    bands: dict[tuple[int, int], int] = {}
    rows = QuizResult.objects.filter(quiz_id__in=ids).values_list(
        "quiz_id", "team_id", "region_id", "passed", "best_score"
    )
    for quiz_id, team_id, region_id, passed, best in rows.iterator(chunk_size=5000):
        totals = groups.setdefault((quiz_id, team_id or 0, region_id or 0), [0, 0])
        totals[0] += 1
        totals[1] += int(passed)
        key = (quiz_id, band_of(best))
        bands[key] = bands.get(key, 0) + 1
    QuizGroupStat.objects.bulk_create(
        [
            QuizGroupStat(quiz_id=q, team_key=t, region_key=r, takers=n, passed=p)
            for (q, t, r), (n, p) in groups.items()
        ],
        batch_size=2000,
    )
    QuizScoreBand.objects.bulk_create(
        [QuizScoreBand(quiz_id=q, band=b, count=n) for (q, b), n in bands.items()], batch_size=2000
    )
