"""The question banks in the API: list a topic's live questions, add, edit (a question that attempts
used gets a new version, returned with its id) and retire. Same fetcher and services as the pages.
Mounted under /api/quizzes/bank by `api.py`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from comptoir.api.schemas import PageOut
from comptoir.core.models import PracticeTopic
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.learning import access, selectors, services
from comptoir.learning.api_questions import QuestionIn
from comptoir.learning.models import Question

router = Router(tags=["quizzes"])


class BankChoiceOut(Schema):
    text: str
    text_en: str
    correct: bool


class BankQuestionOut(Schema):
    id: int
    topic_id: int
    version: int
    replaces_id: int | None
    kind: str
    text: str
    text_en: str
    explanation: str
    explanation_en: str
    partial_credit: bool
    author_id: int
    choices: list[BankChoiceOut]


def _out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "topic_id": question.topic_id,
        "version": question.version,
        "replaces_id": question.replaces_id,
        "kind": question.kind,
        "text": question.text,
        "text_en": question.text_en,
        "explanation": question.explanation,
        "explanation_en": question.explanation_en,
        "partial_credit": question.partial_credit,
        "author_id": question.author_id,
        "choices": [
            {"text": c.text, "text_en": c.text_en, "correct": c.is_correct} for c in question.choices.all()
        ],
    }


def _builder(request: HttpRequest) -> Any:
    viewer = request.user
    if not has_cap(viewer, Cap.BUILD_QUIZZES):  # type: ignore[arg-type]
        raise PermissionDenied403("Only managers, directors and HQ build quizzes.")
    return viewer


@router.get("/{topic_id}", response=PageOut[BankQuestionOut])
def bank_list(request: HttpRequest, topic_id: int, cursor: str | None = None) -> dict[str, Any]:
    """The topic's live questions (retired ones and old versions are left out), with their answers."""
    _builder(request)
    topic = get_object_or_404(PracticeTopic, pk=topic_id)
    page = selectors.bank_questions(topic_id=topic.pk, cursor=cursor)
    return {"items": [_out(q) for q in page.items], "next_cursor": page.next_cursor}


@router.post("/{topic_id}", response={201: BankQuestionOut})
def bank_add(request: HttpRequest, topic_id: int, payload: QuestionIn) -> tuple[int, dict[str, Any]]:
    viewer = _builder(request)
    topic = get_object_or_404(PracticeTopic, pk=topic_id)
    question = services.question_add(actor=viewer, spec=payload.to_spec(), topic=topic)
    return 201, _out(question)


@router.put("/{topic_id}/{question_id}", response=BankQuestionOut)
def bank_edit(
    request: HttpRequest, topic_id: int, question_id: int, payload: QuestionIn
) -> dict[str, Any]:
    """Change a question; when attempts used it, the answer is its new version (another id)."""
    question = access.bank_question_for(_builder(request), topic_id, question_id, for_change=True)
    return _out(services.question_update(actor=request.user, question=question, spec=payload.to_spec()))  # type: ignore[arg-type]


@router.post("/{topic_id}/{question_id}/retire", response={204: None})
def bank_retire(request: HttpRequest, topic_id: int, question_id: int) -> tuple[int, None]:
    question = access.bank_question_for(_builder(request), topic_id, question_id, for_change=True)
    services.question_retire(actor=request.user, question=question)  # type: ignore[arg-type]
    return 204, None
