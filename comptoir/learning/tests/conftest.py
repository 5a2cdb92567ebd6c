from __future__ import annotations

from typing import Any

import pytest

from comptoir.core.models import PracticeTopic
from comptoir.learning import attempts, services
from comptoir.learning.models import Attempt, Quiz
from comptoir.learning.specs import ChoiceSpec, QuestionSpec, true_false_choices


def coffee_questions() -> list[QuestionSpec]:
    """Four questions, one of each kind, whose correct answers the tests know."""
    return [
        QuestionSpec(
            kind="single",
            text="Quelle pression pour un espresso ?",
            text_en="What pressure for an espresso?",
            choices=[
                ChoiceSpec("5 bars", "5 bar"),
                ChoiceSpec("9 bars", "9 bar", True),
                ChoiceSpec("15 bars", "15 bar"),
            ],
            explanation="Neuf bars donnent la crème.",
            explanation_en="Nine bar makes the crema.",
        ),
        QuestionSpec(
            kind="multiple",
            text="Quelles machines pour un bureau de 50 personnes ?",
            choices=[
                ChoiceSpec("Superautomatique", correct=True),
                ChoiceSpec("Capsules", correct=True),
                ChoiceSpec("Piston"),
            ],
            explanation="Le volume exige une machine automatique.",
        ),
        QuestionSpec(
            kind="true_false",
            text="Le détartrage est inclus dans le contrat Office.",
            choices=true_false_choices(True),
        ),
        QuestionSpec(
            kind="ordering",
            text="Dans quel ordre se déroule une démonstration petit-déjeuner ?",
            choices=[ChoiceSpec("Accueil"), ChoiceSpec("Dégustation"), ChoiceSpec("Proposition")],
        ),
    ]


@pytest.fixture(autouse=True)
def _english_outside_pages() -> Any:
    """Services called directly speak English here (pages choose their language per request), so
    the tests can match messages."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def topic(db: Any) -> PracticeTopic:
    return PracticeTopic.objects.get_or_create(
        slug="coffee-machines", defaults={"name": "Machines à café", "name_en": "Coffee machines"}
    )[0]


@pytest.fixture
def make_quiz(cast: Any, topic: PracticeTopic) -> Any:
    """`make_quiz(**settings)`: the manager's published quiz for their team, four questions."""

    def make(
        author: Any = None, questions: list[QuestionSpec] | None = None, publish: bool = True, **fields: Any
    ) -> Quiz:
        values: dict[str, Any] = {
            "title": "Les machines à café",
            "audience": "team",
            "team": cast.team,
            "topic": topic,
        }
        values.update(fields)
        quiz = services.quiz_create(
            author=author or cast.manager,
            settings=services.QuizSettings(**values),
            questions=coffee_questions() if questions is None else questions,
        )
        if publish:
            services.quiz_publish(quiz=quiz, actor=author or cast.manager)
        return Quiz.objects.select_related("team", "topic").get(pk=quiz.pk)

    return make


def picks_for(attempt: Attempt, position: int, *, right: bool = True) -> list[int]:
    """The indices (in the attempt's shown order) of the right answer, or of a wrong one."""
    from comptoir.learning.models import AttemptAnswer, Choice

    answer = AttemptAnswer.objects.get(attempt=attempt, position=position)
    choices = {c.pk: c for c in Choice.objects.filter(question_id=answer.question_id)}
    order = list(answer.choice_order)
    kind = answer.question.kind
    if kind == "ordering":
        correct = sorted(order, key=lambda i: choices[i].position)
        if not right:
            correct = list(reversed(correct))
        return [order.index(i) for i in correct]
    good = [order.index(i) for i in order if choices[i].is_correct]
    bad = [order.index(i) for i in order if not choices[i].is_correct]
    return good if right else bad[:1]


def take(attempt: Attempt, *, right: int) -> Attempt:
    """Answer every question, the first `right` ones correctly."""
    for position in range(1, attempt.question_count + 1):
        attempts.attempt_answer(
            attempt=attempt, position=position, picks=picks_for(attempt, position, right=position <= right)
        )
    attempt.refresh_from_db()
    return attempt
