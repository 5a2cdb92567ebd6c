"""Benchmark of quizzes at scale: `manage.py bench_learning --attempts 1000000`.

Build the organisation first (`manage.py demo --scale 10000 --only core org`). The command creates
company-wide quizzes and fills attempts (with their answers and every running total) up to N, then
times through the full Django stack, with `comptoir.core.bench`: starting a quiz, showing and
answering a question (pages and API), the author's and a manager's analytics, the quiz list and one's
own results. `--reuse` measures the database as it is, without building or filling anything.

The timed requests run inside a transaction that is rolled back: the attempts they start are not
kept, so the same database measures the same way again (on a quiet machine, say).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from comptoir.core import clock
from comptoir.core.bench import HEADER, PageTiming, served_as_in_production, time_callable, time_page
from comptoir.core.models import PracticeTopic
from comptoir.core.progress import ProgressBar
from comptoir.learning import bench_fill, services
from comptoir.learning.models import Attempt, AttemptAnswer, Quiz, QuizResult
from comptoir.learning.specs import ChoiceSpec, QuestionSpec
from comptoir.org.models import User

QUESTIONS = 5


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Fill up to N quiz attempts and time starting, answering and the analytics (queries, SQL, median, p95, CPU)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--attempts", type=int, default=1_000_000)
        parser.add_argument("--quizzes", type=int, default=200)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--reuse", action="store_true", help="measure the existing database, build nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hq = User.objects.filter(role__code="hq", is_active=True).order_by("id").first()
        if User.objects.filter(is_active=True).count() < 100 or hq is None:
            raise CommandError("Build the organisation first: manage.py demo --scale 10000 --only core org")
        if options["reuse"]:
            quizzes = list(
                Quiz.objects.filter(title__startswith="Bench ").order_by("id")[: options["quizzes"]]
            )
            if not quizzes:
                raise CommandError("No benchmark quizzes here: run without --reuse first.")
        else:
            quizzes = self.ensure_quizzes(hq, options["quizzes"])
            self.fill(quizzes, options["attempts"], options["seed"])
        self.measure(hq, quizzes[0], options["runs"])

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
        ]  # fmt: skip
        for index in range(len(existing), count):
            quiz = services.quiz_create(
                author=hq,
                settings=services.QuizSettings(title=f"Bench {index + 1}", audience="company", topic=topic),
                questions=specs,
            )
            services.quiz_publish(quiz=quiz, actor=hq, announce=False)
            existing.append(quiz)
        return existing[:count]

    def fill(self, quizzes: list[Quiz], target: int, seed: int) -> None:
        missing = target - Attempt.objects.count()
        if missing <= 0:
            return
        people = list(
            User.objects.filter(is_active=True).order_by("id").values_list("id", "team_id", "region_id")
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # A bulk load of a throw-away benchmark file: no fsync, a larger page cache.
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA cache_size = -262144")
        started, started_cpu = time.monotonic(), time.process_time()
        bar = ProgressBar("attempts", missing, stream=self.stdout)
        try:
            made = bench_fill.fill(missing, quizzes, people, seed=seed, now=clock.now(), progress=bar.update)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        bar.finish()
        # With SQLite the CPU time includes the database engine's; on a busy machine it is the figure to compare.
        self.stdout.write(
            f"filled {made:,} attempts in {time.monotonic() - started:.0f}s ({time.process_time() - started_cpu:.0f}s CPU)"
        )

    def measure(self, author: User, quiz: Quiz, runs: int) -> None:
        per_row = runs + 4  # time_callable's 3 warm-ups and its counted call come first
        fresh = list(
            User.objects.filter(is_active=True)
            .exclude(pk=author.pk)
            .exclude(pk__in=Attempt.objects.filter(quiz=quiz).values("user_id"))
            .order_by("id")[: 2 * per_row]
        )
        if len(fresh) < 2 * per_row:
            raise CommandError("Too few people left who have not taken the first quiz: use fewer --runs.")
        manager = (
            User.objects.filter(role__code="manager", managed_teams__isnull=False).order_by("id").first()
        )
        busy_id = (
            QuizResult.objects.filter(quiz=quiz).order_by("id").values_list("user_id", flat=True).first()
        )
        self.stdout.write(
            f"\n{Attempt.objects.count():,} attempts, {AttemptAnswer.objects.count():,} answers, "
            f"{QuizResult.objects.count():,} results, {User.objects.filter(is_active=True).count():,} people; "
            f"quiz {quiz.pk} has {QuizResult.objects.filter(quiz=quiz).count():,} results\n"
        )
        rows: list[PageTiming] = []
        try:
            with served_as_in_production(), transaction.atomic():
                rows = self._timed_pages(author, manager, busy_id, quiz, fresh, per_row, runs)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(HEADER)
        for row in rows:
            self.stdout.write(row.row())

    def _timed_pages(
        self,
        author: User,
        manager: User | None,
        busy_id: int | None,
        quiz: Quiz,
        fresh: list[User],
        per_row: int,
        runs: int,
    ) -> list[PageTiming]:
        def client_of(person: User) -> Client:
            client = Client()
            client.force_login(person)
            return client

        web = [(p, client_of(p)) for p in fresh[:per_row]]
        api = [(p, client_of(p)) for p in fresh[per_row:]]
        rows = [
            time_callable("start a quiz (page)", _each(web, lambda p, c: _ok(c.post(f"/quizzes/{quiz.pk}/start/"), 302)), runs=runs),
            time_callable("start a quiz (API)", _each(api, lambda p, c: _ok(c.post(f"/api/quizzes/{quiz.pk}/attempts"), 201)), runs=runs),
        ]  # fmt: skip
        attempt_of = dict(
            Attempt.objects.filter(quiz=quiz, user_id__in=[p.pk for p in fresh]).values_list("user_id", "id")
        )
        person, client = web[0]
        rows.append(
            time_page(
                client,
                f"/quizzes/attempts/{attempt_of[person.pk]}/q/1/",
                label="show a question (page)",
                runs=runs,
            )
        )
        rows.append(time_callable(
            "answer a question (page)",
            _each(web, lambda p, c: _ok(c.post(f"/quizzes/attempts/{attempt_of[p.pk]}/q/1/", {"pick": "0"}), 302)),
            runs=runs,
        ))  # fmt: skip
        rows.append(time_callable(
            "answer a question (API)",
            _each(api, lambda p, c: _ok(c.post(f"/api/quizzes/attempts/{attempt_of[p.pk]}/answer", {"position": 1, "picks": [0]}, content_type="application/json"), 200)),
            runs=runs,
        ))  # fmt: skip
        author_client = client_of(author)
        rows.append(
            time_page(
                author_client, f"/quizzes/{quiz.pk}/analytics/", label="author's analytics page", runs=runs
            )
        )
        rows.append(
            time_page(author_client, f"/api/quizzes/{quiz.pk}/analytics", label="analytics (API)", runs=runs)
        )
        if manager is not None:
            rows.append(time_page(client_of(manager), f"/quizzes/{quiz.pk}/analytics/", label="manager's analytics (who has not taken it)", runs=runs))  # fmt: skip
        if busy_id is not None:
            busy = client_of(User.objects.get(pk=busy_id))
            rows.append(time_page(busy, "/quizzes/", label="quiz list", runs=runs))
            rows.append(time_page(busy, "/quizzes/results/", label="my results", runs=runs))
        return rows


def _each(pairs: list[tuple[User, Client]], call: Callable[[User, Client], Any]) -> Callable[[], Any]:
    """A callable that acts as the next person at each call (a start or an answer happens once)."""
    people = itertools.cycle(pairs)
    return lambda: call(*next(people))


def _ok(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise CommandError(f"answered {response.status_code}, expected {status}: {response.content[:200]!r}")
    return response
