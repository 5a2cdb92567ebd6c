"""The quiz pages speak French first, and a quiz written in both languages shows in English to an
English reader."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from comptoir.learning import attempts


def test_the_quiz_page_is_in_french_and_the_quiz_text_follows_the_reader(
    cast: Any, make_quiz: Any, login: Any
) -> None:
    quiz = make_quiz(title_en="Coffee machines")
    client = login(cast.rep)
    html = client.get(f"/quizzes/{quiz.pk}/").content.decode().replace("’", "'")
    assert "Commencer le quiz" in html and "Les machines à café" in html
    attempt = attempts.attempt_start(quiz=quiz, user=cast.rep)
    client.cookies["django_language"] = "en"
    html = client.get(f"/quizzes/attempts/{attempt.pk}/q/1/").content.decode()
    assert "What pressure for an espresso?" in html and "9 bar" in html and "Question 1 of 4" in html
    with translation.override("fr"):
        assert quiz.label == "Les machines à café"
