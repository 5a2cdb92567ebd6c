"""Filling a benchmark database with quiz attempts, fast: rows are made in plain Python in one pass
(the attempts, their answers, and every running total: results, answer counts, totals per team and
region, score bands) and written with `executemany` in large batches. No ORM object per row.

Each person takes a random share of the quizzes, once (80 %) or twice; their skill sets their odds
of a right answer. A seeded generator makes the same database from the same arguments.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from comptoir.learning.models import (
    AnswerStat,
    Attempt,
    AttemptAnswer,
    Choice,
    Question,
    Quiz,
    QuizGroupStat,
    QuizResult,
    QuizScoreBand,
)
from comptoir.learning.rollups import band_of

BATCH = 50_000  # attempts per write (about 300,000 rows with their answers)
Person = tuple[int, int | None, int | None]  # id, team, region


@dataclass
class _Totals:
    """The running totals, summed over the whole fill and written once at the end."""

    answers: dict[tuple[int, int, str, bool], int] = field(default_factory=dict)
    groups: dict[tuple[int, int, int], list[int]] = field(default_factory=dict)
    bands: dict[tuple[int, int], int] = field(default_factory=dict)


def _insert(table: str, cols: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608


ATTEMPT_COLS = ("id", "quiz_id", "user_id", "number", "status", "started_at", "deadline", "finished_at",
                "question_count", "points", "score", "passed", "team_id", "region_id")  # fmt: skip
ANSWER_COLS = ("attempt_id", "question_id", "position", "choice_order", "shown_at", "answered_at", "answer",
               "timed_out", "points", "correct")  # fmt: skip
RESULT_COLS = ("quiz_id", "user_id", "team_id", "region_id", "attempts", "best_score", "last_score", "passed",
               "first_finished_at", "passed_at")  # fmt: skip


def fill(
    count: int,
    quizzes: Sequence[Quiz],
    people: Sequence[Person],
    *,
    seed: int,
    now: dt.datetime,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Add `count` finished attempts over `quizzes` by `people` (who have not taken them yet)."""
    rng = random.Random(seed)
    quiz_ids = [q.pk for q in quizzes]
    pass_mark = {q.pk: q.pass_mark for q in quizzes}
    questions: dict[int, list[int]] = {}
    for qid, quiz_id in (
        Question.objects.filter(quiz_id__in=quiz_ids).order_by("position", "id").values_list("id", "quiz_id")
    ):
        questions.setdefault(quiz_id or 0, []).append(qid)
    choices: dict[int, list[int]] = {}
    right: dict[int, int] = {}
    for cid, qid, correct in Choice.objects.filter(question__quiz_id__in=quiz_ids).values_list(
        "id", "question_id", "is_correct"
    ):
        choices.setdefault(qid, []).append(cid)
        if correct:
            right[qid] = cid
    order_json = {qid: json.dumps(ids) for qid, ids in choices.items()}
    given_json = {cid: f"[{cid}]" for ids in choices.values() for cid in ids}
    taken: dict[int, set[int]] = {}
    for quiz_id, user_id in QuizResult.objects.filter(quiz_id__in=quiz_ids).values_list("quiz_id", "user_id"):
        taken.setdefault(quiz_id, set()).add(user_id)
    # Takers per quiz: an attempt per person and quiz on average 1.2, spread evenly over the quizzes.
    per_quiz = int(count / 1.2 / len(quizzes)) + 1
    free = min(len(people) - len(taken.get(q, ())) for q in quiz_ids)
    if per_quiz > free:
        raise ValueError(
            f"{count:,} attempts need {per_quiz:,} new takers per quiz; {free:,} are left: add quizzes."
        )
    sqlite = connection.vendor == "sqlite"

    def stamp(value: dt.datetime) -> Any:
        # SQLite stores naive UTC text: formatting once here beats adapting millions of values.
        return value.replace(tzinfo=None).isoformat(" ") if sqlite else value

    year = 365 * 86400
    next_attempt = (Attempt.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    totals = _Totals()
    attempts: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    results: list[tuple[Any, ...]] = []
    done = 0
    for quiz_id in quiz_ids:
        if done >= count:
            break
        own = questions[quiz_id]
        size = len(own)
        mark = pass_mark[quiz_id]
        already = taken.get(quiz_id, set())
        candidates = [p for p in people if p[0] not in already]
        for user_id, team_id, region_id in rng.sample(candidates, per_quiz):
            if done >= count:
                break
            skill = 0.35 + (user_id % 60) / 100
            tries = 1 if rng.random() < 0.8 else 2
            started = now - dt.timedelta(seconds=rng.random() * year)
            best = last = -1.0
            first_at = passed_at = None
            made = 0
            for number in range(1, tries + 1):
                if done >= count:
                    break
                points = 0
                moments = [stamp(started + dt.timedelta(seconds=20 * p)) for p in range(size + 1)]
                for position, qid in enumerate(own, start=1):
                    good = right[qid]
                    given = good if rng.random() < skill else rng.choice(choices[qid])
                    ok = given == good
                    points += ok
                    at = moments[position]
                    answers.append(
                        (
                            next_attempt,
                            qid,
                            position,
                            order_json[qid],
                            at,
                            at,
                            given_json[given],
                            False,
                            float(ok),
                            ok,
                        )
                    )
                    key = (quiz_id, qid, str(given), ok)
                    totals.answers[key] = totals.answers.get(key, 0) + 1
                score = round(100 * points / size, 1)
                passed = score >= mark
                finished = moments[size]
                attempts.append(
                    (next_attempt, quiz_id, user_id, number, "finished", moments[0], None, finished, size,
                     float(points), score, passed, team_id, region_id)
                )  # fmt: skip
                next_attempt += 1
                done += 1
                made += 1
                first_at = first_at or finished
                best, last = max(best, score), score
                if passed and passed_at is None:
                    passed_at = finished
                started += dt.timedelta(hours=1 + rng.random() * 72)
            results.append(
                (
                    quiz_id,
                    user_id,
                    team_id,
                    region_id,
                    made,
                    best,
                    last,
                    passed_at is not None,
                    first_at,
                    passed_at,
                )
            )
            group = totals.groups.setdefault((quiz_id, team_id or 0, region_id or 0), [0, 0])
            group[0] += 1
            group[1] += passed_at is not None
            band = (quiz_id, band_of(best))
            totals.bands[band] = totals.bands.get(band, 0) + 1
            if len(attempts) >= BATCH:
                _write(attempts, answers, results)
                attempts, answers, results = [], [], []
                progress(done)
    _write(attempts, answers, results)
    progress(done)
    _write_totals(totals)
    return done


def _write(
    attempts: list[tuple[Any, ...]], answers: list[tuple[Any, ...]], results: list[tuple[Any, ...]]
) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_insert(Attempt._meta.db_table, ATTEMPT_COLS), attempts)
        cursor.executemany(_insert(AttemptAnswer._meta.db_table, ANSWER_COLS), answers)
        cursor.executemany(_insert(QuizResult._meta.db_table, RESULT_COLS), results)


def _write_totals(totals: _Totals) -> None:
    """Add the fill's totals to those already there (a fill may extend an earlier one)."""
    stat, group, band = (m._meta.db_table for m in (AnswerStat, QuizGroupStat, QuizScoreBand))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {stat} (quiz_id, question_id, answer_key, correct, count) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (quiz_id, question_id, answer_key) DO UPDATE SET count = {stat}.count + excluded.count",
            [(q, qid, key, ok, n) for (q, qid, key, ok), n in totals.answers.items()],
        )
        cursor.executemany(
            f"INSERT INTO {group} (quiz_id, team_key, region_key, takers, passed) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (quiz_id, team_key, region_key) DO UPDATE SET takers = {group}.takers + excluded.takers, "
            f"passed = {group}.passed + excluded.passed",
            [(q, t, r, n, p) for (q, t, r), (n, p) in totals.groups.items()],
        )
        cursor.executemany(
            f"INSERT INTO {band} (quiz_id, band, count) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (quiz_id, band) DO UPDATE SET count = {band}.count + excluded.count",
            [(q, b, n) for (q, b), n in totals.bands.items()],
        )
