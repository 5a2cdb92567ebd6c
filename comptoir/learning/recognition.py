"""What follows a finished attempt: the person's result, expertise badges, the manager told, and the
recognition the person chooses (sharing to the feed) or receives (a manager's congratulation)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from comptoir.core import clock
from comptoir.core.permissions import PermissionDenied403
from comptoir.core.signals import announce_activity
from comptoir.learning import feed_bridge, rollups
from comptoir.learning.models import Attempt, Badge, Kudos, QuizResult
from comptoir.notifications.services import notify
from comptoir.org.models import User

MESSAGE_MAX = 500


class Translated:
    """A message rendered in the language active when it is turned into text (the recipient's, in
    `notify`), with its parameters."""

    def __init__(self, message: str, params: dict[str, object]) -> None:
        self.message, self.params = message, params

    def __str__(self) -> str:
        return _(self.message) % self.params


def badge_level(quizzes_passed: int, average_score: float) -> int:
    """1: a quiz passed on the topic. 2: two quizzes passed at 75 % on average, or a near-perfect
    score (95 %). 3: three quizzes passed at 85 % on average or more."""
    if quizzes_passed >= 3 and average_score >= 85:
        return 3
    if (quizzes_passed >= 2 and average_score >= 75) or (quizzes_passed and average_score >= 95):
        return 2
    return 1 if quizzes_passed else 0


def attempt_finished(attempt: Attempt) -> None:
    """Called inside the transaction that finished the attempt."""
    now = attempt.finished_at or clock.now()
    assert attempt.score is not None
    result = (
        QuizResult.objects.select_for_update()
        .filter(quiz_id=attempt.quiz_id, user_id=attempt.user_id)
        .first()
    )
    first_pass = attempt.passed and (result is None or not result.passed)
    if result is None:
        try:
            with transaction.atomic():
                created = QuizResult.objects.create(
                    quiz_id=attempt.quiz_id,
                    user_id=attempt.user_id,
                    team_id=attempt.team_id,
                    region_id=attempt.region_id,
                    attempts=1,
                    best_score=attempt.score,
                    last_score=attempt.score,
                    passed=attempt.passed,
                    first_finished_at=now,
                    passed_at=now if attempt.passed else None,
                )
            rollups.result_changed(created, created=True, old_best=0.0, was_passed=False)
        except IntegrityError:
            result = QuizResult.objects.select_for_update().get(
                quiz_id=attempt.quiz_id, user_id=attempt.user_id
            )
    if result is not None:
        old_best, was_passed = result.best_score, result.passed
        result.attempts += 1
        result.last_score = attempt.score
        result.best_score = max(result.best_score, attempt.score)
        if attempt.passed and not result.passed:
            result.passed, result.passed_at = True, now
        result.save(update_fields=["attempts", "last_score", "best_score", "passed", "passed_at"])
        rollups.result_changed(result, created=False, old_best=old_best, was_passed=was_passed)
    if attempt.passed and attempt.quiz.topic_id:
        badge_refresh(user_id=attempt.user_id, topic_id=attempt.quiz.topic_id)
    if first_pass:
        _tell_managers(attempt)
    announce_activity(attempt.user_id, "quiz", now, f"attempt:{attempt.pk}")


def badge_refresh(*, user_id: int, topic_id: int) -> Badge | None:
    figures = QuizResult.objects.filter(user_id=user_id, passed=True, quiz__topic_id=topic_id).aggregate(
        n=Count("id"), avg=Avg("best_score")
    )
    level = badge_level(figures["n"] or 0, figures["avg"] or 0.0)
    if not level:
        return None
    now = clock.now()
    badge, _created = Badge.objects.update_or_create(
        user_id=user_id,
        topic_id=topic_id,
        defaults={
            "level": level,
            "quizzes_passed": figures["n"],
            "average_score": round(figures["avg"], 1),
            "updated_at": now,
        },
        create_defaults={
            "level": level,
            "quizzes_passed": figures["n"],
            "average_score": round(figures["avg"], 1),
            "updated_at": now,
            "earned_at": now,
        },
    )
    return badge


def _managers_of(person: User) -> list[User]:
    """The person's manager and their team's manager (once each, never themselves)."""
    candidates = [person.manager_id, person.team.manager_id if person.team else None]
    ids = {i for i in candidates if i is not None and i != person.pk}
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _tell_managers(attempt: Attempt) -> None:
    person = User.objects.select_related("team").get(pk=attempt.user_id)
    url = reverse("learning:congratulate", args=[attempt.pk])
    for manager in _managers_of(person):
        notify(
            recipient=manager,
            kind="learning_team_pass",
            actor=person,
            title=Translated(
                gettext_noop("%(name)s passed the quiz “%(quiz)s” (%(score)s %%)"),
                {"name": person.full_name, "quiz": attempt.quiz.title, "score": _number(attempt.score)},
            ),
            body=Translated(gettext_noop("Congratulate them in one tap."), {}),
            url=url,
        )


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def share_text(attempt: Attempt, message: str = "") -> str:
    quiz = attempt.quiz
    text = _("I passed the quiz “%(quiz)s” with %(score)s %%.") % {
        "quiz": quiz.label,
        "score": _number(attempt.score),
    }
    if quiz.topic is not None:
        text += " " + _("Expertise: %(topic)s.") % {"topic": quiz.topic.label}
    if message.strip():
        text = message.strip() + "\n\n" + text
    return text


def attempt_share(*, attempt: Attempt, by: User, message: str = "") -> int:
    """Share a passed attempt to the feed as a success post: only by its taker, only if they ask."""
    if attempt.user_id != by.pk:
        raise PermissionDenied403
    if not attempt.passed:
        raise ValidationError(_("Only a passed quiz can be shared."))
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": _("The message is 500 characters at most.")})
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.shared_post_id:
            raise ValidationError(_("This result is already shared."))
        post_id = feed_bridge.share(author=by, body=share_text(attempt, message), topic=attempt.quiz.topic)
        Attempt.objects.filter(pk=attempt.pk).update(shared_post_id=post_id)
        attempt.shared_post_id = post_id
        # Congratulations given before the post existed now show on it.
        for kudos in Kudos.objects.filter(attempt=attempt, forwarded=False).select_related("by"):
            feed_bridge.congratulate(post_id=post_id, by=kudos.by, message=kudos.message)
            Kudos.objects.filter(pk=kudos.pk).update(forwarded=True)
    return post_id


def attempt_congratulate(*, attempt: Attempt, by: User, message: str = "") -> Kudos:
    """A manager congratulates a passed attempt (the fetcher checked they manage the taker). It shows
    on the feed as a congratulation on the shared post, now or once the taker shares it."""
    if not attempt.passed:
        raise ValidationError(_("Only a passed quiz can be congratulated."))
    message = (message or "").strip() or _("Congratulations on passing “%(quiz)s”!") % {
        "quiz": attempt.quiz.label
    }
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": _("The message is 500 characters at most.")})
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(attempt=attempt, by=by, message=message, created_at=clock.now())
            if attempt.shared_post_id:
                feed_bridge.congratulate(post_id=attempt.shared_post_id, by=by, message=message)
                kudos.forwarded = True
                kudos.save(update_fields=["forwarded"])
    except IntegrityError:
        raise ValidationError(_("You have already congratulated this result.")) from None
    if not kudos.forwarded:
        # On the feed, the post's congratulation notifies its author; without a post, this does.
        notify(
            recipient=attempt.user,
            kind="learning_congratulated",
            actor=by,
            title=Translated(
                gettext_noop("%(name)s congratulates you on the quiz “%(quiz)s”"),
                {"name": by.full_name, "quiz": attempt.quiz.title},
            ),
            body=message,
            url=reverse("learning:result", args=[attempt.pk]),
        )
    return kudos
