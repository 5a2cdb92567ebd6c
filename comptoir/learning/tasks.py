"""Background work of the learning app, run by the task worker."""

from __future__ import annotations

from django.tasks import task


@task()
def announce_quiz(*, quiz_id: int) -> int:
    from comptoir.learning.announcements import quiz_announce
    from comptoir.learning.models import Quiz

    quiz = Quiz.objects.select_related("team", "author").filter(pk=quiz_id).first()
    return quiz_announce(quiz) if quiz is not None else 0
