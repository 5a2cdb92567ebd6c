"""The home page's "quizzes to take": open quizzes addressed to the person that they have not passed."""

from __future__ import annotations

from django.http import HttpRequest

from comptoir.core.navigation import HomeSection
from comptoir.learning import selectors


def sections(request: HttpRequest) -> list[HomeSection]:
    quizzes = selectors.quizzes_to_take(viewer=request.user, size=3)  # type: ignore[arg-type]
    if not quizzes:
        return []
    return [HomeSection(template="learning/_home.html", context={"quizzes": quizzes}, order=30)]
