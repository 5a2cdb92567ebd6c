"""Every write of quiz authoring: create, change, publish, duplicate, and the questions.

Taking a quiz lives in `attempts.py`, badges, sharing and congratulations in `recognition.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.core.images import ImageRejected, process_image
from comptoir.core.models import PracticeTopic
from comptoir.core.permissions import Cap, PermissionDenied403, has_cap
from comptoir.learning import access, announcements
from comptoir.learning.models import AttemptAnswer, Choice, Question, Quiz
from comptoir.learning.specs import ChoiceSpec, QuestionSpec, validate
from comptoir.org.models import OrgUnit, Region, Team, User

MAX_TIME_LIMIT = 24 * 3600
MAX_DRAW = 50


@dataclass
class QuizSettings:
    """Everything about a quiz but its questions (the form, the API and the import fill it)."""

    title: str
    audience: str
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    topic: PracticeTopic | None = None
    unit: OrgUnit | None = None
    region: Region | None = None
    team: Team | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    pass_mark: int = 70
    max_attempts: int | None = None
    time_limit_seconds: int | None = None
    question_time_limit_seconds: int | None = None
    bank_draw: int = 0
    leaderboard: bool = False

    def as_fields(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _check_settings(actor: User, settings: QuizSettings) -> None:
    errors: dict[str, str] = {}
    if not settings.title.strip():
        errors["title"] = _("Give the quiz a title.")
    if len(settings.title) > 200 or len(settings.title_en) > 200:
        errors["title"] = _("The title is 200 characters at most.")
    if settings.audience not in Quiz.Audience.values:
        errors["audience"] = _("Choose who the quiz is for.")
    # Only the chosen audience's target is kept, so a stale unit does not linger on a team quiz.
    needed = {"unit": settings.unit, "region": settings.region, "team": settings.team}
    for name in needed:
        if name != settings.audience:
            setattr(settings, name, None)
    if settings.audience in needed and needed[settings.audience] is None:
        errors[settings.audience] = _("Choose the %(what)s the quiz is for.") % {
            "what": {"unit": _("business unit"), "region": _("region"), "team": _("team")}[settings.audience]
        }
    if not 0 <= settings.pass_mark <= 100:
        errors["pass_mark"] = _("The pass mark is a percentage between 0 and 100.")
    if settings.max_attempts is not None and not 1 <= settings.max_attempts <= 100:
        errors["max_attempts"] = _("Allow between 1 and 100 attempts, or leave empty for no limit.")
    for name in ("time_limit_seconds", "question_time_limit_seconds"):
        value = getattr(settings, name)
        if value is not None and not 10 <= value <= MAX_TIME_LIMIT:
            errors[name] = _("A time limit is between 10 seconds and 24 hours.")
    if not 0 <= settings.bank_draw <= MAX_DRAW:
        errors["bank_draw"] = _("Draw between 0 and %(n)s questions from the bank.") % {"n": MAX_DRAW}
    if settings.bank_draw and settings.topic is None:
        errors["bank_draw"] = _(
            "Choose a practice topic: its question bank is where questions are drawn from."
        )
    if settings.opens_at and settings.closes_at and settings.closes_at <= settings.opens_at:
        errors["closes_at"] = _("The quiz must close after it opens.")
    if errors:
        raise ValidationError(errors)
    if settings.audience in Quiz.Audience.values:
        access.check_audience(actor, settings.audience, settings.unit, settings.region, settings.team)


def quiz_create(*, author: User, settings: QuizSettings, questions: Sequence[QuestionSpec] = ()) -> Quiz:
    """A new quiz, as a draft (publish it to open it to its audience)."""
    if not has_cap(author, Cap.BUILD_QUIZZES):
        raise PermissionDenied403(_("Only managers, directors and HQ build quizzes."))
    _check_settings(author, settings)
    for index, spec in enumerate(questions, start=1):
        try:
            validate(spec)
        except ValidationError as exc:
            raise ValidationError(
                _("Question %(n)s: %(error)s") % {"n": index, "error": " ".join(exc.messages)}
            ) from exc
    now = clock.now()
    with transaction.atomic():
        quiz = Quiz.objects.create(author=author, created_at=now, updated_at=now, **settings.as_fields())
        _questions_bulk_create(quiz=quiz, topic=None, author=author, specs=questions)
    return quiz


def _questions_bulk_create(
    *,
    quiz: Quiz | None,
    topic: PracticeTopic | None,
    author: User,
    specs: Sequence[QuestionSpec],
    start: int = 0,
) -> list[Question]:
    """Questions and their choices in two inserts (the import and the demo write hundreds)."""
    questions = Question.objects.bulk_create(
        [
            Question(
                quiz=quiz,
                topic=topic,
                author=author,
                kind=spec.kind,
                text=spec.text.strip(),
                text_en=spec.text_en.strip(),
                explanation=spec.explanation.strip(),
                explanation_en=spec.explanation_en.strip(),
                partial_credit=spec.partial_credit,
                position=start + index,
            )
            for index, spec in enumerate(specs)
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(
                question=question,
                text=c.text.strip(),
                text_en=c.text_en.strip(),
                is_correct=c.correct,
                position=i,
            )
            for question, spec in zip(questions, specs, strict=True)
            for i, c in enumerate(spec.choices)
        ]
    )
    return questions


def quiz_update(*, quiz: Quiz, actor: User, settings: QuizSettings) -> Quiz:
    if not access.may_change(actor, quiz):
        raise PermissionDenied403
    _check_settings(actor, settings)
    for name, value in settings.as_fields().items():
        setattr(quiz, name, value)
    quiz.updated_at = clock.now()
    quiz.save()
    return quiz


def _has_attempts(quiz: Quiz) -> bool:
    return quiz.attempts.exists()


def quiz_publish(*, quiz: Quiz, actor: User, published: bool = True, announce: bool = True) -> Quiz:
    """Open the quiz to its audience (or back to draft). The first publication tells the audience,
    unless `announce` is off (bulk loads and benchmarks publish quietly)."""
    if not access.may_change(actor, quiz):
        raise PermissionDenied403
    if published:
        own = quiz.questions.count()
        bank = (
            Question.objects.filter(quiz=None, topic=quiz.topic_id, retired_at=None).count()
            if quiz.bank_draw and quiz.topic_id
            else 0
        )
        if own + min(bank, quiz.bank_draw) == 0:
            raise ValidationError(_("Add at least one question before publishing."))
        if quiz.bank_draw > bank:
            raise ValidationError(
                _("The bank of this topic holds %(have)s questions; the quiz draws %(want)s.")
                % {"have": bank, "want": quiz.bank_draw}
            )
    quiz.published = published
    quiz.updated_at = clock.now()
    with transaction.atomic():
        quiz.save(update_fields=["published", "updated_at"])
        if published and announce:
            announcements.quiz_announce_later(quiz)
        elif published:
            Quiz.objects.filter(pk=quiz.pk, announced_at__isnull=True).update(announced_at=quiz.updated_at)
    return quiz


def quiz_duplicate(*, quiz: Quiz, actor: User) -> Quiz:
    """A draft copy with the same settings and questions; attempts and results stay with the original."""
    if not has_cap(actor, Cap.BUILD_QUIZZES):
        raise PermissionDenied403
    specs = question_specs(list(quiz.questions.prefetch_related("choices").order_by("position", "id")))
    images = list(quiz.questions.order_by("position", "id").values_list("image", flat=True))
    now = clock.now()
    copy_fields = {
        f.name: getattr(quiz, f.name)
        for f in Quiz._meta.concrete_fields
        if f.name not in ("id", "author", "published", "created_at", "updated_at")
    }
    copy_fields["title"] = (_("%(title)s (copy)") % {"title": quiz.title})[:200]
    try:
        access.check_audience(actor, quiz.audience, quiz.unit, quiz.region, quiz.team)
    except PermissionDenied403:
        # Someone else's quiz, for an audience the actor may not address: the copy is for their team.
        if actor.team_id is None:
            raise ValidationError(_("You have no team to address a copy to.")) from None
        copy_fields.update(audience=Quiz.Audience.TEAM, team=actor.team, unit=None, region=None)
    with transaction.atomic():
        copy = Quiz.objects.create(
            author=actor, published=False, created_at=now, updated_at=now, **copy_fields
        )
        created = _questions_bulk_create(quiz=copy, topic=None, author=actor, specs=specs)
        with_images = []
        for question, image in zip(created, images, strict=True):
            if image:
                question.image = image  # the same stored file: pictures are never changed in place
                with_images.append(question)
        if with_images:
            Question.objects.bulk_update(with_images, ["image"])
    return copy


def question_specs(questions: Sequence[Question]) -> list[QuestionSpec]:
    return [
        QuestionSpec(
            kind=q.kind,
            text=q.text,
            text_en=q.text_en,
            explanation=q.explanation,
            explanation_en=q.explanation_en,
            partial_credit=q.partial_credit,
            choices=[ChoiceSpec(c.text, c.text_en, c.is_correct) for c in q.choices.all()],
        )
        for q in questions
    ]


def _image_file(upload: UploadedFile | None) -> Any:
    if upload is None:
        return None
    try:
        processed = process_image(upload.read(), max_side=1200)
    except ImageRejected as exc:
        raise ValidationError({"image": str(exc)}) from exc
    processed.full.name = "question.jpg"
    return processed.full


def question_add(
    *,
    actor: User,
    spec: QuestionSpec,
    quiz: Quiz | None = None,
    topic: PracticeTopic | None = None,
    image: UploadedFile | None = None,
) -> Question:
    """A question for `quiz`, or for the bank of `topic` when no quiz is given."""
    if quiz is not None:
        _check_editable(actor, quiz)
    elif topic is None or not has_cap(actor, Cap.BUILD_QUIZZES):
        raise PermissionDenied403
    validate(spec)
    picture = _image_file(image)
    with transaction.atomic():
        start = quiz.questions.count() if quiz is not None else 0
        question = _questions_bulk_create(
            quiz=quiz, topic=None if quiz else topic, author=actor, specs=[spec], start=start
        )[0]
        if picture is not None:
            question.image.save(picture.name, picture, save=True)
    return question


def _check_editable(actor: User, quiz: Quiz) -> None:
    if not access.may_change(actor, quiz):
        raise PermissionDenied403
    if _has_attempts(quiz):
        raise ValidationError(
            _(
                "People have already taken this quiz: its questions no longer change. Duplicate it to make a new version."
            )
        )


def question_update(
    *, actor: User, question: Question, spec: QuestionSpec, image: UploadedFile | None = None
) -> Question:
    """Change a question. One that attempts have used is not changed in place: it is retired and its
    next version takes its place (returned), so those attempts keep the text and answers they saw,
    and the analytics count each version on its own."""
    if question.quiz is not None:
        _check_editable(actor, question.quiz)
    elif not access.may_change_bank_question(actor, question):
        raise PermissionDenied403
    if question.retired_at is not None:
        raise ValidationError(_("This question is retired: edit its latest version."))
    validate(spec)
    picture = _image_file(image)
    with transaction.atomic():
        if AttemptAnswer.objects.filter(question=question).exists():
            return _question_new_version(actor=actor, question=question, spec=spec, picture=picture)
        question.kind = spec.kind
        question.text, question.text_en = spec.text.strip(), spec.text_en.strip()
        question.explanation, question.explanation_en = spec.explanation.strip(), spec.explanation_en.strip()
        question.partial_credit = spec.partial_credit
        question.save()
        question.choices.all().delete()
        Choice.objects.bulk_create(
            [
                Choice(
                    question=question,
                    text=c.text.strip(),
                    text_en=c.text_en.strip(),
                    is_correct=c.correct,
                    position=i,
                )
                for i, c in enumerate(spec.choices)
            ]
        )
        if picture is not None:
            question.image.save(picture.name, picture, save=True)
    return question


def _question_new_version(*, actor: User, question: Question, spec: QuestionSpec, picture: Any) -> Question:
    # Retire first, only if still live: two authors saving at once make one new version, not two.
    if not Question.objects.filter(pk=question.pk, retired_at__isnull=True).update(retired_at=clock.now()):
        raise ValidationError(_("This question was changed meanwhile: edit its latest version."))
    created = _questions_bulk_create(
        quiz=question.quiz, topic=question.topic, author=actor, specs=[spec], start=question.position
    )[0]
    created.version, created.replaces = question.version + 1, question
    created.image = question.image  # the same stored file, unless a new picture replaces it
    created.save(update_fields=["version", "replaces", "image"])
    if picture is not None:
        created.image.save(picture.name, picture, save=True)
    return created


def question_retire(*, actor: User, question: Question) -> Question:
    """Take a bank question out of the draws. Attempts that used it keep showing it."""
    if question.quiz is not None or not access.may_change_bank_question(actor, question):
        raise PermissionDenied403
    Question.objects.filter(pk=question.pk, retired_at__isnull=True).update(retired_at=clock.now())
    question.refresh_from_db(fields=["retired_at"])
    return question


def question_delete(*, actor: User, question: Question) -> None:
    if question.quiz is not None:
        _check_editable(actor, question.quiz)
    else:
        question_retire(actor=actor, question=question)  # a bank question may be in attempts: retired, kept
        return
    question.delete()


def bank_add_many(*, actor: User, topic: PracticeTopic, specs: Sequence[QuestionSpec]) -> list[Question]:
    if not has_cap(actor, Cap.BUILD_QUIZZES):
        raise PermissionDenied403
    for spec in specs:
        validate(spec)
    return _questions_bulk_create(quiz=None, topic=topic, author=actor, specs=specs)
