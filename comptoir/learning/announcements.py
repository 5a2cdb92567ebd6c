"""Telling a quiz's audience that it is open: once per quiz (a quiz published again after a return to
draft is not announced twice), by the task worker, in batches of a fixed number of queries. Each batch
commits with the quiz's cursor, so a worker that dies mid-announcement and is retried resumes after the
last batch it committed: nobody is told twice."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from comptoir.core import clock
from comptoir.learning.analytics import audience_people
from comptoir.learning.models import Quiz
from comptoir.learning.recognition import Translated
from comptoir.notifications.bulk import notify_many

KIND = "learning_quiz_published"
BATCH = 1000


def quiz_announce_later(quiz: Quiz) -> bool:
    """Claim the quiz's one announcement and queue it after commit. False if it was announced."""
    from comptoir.learning.tasks import announce_quiz

    claimed = Quiz.objects.filter(pk=quiz.pk, announced_at__isnull=True).update(announced_at=clock.now())
    if claimed:
        transaction.on_commit(lambda: announce_quiz.enqueue(quiz_id=quiz.pk))
    return bool(claimed)


def quiz_announce(quiz: Quiz, *, batch: int = BATCH) -> int:
    """Notify the audience, `batch` people per round (each round a fixed number of queries)."""
    if not quiz.published:
        return 0
    url = reverse("learning:detail", args=[quiz.pk])
    title = Translated(gettext_noop("New quiz: “%(quiz)s”"), {"quiz": quiz.title})
    if quiz.opens_at and quiz.opens_at > clock.now():
        when = timezone.localtime(quiz.opens_at).strftime("%d/%m/%Y %H:%M")
        body = Translated(gettext_noop("A quiz is for you. It opens on %(date)s."), {"date": when})
    else:
        body = Translated(gettext_noop("A quiz is open to you. Take it when you are ready."), {})
    sent = 0
    after = Quiz.objects.filter(pk=quiz.pk).values_list("announced_through", flat=True).get()
    people = audience_people(quiz).exclude(pk=quiz.author_id)
    fields = ("id", "email", "first_name", "language", "email_notifications", "is_active")
    while True:
        chunk = list(people.filter(pk__gt=after).only(*fields).order_by("id")[:batch])
        if not chunk:
            return sent
        with transaction.atomic():
            notify_many(recipients=chunk, kind=KIND, title=title, body=body, url=url, actor=quiz.author)
            Quiz.objects.filter(pk=quiz.pk).update(announced_through=chunk[-1].pk)
        sent += len(chunk)
        after = chunk[-1].pk
