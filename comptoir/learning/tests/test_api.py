"""The API: the same rules as the pages, with machine-readable errors."""

from __future__ import annotations

import json
from typing import Any

from comptoir.learning.models import Attempt, Quiz
from comptoir.learning.tests.conftest import picks_for


def _post(client: Any, url: str, payload: Any = None) -> Any:
    return client.post(url, json.dumps(payload or {}), content_type="application/json")


QUIZ = {
    "title": "Promotions du printemps",
    "audience": "team",
    "pass_mark": 50,
    "publish": True,
    "questions": [
        {"kind": "single", "text": "Remise sur le café en grains ?", "explanation": "Dix pour cent.",
         "choices": [{"text": "5 %"}, {"text": "10 %", "correct": True}]},
        {"kind": "ordering", "text": "Ordre de la mise en place", "choices": [{"text": "PLV"}, {"text": "Stock"}, {"text": "Affiche"}]},
    ],
}  # fmt: skip


def test_an_author_creates_a_quiz_and_a_rep_takes_it(cast: Any, login: Any) -> None:
    manager = login(cast.manager)
    response = _post(manager, "/api/quizzes/", {**QUIZ, "team_id": cast.team.pk})
    assert response.status_code == 201, response.content
    quiz_id = response.json()["id"]
    rep = login(cast.rep)
    assert [q["id"] for q in rep.get("/api/quizzes/").json()["items"]] == [quiz_id]
    started = _post(rep, f"/api/quizzes/{quiz_id}/attempts")
    assert started.status_code == 201
    body = started.json()
    current = body["current"]
    # Before answering: the text and the choices by index, nothing about which is correct.
    assert set(current) == {"position", "kind", "text", "image_url", "choices", "deadline", "seconds_left"}
    assert [set(c) for c in current["choices"]] == [{"index", "text"}] * 2
    assert "Dix pour cent" not in started.content.decode()
    attempt = Attempt.objects.get(pk=body["id"])
    answered = _post(
        rep, f"/api/quizzes/attempts/{attempt.pk}/answer", {"position": 1, "picks": picks_for(attempt, 1)}
    )
    assert answered.status_code == 200
    assert answered.json()["correct"] and answered.json()["explanation"] == "Dix pour cent."
    assert answered.json()["correct_picks"] == picks_for(attempt, 1)
    again = _post(rep, f"/api/quizzes/attempts/{attempt.pk}/answer", {"position": 1, "picks": [0]})
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid_input"
    resumed = rep.get(f"/api/quizzes/attempts/{attempt.pk}").json()
    assert resumed["current"]["position"] == 2
    last = _post(
        rep,
        f"/api/quizzes/attempts/{attempt.pk}/answer",
        {"position": 2, "picks": picks_for(attempt, 2, right=False)},
    )
    assert last.json()["finished"]
    result = rep.get(f"/api/quizzes/attempts/{attempt.pk}/result").json()
    assert (result["attempt"]["score"], result["attempt"]["passed"]) == (50.0, True)
    assert [r["correct"] for r in result["review"]] == [True, False]
    assert rep.get("/api/quizzes/attempts").json()["items"][0]["id"] == attempt.pk


def test_the_api_keeps_the_permissions(cast: Any, login: Any) -> None:
    rep = login(cast.rep)
    assert _post(rep, "/api/quizzes/", {**QUIZ, "team_id": cast.team.pk}).status_code == 403
    quiz_id = _post(login(cast.manager), "/api/quizzes/", {**QUIZ, "team_id": cast.team.pk}).json()["id"]
    outsider = login(cast.outsider)
    assert outsider.get(f"/api/quizzes/{quiz_id}").status_code == 404
    assert _post(outsider, f"/api/quizzes/{quiz_id}/attempts").status_code == 404
    assert rep.get(f"/api/quizzes/{quiz_id}/analytics").status_code == 403
    not_taken = login(cast.manager).get(f"/api/quizzes/{quiz_id}/analytics").json()["not_taken_in_my_team"]
    assert set(not_taken) == {cast.rep.pk, cast.teammate.pk}
    attempt_id = _post(rep, f"/api/quizzes/{quiz_id}/attempts").json()["id"]
    assert login(cast.teammate).get(f"/api/quizzes/attempts/{attempt_id}").status_code == 404


def test_the_api_refuses_bad_quizzes_with_field_errors(cast: Any, login: Any) -> None:
    bad = {**QUIZ, "team_id": cast.team.pk, "pass_mark": 150}
    response = _post(login(cast.manager), "/api/quizzes/", bad)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "pass_mark"
    bad_question = {
        **QUIZ,
        "team_id": cast.team.pk,
        "questions": [{"kind": "single", "text": "?", "choices": [{"text": "a"}, {"text": "b"}]}],
    }
    assert _post(login(cast.manager), "/api/quizzes/", bad_question).status_code == 422
    assert not Quiz.objects.exists()


def test_badges_in_the_api(cast: Any, login: Any, make_quiz: Any) -> None:
    from comptoir.learning import attempts
    from comptoir.learning.tests.conftest import take

    take(attempts.attempt_start(quiz=make_quiz(), user=cast.rep), right=4)
    badges = login(cast.teammate).get(f"/api/quizzes/badges?user_id={cast.rep.pk}").json()
    assert [(b["topic"], b["level"]) for b in badges] == [("Machines à café", 2)]
