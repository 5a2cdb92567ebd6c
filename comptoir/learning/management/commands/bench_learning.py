"""Benchmark of quizzes at scale: `manage.py bench_learning --attempts 1000000`.

Build the organisation first (`manage.py demo --scale 10000 --only core org`). The command creates
company-wide quizzes, fills attempts (with their answers) and the roll-ups up to N attempts with raw
bulk inserts, then goes through the full Django stack (middleware, session, templates) and prints
the SQL queries and the median and 95th-percentile server time of: starting a quiz, showing and
answering a question (pages and API), the author's analytics page (and its API and CSV-free view),
the quiz list and one's own results.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from comptoir.core.models import PracticeTopic
from comptoir.core.progress import ProgressBar
from comptoir.learning import services
from comptoir.learning.models import AnswerStat, Attempt, AttemptAnswer, Choice, Question, Quiz, QuizResult
from comptoir.learning.specs import ChoiceSpec, QuestionSpec
from comptoir.org.models import User

QUESTIONS = 5
BATCH = 20_000


class Command(BaseCommand):
    help = "Fill up to N quiz attempts and time starting, answering and the analytics (queries, median, p95)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--attempts", type=int, default=1_000_000)
        parser.add_argument("--quizzes", type=int, default=200)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--answers", type=float, default=1.0, help="share of the filled attempts whose answers are stored too (0..1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people = list(User.objects.filter(is_active=True).values_list("id", "team_id", "region_id"))
        hq = User.objects.filter(role__code="hq", is_active=True).order_by("id").first()
        if len(people) < 100 or hq is None:
            raise CommandError("Build the organisation first: manage.py demo --scale 10000 --only core org")
        rng = random.Random(options["seed"])
        quizzes = self.ensure_quizzes(hq, options["quizzes"])
        missing = options["attempts"] - Attempt.objects.count()
        if missing > 0:
            started = time.monotonic()
            self.fill(missing, quizzes, people, rng, answers_share=options["answers"])
            self.stdout.write(f"filled {missing:,} attempts in {time.monotonic() - started:.0f}s")
        self.measure(hq, quizzes, people, options["runs"])

    def ensure_quizzes(self, hq: User, count: int) -> list[Quiz]:
        existing = list(Quiz.objects.filter(title__startswith="Bench ").order_by("id"))
        topic = PracticeTopic.objects.order_by("id").first()
        specs = [
            QuestionSpec(
                kind="single",
                text=f"Question {i + 1} du banc d'essai",
                choices=[ChoiceSpec("Réponse A", correct=True), ChoiceSpec("Réponse B"), ChoiceSpec("Réponse C"), ChoiceSpec("Réponse D")],
            )
            for i in range(QUESTIONS)
        ]
        for index in range(len(existing), count):
            quiz = services.quiz_create(
                author=hq,
                settings=services.QuizSettings(title=f"Bench {index + 1}", audience="company", topic=topic),
                questions=specs,
            )
            services.quiz_publish(quiz=quiz, actor=hq)
            existing.append(quiz)
        return existing[:count]

    def fill(
        self, count: int, quizzes: list[Quiz], people: Sequence[tuple[int, Any, Any]], rng: random.Random, answers_share: float = 1.0
    ) -> None:
        """Raw inserts with explicit ids: each person takes about half the quizzes, once or twice."""
        questions: dict[int, list[int]] = {}
        right: dict[int, int] = {}
        choices: dict[int, list[int]] = {}
        for qid, quiz_id in Question.objects.filter(quiz__in=quizzes).order_by("position", "id").values_list("id", "quiz_id"):
            questions.setdefault(quiz_id or 0, []).append(qid)
        for cid, qid, correct in Choice.objects.filter(question__quiz__in=quizzes).values_list("id", "question_id", "is_correct"):
            choices.setdefault(qid, []).append(cid)
            if correct:
                right[qid] = cid
        order_json = {qid: json.dumps(ids) for qid, ids in choices.items()}
        taken = set(Attempt.objects.values_list("quiz_id", "user_id").distinct())
        # Random pairs are drawn until enough are new: keep most pairs free so the draw stays quick.
        if len(taken) + count > 0.7 * len(quizzes) * len(people):
            raise CommandError("Too many attempts for these people and quizzes: pass more --quizzes.")
        next_attempt = (Attempt.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        next_answer = (AttemptAnswer.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        # Datetimes as the backend stores them, computed once per attempt (adapting millions of values
        # one by one costs more than the inserts): naive UTC text on SQLite, aware values elsewhere.
        sqlite = connection.vendor == "sqlite"
        now = timezone.now().astimezone(dt.UTC)

        def adapt(value: dt.datetime | None) -> Any:
            if value is None or not sqlite:
                return value
            return value.replace(tzinfo=None).isoformat(" ")

        tables = {m: m._meta.db_table for m in (Attempt, AttemptAnswer, QuizResult)}
        attempt_cols = ["id", "quiz_id", "user_id", "number", "status", "started_at", "deadline", "finished_at",
                        "question_count", "points", "score", "passed", "team_id", "region_id"]  # fmt: skip
        answer_cols = ["id", "attempt_id", "question_id", "position", "choice_order", "shown_at", "answered_at", "answer",
                       "timed_out", "points", "correct"]  # fmt: skip
        result_cols = ["quiz_id", "user_id", "team_id", "region_id", "attempts", "best_score", "last_score", "passed",
                       "first_finished_at", "passed_at"]  # fmt: skip

        def sql(table: str, cols: list[str]) -> str:
            return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608

        stats: dict[tuple[int, int, str, bool], int] = {}
        bar = ProgressBar("attempts", count, stream=self.stdout)
        done = 0
        while done < count:
            attempts_rows: list[tuple[Any, ...]] = []
            answer_rows: list[tuple[Any, ...]] = []
            result_rows: list[tuple[Any, ...]] = []
            while len(attempts_rows) < BATCH and done + len(attempts_rows) < count:
                quiz, (user_id, team_id, region_id) = rng.choice(quizzes), rng.choice(people)
                if (quiz.pk, user_id) in taken:
                    continue
                taken.add((quiz.pk, user_id))
                skill = 0.35 + (user_id % 60) / 100
                tries = 1 if rng.random() < 0.8 else 2
                best = last = 0.0
                passed_at = None
                first_at = None
                made = 0
                for number in range(1, tries + 1):
                    if len(attempts_rows) >= BATCH or done + len(attempts_rows) >= count:
                        break
                    started = now - dt.timedelta(seconds=rng.uniform(0, 365 * 86400))
                    at = started
                    points = 0
                    store = rng.random() < answers_share
                    for position, qid in enumerate(questions[quiz.pk], start=1):
                        ok = rng.random() < skill
                        given = right[qid] if ok else rng.choice(choices[qid])
                        ok = given == right[qid]
                        points += ok
                        if store:
                            moment = adapt(at + dt.timedelta(seconds=20 * position))
                            answer_rows.append(
                                (next_answer, next_attempt, qid, position, order_json[qid], moment, moment, f"[{given}]", False, float(ok), ok)
                            )
                            next_answer += 1
                        key = (quiz.pk, qid, str(given), ok)
                        stats[key] = stats.get(key, 0) + 1
                    at += dt.timedelta(seconds=20 * QUESTIONS)
                    score = round(100 * points / QUESTIONS, 1)
                    passed = score >= quiz.pass_mark
                    attempts_rows.append(
                        (next_attempt, quiz.pk, user_id, number, "finished", adapt(started), None, adapt(at), QUESTIONS,
                         float(points), score, passed, team_id, region_id)
                    )  # fmt: skip
                    next_attempt += 1
                    made += 1
                    first_at = first_at or at
                    best, last = max(best, score), score
                    if passed and passed_at is None:
                        passed_at = at
                if first_at is not None:
                    result_rows.append(
                        (quiz.pk, user_id, team_id, region_id, made, best, last, passed_at is not None, adapt(first_at), adapt(passed_at))
                    )
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql(tables[Attempt], attempt_cols), attempts_rows)
                cursor.executemany(sql(tables[AttemptAnswer], answer_cols), answer_rows)
                cursor.executemany(sql(tables[QuizResult], result_cols), result_rows)
            done += len(attempts_rows)
            bar.update(done)
        bar.finish()
        table = AnswerStat._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (quiz_id, question_id, answer_key, correct, count) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
                f"ON CONFLICT (quiz_id, question_id, answer_key) DO UPDATE SET count = {table}.count + excluded.count",
                [(quiz_id, qid, key, ok, n) for (quiz_id, qid, key, ok), n in stats.items()],
            )

    def measure(self, author: User, quizzes: list[Quiz], people: Sequence[tuple[int, Any, Any]], runs: int) -> None:
        quiz = quizzes[0]
        results = QuizResult.objects.filter(quiz=quiz).count()
        self.stdout.write(
            f"\n{Attempt.objects.count():,} attempts, {AttemptAnswer.objects.count():,} answers, "
            f"{QuizResult.objects.count():,} results, {len(people):,} people; quiz {quiz.pk} has {results:,} results\n"
        )
        takers = set(QuizResult.objects.filter(quiz=quiz).values_list("user_id", flat=True))
        fresh = [User.objects.get(pk=p[0]) for p in people if p[0] not in takers and p[0] != author.pk][: runs + 2]
        if len(fresh) < runs + 2:
            raise CommandError("Not enough people left who have not taken the first quiz: use fewer attempts or more people.")
        manager = User.objects.filter(role__code="manager", managed_teams__isnull=False).order_by("id").first() or author
        rows: list[tuple[str, int, list[float]]] = []
        with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
            clients = []
            for person in fresh:
                client = Client()
                client.force_login(person)
                client.get("/quizzes/")  # the day's first visit is recorded once; warm caches
                clients.append(client)

            def timed(label: str, calls: list[Callable[[], Any]]) -> None:
                connection.queries_log.clear()  # a full log (DEBUG) would make the capture look empty
                with CaptureQueriesContext(connection) as queries:
                    response = calls[0]()
                if response.status_code not in (200, 201, 302):
                    raise CommandError(f"{label} answered {response.status_code}: {response.content[:200]!r}")
                timings = []
                for call in calls[1:]:
                    started = time.perf_counter()
                    call()
                    timings.append((time.perf_counter() - started) * 1000)
                rows.append((label, len(queries.captured_queries), timings))

            half = len(clients) // 2
            web, api = clients[:half], clients[half:]
            timed("start a quiz (page)", [lambda c=c: c.post(f"/quizzes/{quiz.pk}/start/") for c in web])  # type: ignore[misc]
            timed("start a quiz (API)", [lambda c=c: c.post(f"/api/quizzes/{quiz.pk}/attempts") for c in api])  # type: ignore[misc]
            web_attempts = [Attempt.objects.get(quiz=quiz, user_id=c.session["_auth_user_id"]) for c in web]
            api_attempts = [Attempt.objects.get(quiz=quiz, user_id=c.session["_auth_user_id"]) for c in api]
            timed("show a question (page)", [lambda c=c, a=a: c.get(f"/quizzes/attempts/{a.pk}/q/1/") for c, a in zip(web, web_attempts, strict=True)])  # type: ignore[misc]
            timed("answer a question (page)", [lambda c=c, a=a: c.post(f"/quizzes/attempts/{a.pk}/q/1/", {"pick": "0"}) for c, a in zip(web, web_attempts, strict=True)])  # type: ignore[misc]
            timed("answer a question (API)", [lambda c=c, a=a: c.post(f"/api/quizzes/attempts/{a.pk}/answer", {"position": 1, "picks": [0]}, content_type="application/json") for c, a in zip(api, api_attempts, strict=True)])  # type: ignore[misc]
            author_client = Client()
            author_client.force_login(author)
            author_client.get(f"/quizzes/{quiz.pk}/analytics/")
            timed("author's analytics page", [lambda: author_client.get(f"/quizzes/{quiz.pk}/analytics/")] * (runs + 1))
            timed("analytics (API)", [lambda: author_client.get(f"/api/quizzes/{quiz.pk}/analytics")] * (runs + 1))
            manager_client = Client()
            manager_client.force_login(manager)
            manager_client.get(f"/quizzes/{quiz.pk}/analytics/")
            timed("manager's analytics (with who has not taken it)", [lambda: manager_client.get(f"/quizzes/{quiz.pk}/analytics/")] * (runs + 1))
            busy = User.objects.get(pk=QuizResult.objects.filter(quiz=quiz).order_by("id").values_list("user_id", flat=True)[0])
            busy_client = Client()
            busy_client.force_login(busy)
            busy_client.get("/quizzes/")
            timed("quiz list", [lambda: busy_client.get("/quizzes/")] * (runs + 1))
            timed("my results", [lambda: busy_client.get("/quizzes/results/")] * (runs + 1))
        self.stdout.write(f"{'request':<50} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
        for label, count, timings in rows:
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            self.stdout.write(f"{label:<50} {count:>7} {statistics.median(timings):>10.1f} {p95:>8.1f}")
