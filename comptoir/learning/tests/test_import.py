"""Importing quizzes from a spreadsheet: all or nothing, with every bad row reported by line."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.learning.models import Question, Quiz

HEADER = "quiz;topic;type;question;question_en;choices;choices_en;correct;explanation;explanation_en;partial_credit\n"
GOOD = HEADER + (
    "Les machines;Machines à café;single;Quelle pression ?;What pressure?;5 bars | 9 bars;5 bar | 9 bar;2;Neuf bars.;;\n"
    "Les machines;Machines à café;vrai/faux;Le détartrage est inclus.;;;;vrai;;;\n"
    "Les machines;;multiple;Quelles machines ?;;A | B | C;;1,2;;;oui\n"
    ";Machines à café;ordre;Les étapes;;Accueil | Dégustation | Offre;;;;;\n"
)


def _upload(client: Any, text: str) -> Any:
    return client.post(
        "/quizzes/import/", {"file": SimpleUploadedFile("quiz.csv", text.encode("utf-8"), "text/csv")}
    )


def test_a_good_file_creates_the_quiz_as_a_draft_and_fills_the_bank(
    cast: Any, login: Any, topic: Any
) -> None:
    response = _upload(login(cast.manager), GOOD)
    assert response.status_code == 200
    quiz = Quiz.objects.get()
    assert (quiz.title, quiz.published, quiz.topic_id, quiz.team_id) == (
        "Les machines",
        False,
        topic.pk,
        cast.team.pk,
    )
    assert list(quiz.questions.values_list("kind", flat=True)) == ["single", "true_false", "multiple"]
    assert quiz.questions.get(kind="multiple").partial_credit
    assert Question.objects.filter(quiz=None, topic=topic, kind="ordering").count() == 1


def test_one_bad_row_and_nothing_is_imported_with_each_line_reported(
    cast: Any, login: Any, topic: Any
) -> None:
    bad = (
        GOOD
        + "Les machines;;single;Sans réponse juste;;A | B;;;;;\n"
        + "Autre;Thème inconnu;quiz;?;;A | B;;1;;;\n"
    )
    response = _upload(login(cast.manager), bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>6</td>" in html and "<td>7</td>" in html
    assert not Quiz.objects.exists() and not Question.objects.exists()


def test_a_rep_cannot_import(cast: Any, login: Any) -> None:
    assert _upload(login(cast.rep), GOOD).status_code == 403
