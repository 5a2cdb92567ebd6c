"""Quizzes in the demo: a dozen French quizzes, attempts spread over the people they are for, the
results and badges that follow, a few successes shared to the feed and congratulated by managers.

Attempts are computed in memory and written with bulk_create (the roll-ups with them); the demo rep
Léa Martin takes "Les machines à café" through the services, so her manager finds the notification
and can congratulate her in one tap.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from comptoir.core import clock
from comptoir.core.demo import DemoContext
from comptoir.core.models import PracticeTopic
from comptoir.core.signals import announce_activity
from comptoir.learning import attempts, recognition, rollups, scoring, services
from comptoir.learning.demo_content import QUIZZES
from comptoir.learning.models import (
    AnswerStat,
    Attempt,
    AttemptAnswer,
    Badge,
    Choice,
    Question,
    Quiz,
    QuizResult,
)
from comptoir.learning.specs import QuestionSpec, parse_lines
from comptoir.org.models import OrgUnit, User

MAX_TAKERS_PER_QUIZ = 2000  # at --scale, the benchmark fills the volumes; the demo stays quick


def _specs(questions: list[tuple[str, str, str, str]]) -> list[QuestionSpec]:
    specs = []
    for kind, text, answers, explanation in questions:
        if kind == "true_false":
            choices = parse_lines(kind, "", correct_tf=answers)
        else:
            choices = parse_lines(kind, "\n".join(answers.split("|")))
        specs.append(
            QuestionSpec(
                kind=kind,
                text=text,
                choices=choices,
                explanation=explanation,
                partial_credit=kind == "multiple",
            )
        )
    return specs


def build(ctx: DemoContext) -> None:
    now = clock.now()
    topics = {t.name: t for t in PracticeTopic.objects.all()}
    if not topics:
        return
    hq = User.objects.filter(role__code="hq").order_by("id").first()
    lead_manager = (
        User.objects.filter(role__code="manager", team__isnull=False)
        .order_by("id")
        .select_related("team")
        .first()
    )
    if hq is None or lead_manager is None:
        return
    units = {u.code: u for u in OrgUnit.objects.all()}
    directors = {d.unit_id: d for d in User.objects.filter(role__code="director").order_by("id")}
    quizzes: list[Quiz] = []
    for index, data in enumerate(QUIZZES):
        audience = data["audience"]
        settings = services.QuizSettings(
            title=data["title"],
            title_en=data.get("title_en", ""),
            description=data.get("description", ""),
            description_en=data.get("description_en", ""),
            topic=topics.get(data["topic"]),
            audience=audience,
            pass_mark=data["pass_mark"],
            max_attempts=data.get("max_attempts"),
            time_limit_seconds=data.get("time_limit_seconds"),
            question_time_limit_seconds=data.get("question_time_limit_seconds"),
            leaderboard=data.get("leaderboard", False),
        )
        author = hq
        if audience == "unit":
            settings.unit = units[data["unit"]]
            author = directors.get(settings.unit.pk, hq)
        elif audience == "team":
            settings.team = lead_manager.team
            author = lead_manager
        quiz = services.quiz_create(author=author, settings=settings, questions=_specs(data["questions"]))
        # Quietly: the demo's people are not told of quizzes "published" months ago.
        services.quiz_publish(quiz=quiz, actor=author, announce=False)
        created = now - dt.timedelta(days=120 - 9 * index)
        Quiz.objects.filter(pk=quiz.pk).update(created_at=created, updated_at=created)
        quiz.created_at = created
        quizzes.append(quiz)
    _first_question_in_english(quizzes[0])
    demo_rep = User.objects.filter(email="lea.martin@comptoir-demo.fr").select_related("team").first()
    _attempts(ctx, quizzes, now, skip=(quizzes[0].pk, demo_rep.pk if demo_rep else 0))
    if demo_rep is not None:
        _demo_rep_passes(ctx, quizzes[0], demo_rep)
    _share_and_congratulate(ctx)


def _first_question_in_english(quiz: Quiz) -> None:
    """The first quiz is fully bilingual, to show the English side."""
    english = [
        (
            "What extraction pressure does a professional espresso machine aim for?",
            "About 9 bar: above, the extraction turns bitter; below, the coffee lacks body.",
        ),
        (
            "For an office of 60 people, which machines do you offer?",
            "The volume calls for automatic machines; two capsule points avoid the queue.",
        ),
        (
            "Quarterly descaling is included in the Office rental contract.",
            "It is included: an argument to recall at renewal.",
        ),
        (
            "In what order does a machine installation go at a customer's?",
            "No point installing without proper water; training comes last, once the machine is set.",
        ),
        (
            "A restaurant serves 300 coffees a day. Which machine?",
            "At that volume, the two-group traditional machine keeps up with the rush.",
        ),
    ]
    choices_en = [
        ["5 bar", "9 bar", "15 bar", "20 bar"],
        [
            "A bean-to-cup machine",
            "Two self-service capsule machines",
            "A French press",
            "A manual lever machine",
        ],
        ["True", "False"],
        ["Check the water supply", "Install and connect the machine", "Set the grind", "Train the staff"],
        [
            "A capsule machine",
            "A two-group traditional machine with grinder",
            "An office bean-to-cup",
            "A filter coffee maker",
        ],
    ]
    questions = list(quiz.questions.order_by("position", "id"))
    for question, (text, why) in zip(questions, english, strict=False):
        question.text_en, question.explanation_en = text, why
    Question.objects.bulk_update(questions, ["text_en", "explanation_en"])
    choices = []
    for question, texts in zip(questions, choices_en, strict=False):
        for choice, text in zip(question.choices.order_by("position", "id"), texts, strict=False):
            choice.text_en = text
            choices.append(choice)
    Choice.objects.bulk_update(choices, ["text_en"])


def _audience(quiz: Quiz) -> Any:
    people = User.objects.filter(is_active=True, role__code__in=["rep", "manager"])
    if quiz.audience == Quiz.Audience.UNIT:
        people = people.filter(unit_id=quiz.unit_id)
    elif quiz.audience == Quiz.Audience.TEAM:
        people = people.filter(Q(team_id=quiz.team_id)).exclude(
            pk=(quiz.team.manager_id if quiz.team else None) or 0
        )
    return people.values_list("id", "team_id", "region_id")


def _attempts(ctx: DemoContext, quizzes: list[Quiz], now: dt.datetime, *, skip: tuple[int, int]) -> None:
    rng: random.Random = ctx.rng
    skill: dict[int, float] = {}
    keys: dict[int, scoring.Key] = {}
    choice_ids: dict[int, list[int]] = defaultdict(list)
    questions_of: dict[int, list[Question]] = defaultdict(list)
    for question in Question.objects.filter(quiz__in=quizzes).order_by("position", "id"):
        questions_of[question.quiz_id or 0].append(question)
    correct: dict[int, list[int]] = defaultdict(list)
    for choice in Choice.objects.filter(question__quiz__in=quizzes).order_by("position", "id"):
        choice_ids[choice.question_id].append(choice.pk)
        if choice.is_correct:
            correct[choice.question_id].append(choice.pk)
    for quiz_questions in questions_of.values():
        for q in quiz_questions:
            keys[q.pk] = scoring.Key(
                q.kind, tuple(choice_ids[q.pk] if q.kind == "ordering" else correct[q.pk]), q.partial_credit
            )
    pending: list[tuple[Attempt, list[AttemptAnswer]]] = []
    results: dict[tuple[int, int], QuizResult] = {}
    stats: dict[tuple[int, int, str], list[Any]] = {}
    for quiz in quizzes:
        people = list(_audience(quiz))
        rng.shuffle(people)
        takers = people[: min(MAX_TAKERS_PER_QUIZ, int(len(people) * rng.uniform(0.55, 0.85)))]
        for user_id, team_id, region_id in takers:
            if (quiz.pk, user_id) == skip:
                continue
            level = skill.setdefault(user_id, rng.uniform(0.45, 0.97))
            tries = 1 if rng.random() < 0.7 else 2
            if quiz.max_attempts:
                tries = min(tries, quiz.max_attempts)
            age = (now - quiz.created_at).total_seconds()
            started = quiz.created_at + dt.timedelta(seconds=rng.uniform(0.05, 0.9) * age)
            for number in range(1, tries + 1):
                started += dt.timedelta(days=rng.uniform(0, 3) if number > 1 else 0)
                answers = []
                points = 0.0
                clock_at = started
                for position, q in enumerate(questions_of[quiz.pk], start=1):
                    clock_at += dt.timedelta(seconds=rng.uniform(8, 40))
                    given = _answer(rng, keys[q.pk], choice_ids[q.pk], level + 0.08 * (number - 1))
                    got = scoring.score(keys[q.pk], given)
                    points += got
                    order = list(choice_ids[q.pk])
                    rng.shuffle(order)
                    answers.append(
                        AttemptAnswer(
                            question_id=q.pk, position=position, choice_order=order, shown_at=clock_at - dt.timedelta(seconds=8),
                            answered_at=clock_at, answer=given, points=got, correct=got >= 1.0,
                        )
                    )  # fmt: skip
                    key = (quiz.pk, q.pk, scoring.answer_key(q.kind, given))
                    stats.setdefault(key, [got >= 1.0, 0])[1] += 1
                score = scoring.percent(points, len(answers))
                passed = score >= quiz.pass_mark
                attempt = Attempt(
                    quiz=quiz, user_id=user_id, number=number, status=Attempt.Status.FINISHED, started_at=started,
                    finished_at=clock_at, question_count=len(answers), points=points, score=score, passed=passed,
                    team_id=team_id, region_id=region_id,
                )  # fmt: skip
                pending.append((attempt, answers))
                result = results.get((quiz.pk, user_id))
                if result is None:
                    result = results[(quiz.pk, user_id)] = QuizResult(
                        quiz=quiz, user_id=user_id, team_id=team_id, region_id=region_id, attempts=0, best_score=0,
                        first_finished_at=clock_at,
                    )  # fmt: skip
                result.attempts += 1
                result.last_score = score
                result.best_score = max(result.best_score, score)
                if passed and not result.passed:
                    result.passed, result.passed_at = True, clock_at
                if passed:
                    break
    bar = ctx.progress("quiz attempts", len(pending))
    for start in range(0, len(pending), 1000):
        chunk = pending[start : start + 1000]
        Attempt.objects.bulk_create([a for a, _answers in chunk])
        rows = []
        for attempt, answers in chunk:
            for answer in answers:
                answer.attempt = attempt
                rows.append(answer)
        AttemptAnswer.objects.bulk_create(rows, batch_size=2000)
        bar.update(start + len(chunk))
    bar.finish()
    QuizResult.objects.bulk_create(results.values(), batch_size=2000)
    rollups.rebuild(q.pk for q in quizzes)
    AnswerStat.objects.bulk_create(
        [
            AnswerStat(quiz_id=k[0], question_id=k[1], answer_key=k[2], correct=v[0], count=v[1])
            for k, v in stats.items()
        ],
        batch_size=2000,
    )
    _badges(quizzes, now)
    if not ctx.scale:
        for attempt, _answers in pending:
            announce_activity(attempt.user_id, "quiz", attempt.finished_at or now, f"attempt:{attempt.pk}")


def _answer(rng: random.Random, key: scoring.Key, choices: list[int], level: float) -> list[int]:
    if rng.random() < min(level, 0.98):
        return list(key.correct)
    if key.kind == "ordering":
        wrong = list(key.correct)
        i = rng.randrange(len(wrong) - 1)
        wrong[i], wrong[i + 1] = wrong[i + 1], wrong[i]
        return wrong
    others = [c for c in choices if c not in key.correct]
    if key.kind == "multiple" and rng.random() < 0.5:
        return list(key.correct[:1])  # partly right
    return [rng.choice(others)] if others else list(key.correct)


def _badges(quizzes: list[Quiz], now: dt.datetime) -> None:
    passed: dict[tuple[int, int], list[float]] = defaultdict(list)
    topic_of = {q.pk: q.topic_id for q in quizzes}
    for quiz_id, user_id, best, _passed_at in QuizResult.objects.filter(
        quiz__in=quizzes, passed=True
    ).values_list("quiz_id", "user_id", "best_score", "passed_at"):
        topic_id = topic_of.get(quiz_id)
        if topic_id:
            passed[(user_id, topic_id)].append(best)
    Badge.objects.bulk_create(
        [
            Badge(
                user_id=user_id,
                topic_id=topic_id,
                level=recognition.badge_level(len(scores), sum(scores) / len(scores)),
                quizzes_passed=len(scores),
                average_score=round(sum(scores) / len(scores), 1),
                earned_at=now,
                updated_at=now,
            )
            for (user_id, topic_id), scores in passed.items()
        ],
        batch_size=2000,
    )


def _demo_rep_passes(ctx: DemoContext, quiz: Quiz, rep: User) -> None:
    """Léa Martin passes through the services: her manager is notified and can congratulate her."""
    attempt = attempts.attempt_start(quiz=quiz, user=rep)
    answers = list(attempt.answers.select_related("question").order_by("position"))
    for answer in answers:
        rows = list(Choice.objects.filter(question_id=answer.question_id).order_by("position", "id"))
        order = list(answer.choice_order)
        if answer.question.kind == "ordering":
            picks = [order.index(c.pk) for c in rows]
        else:
            picks = [order.index(c.pk) for c in rows if c.is_correct]
        attempts.attempt_answer(attempt=attempt, position=answer.position, picks=picks)
    ctx.add_login("Rep who passed a quiz (learning)", rep.email)


def _share_and_congratulate(ctx: DemoContext) -> None:
    """A few successes shared by their takers, most congratulated by their manager (a feed post and a
    congratulation on it, when the feed is installed)."""
    rng: random.Random = ctx.rng
    candidates = list(
        Attempt.objects.filter(passed=True, score__gte=90)
        .exclude(user__email="lea.martin@comptoir-demo.fr")
        .select_related("quiz", "quiz__topic", "user", "user__team", "user__manager")
        .order_by("id")[:400]
    )
    rng.shuffle(candidates)
    for attempt in candidates[:10]:
        try:
            recognition.attempt_share(attempt=attempt, by=attempt.user, message=rng.choice(SHARE_WORDS))
        except ValidationError:
            return  # the feed is not installed: nothing is shared
        manager = attempt.user.manager
        if manager is not None and rng.random() < 0.7:
            recognition.attempt_congratulate(attempt=attempt, by=manager, message=rng.choice(KUDOS_WORDS))


SHARE_WORDS = [
    "Content de l'avoir eu du premier coup !",
    "Merci à l'équipe pour les révisions du lundi.",
    "",
    "La démonstration de la semaine dernière m'a bien aidé.",
]
KUDOS_WORDS = [
    "Bravo, belle maîtrise du sujet !",
    "Félicitations, tu peux partager tes astuces à la prochaine réunion d'équipe.",
    "Excellent résultat, continue comme ça.",
]
