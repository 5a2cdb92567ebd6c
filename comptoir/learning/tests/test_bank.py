"""Editing the question bank in pages: add, edit, retire. A question that attempts used is never
changed in place: the edit makes its next version, the old attempts keep the text they answered,
the analytics count each version apart, and retired questions are no longer drawn."""

from __future__ import annotations

from typing import Any

from comptoir.learning import analytics, attempts, services
from comptoir.learning.models import AnswerStat, AttemptAnswer, Question
from comptoir.learning.tests.conftest import coffee_questions, take


def _form(text: str) -> dict[str, str]:
    return {
        "kind": "single",
        "text": text,
        "choices": "5 bars\n*9 bars\n15 bars",
        "explanation": "Neuf bars.",
    }


def _bank(cast: Any, topic: Any) -> Question:
    return services.bank_add_many(actor=cast.manager, topic=topic, specs=coffee_questions()[:1])[0]


def test_an_author_adds_then_edits_an_unused_question_in_place(cast: Any, topic: Any, login: Any) -> None:
    manager = login(cast.manager)
    assert manager.post(f"/quizzes/bank/{topic.pk}/new/", _form("Quelle pression ?")).status_code == 302
    question = Question.objects.get(topic=topic, quiz=None)
    page = manager.get(f"/quizzes/bank/{topic.pk}/").content.decode()
    assert "Quelle pression ?" in page and f"/quizzes/bank/{topic.pk}/{question.pk}/" in page
    response = manager.post(f"/quizzes/bank/{topic.pk}/{question.pk}/", _form("Quelle pression, en bars ?"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.version, question.retired_at) == ("Quelle pression, en bars ?", 1, None)
    assert Question.objects.filter(topic=topic).count() == 1


def test_bad_input_is_refused_and_changes_nothing(cast: Any, topic: Any, login: Any) -> None:
    question = _bank(cast, topic)
    response = login(cast.manager).post(f"/quizzes/bank/{topic.pk}/{question.pk}/", _form(""))
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.text == "Quelle pression pour un espresso ?"


def test_editing_a_used_question_makes_a_new_version_and_old_attempts_keep_their_text(
    cast: Any, make_quiz: Any, topic: Any, login: Any
) -> None:
    old = _bank(cast, topic)
    quiz = make_quiz(questions=[], bank_draw=1)
    before = take(attempts.attempt_start(quiz=quiz, user=cast.rep), right=1)
    response = login(cast.manager).post(
        f"/quizzes/bank/{topic.pk}/{old.pk}/", _form("Pression en bars pour un espresso ?")
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new = Question.objects.get(replaces=old)
    assert old.retired_at is not None and old.text == "Quelle pression pour un espresso ?"
    assert (new.version, new.text, new.topic_id, new.quiz_id) == (
        2,
        "Pression en bars pour un espresso ?",
        topic.pk,
        None,
    )
    # The earlier attempt's result shows the question as it was answered.
    result = login(cast.rep).get(f"/quizzes/attempts/{before.pk}/result/").content.decode()
    assert (
        "Quelle pression pour un espresso ?" in result and "Pression en bars pour un espresso ?" not in result
    )
    # A new attempt draws the new version only.
    after = take(attempts.attempt_start(quiz=quiz, user=cast.teammate), right=0)
    assert AttemptAnswer.objects.get(attempt=after).question_id == new.pk
    # The analytics count each version apart, and say which is which.
    assert {s.question_id for s in AnswerStat.objects.filter(quiz=quiz)} == {old.pk, new.pk}
    hardest = analytics.hardest_questions(quiz)
    assert [(h.question.pk, h.success_rate) for h in hardest] == [(new.pk, 0.0), (old.pk, 100.0)]
    page = login(cast.manager).get(f"/quizzes/{quiz.pk}/analytics/").content.decode()
    assert "version 2" in page


def test_the_bank_lists_live_questions_and_the_latest_version_only(
    cast: Any, make_quiz: Any, topic: Any, login: Any
) -> None:
    old = _bank(cast, topic)
    take(attempts.attempt_start(quiz=make_quiz(questions=[], bank_draw=1), user=cast.rep), right=1)
    manager = login(cast.manager)
    manager.post(f"/quizzes/bank/{topic.pk}/{old.pk}/", _form("Pression en bars pour un espresso ?"))
    page = manager.get(f"/quizzes/bank/{topic.pk}/").content.decode()
    assert page.count('data-testid="bank-question"') == 1 and "Pression en bars pour un espresso ?" in page
    # The old version can no longer be edited: its page is gone.
    assert manager.get(f"/quizzes/bank/{topic.pk}/{old.pk}/").status_code == 404


def test_a_retired_question_is_no_longer_drawn(cast: Any, make_quiz: Any, topic: Any, login: Any) -> None:
    kept, retired = services.bank_add_many(actor=cast.manager, topic=topic, specs=coffee_questions()[:2])
    quiz = make_quiz(questions=[], bank_draw=1)
    assert login(cast.manager).post(f"/quizzes/bank/{topic.pk}/{retired.pk}/retire/").status_code == 302
    retired.refresh_from_db()
    assert retired.retired_at is not None
    for person in (cast.rep, cast.teammate):
        attempt = attempts.attempt_start(quiz=quiz, user=person)
        assert list(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == [
            kept.pk
        ]
    assert (
        'data-testid="bank-question"'
        in login(cast.manager).get(f"/quizzes/bank/{topic.pk}/").content.decode()
    )
    assert retired.text not in login(cast.manager).get(f"/quizzes/bank/{topic.pk}/").content.decode()


def test_publishing_counts_live_bank_questions_only(cast: Any, make_quiz: Any, topic: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    question = _bank(cast, topic)
    services.question_retire(actor=cast.manager, question=question)
    quiz = make_quiz(questions=[], bank_draw=1, publish=False)
    with pytest.raises(ValidationError):
        services.quiz_publish(quiz=quiz, actor=cast.manager)


def test_who_may_edit_and_retire_bank_questions(cast: Any, topic: Any, login: Any) -> None:
    question = _bank(cast, topic)
    edit, retire = (
        f"/quizzes/bank/{topic.pk}/{question.pk}/",
        f"/quizzes/bank/{topic.pk}/{question.pk}/retire/",
    )
    assert login(cast.rep).get(edit).status_code == 403  # not a quiz builder
    assert login(cast.rep).post(retire).status_code == 403
    assert login(cast.manager_trade).get(edit).status_code == 403  # a builder, not its author
    assert login(cast.manager_trade).post(retire).status_code == 403
    question.refresh_from_db()
    assert question.retired_at is None
    assert (
        'data-testid="edit-bank-question"'
        not in login(cast.manager_trade).get(f"/quizzes/bank/{topic.pk}/").content.decode()
    )
    assert login(cast.hq).get(edit).status_code == 200  # national programme owners keep every bank
    assert login(cast.manager).get(f"/quizzes/bank/{topic.pk + 999}/{question.pk}/").status_code == 404
    assert login(cast.manager).get(retire).status_code == 405


def test_the_bank_in_the_api(cast: Any, make_quiz: Any, topic: Any, login: Any) -> None:
    import json

    manager = login(cast.manager)
    body = {
        "kind": "single",
        "text": "Quelle mouture ?",
        "choices": [{"text": "Fine", "correct": True}, {"text": "Grosse"}],
    }
    created = manager.post(f"/api/quizzes/bank/{topic.pk}", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    question_id = created.json()["id"]
    listed = manager.get(f"/api/quizzes/bank/{topic.pk}").json()["items"]
    assert [(q["id"], q["version"]) for q in listed] == [(question_id, 1)]
    # Used by an attempt: the edit answers with the new version.
    take(attempts.attempt_start(quiz=make_quiz(questions=[], bank_draw=1), user=cast.rep), right=1)
    edited = manager.put(
        f"/api/quizzes/bank/{topic.pk}/{question_id}",
        json.dumps(body | {"text": "Quelle mouture pour un espresso ?"}),
        content_type="application/json",
    ).json()
    assert (edited["version"], edited["replaces_id"]) == (2, question_id) and edited["id"] != question_id
    bad = manager.put(
        f"/api/quizzes/bank/{topic.pk}/{edited['id']}",
        json.dumps(body | {"choices": []}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert Question.objects.get(pk=edited["id"]).text == "Quelle mouture pour un espresso ?"
    assert login(cast.rep).post(f"/api/quizzes/bank/{topic.pk}/{edited['id']}/retire").status_code == 403
    assert (
        login(cast.manager_trade).post(f"/api/quizzes/bank/{topic.pk}/{edited['id']}/retire").status_code
        == 403
    )
    assert manager.post(f"/api/quizzes/bank/{topic.pk}/{edited['id']}/retire").status_code == 204
    assert manager.get(f"/api/quizzes/bank/{topic.pk}").json()["items"] == []
