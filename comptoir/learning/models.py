"""Quizzes that prove expertise: quizzes and their question bank, attempts, results and badges.

The correct answer lives only in `Choice.is_correct` (and, for ordering questions, in `Choice.position`).
A page or an API answer about a question that is not yet answered never reads those fields: choices are
shown in an order drawn for the attempt and referred to by their index in that order, so neither ids
nor positions give the answer away.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def _pick(french: str, english: str) -> str:
    """French is the text of record; English is shown to English readers when the author wrote it."""
    if english and (get_language() or "fr").startswith("en"):
        return english
    return french


class Quiz(models.Model):
    class Audience(models.TextChoices):
        COMPANY = "company", _("The whole company")
        UNIT = "unit", _("A business unit")
        REGION = "region", _("A region")
        TEAM = "team", _("A team")

    title = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("introduction (French)"), blank=True)
    description_en = models.TextField(_("introduction (English)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quizzes_written",
        verbose_name=_("author"),
    )
    # The practice topic the quiz proves expertise on: its badge, and its question bank.
    topic = models.ForeignKey(
        "core.PracticeTopic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("practice topic"),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.TEAM)
    unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business unit"),
    )
    region = models.ForeignKey(
        "org.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    team = models.ForeignKey(
        "org.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    opens_at = models.DateTimeField(_("opens on"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes on"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty: as many as wanted.")
    )
    time_limit_seconds = models.PositiveIntegerField(
        _("time limit for the quiz (seconds)"), null=True, blank=True
    )
    question_time_limit_seconds = models.PositiveIntegerField(
        _("time limit per question (seconds)"), null=True, blank=True
    )
    # Questions drawn at random from the topic's bank for each attempt, on top of the quiz's own.
    bank_draw = models.PositiveSmallIntegerField(_("questions drawn from the topic's bank"), default=0)
    leaderboard = models.BooleanField(
        _("show a leaderboard"),
        default=False,
        help_text=_("Off by default: results are private to each person."),
    )
    published = models.BooleanField(_("published"), default=False)
    # When its audience was told it is open: publishing again (after a return to draft) tells nobody twice.
    announced_at = models.DateTimeField(null=True, blank=True)
    # The last person (by id) the announcement has told: a retried announcement resumes after them.
    announced_through = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_percent"),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="quiz_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(audience="company")
                | Q(audience="unit", unit__isnull=False)
                | Q(audience="region", region__isnull=False)
                | Q(audience="team", team__isnull=False),
                name="quiz_audience_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["published", "-created_at", "-id"], name="quiz_list_idx"),
            models.Index(fields=["author", "-created_at", "-id"], name="quiz_author_idx"),
            models.Index(fields=["topic"], name="quiz_topic_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return _pick(self.title, self.title_en)

    @property
    def intro(self) -> str:
        return _pick(self.description, self.description_en)


class Question(models.Model):
    """A question of one quiz, or of the question bank of a practice topic (quiz empty)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One correct answer")
        MULTIPLE = "multiple", _("Several correct answers")
        TRUE_FALSE = "true_false", _("True or false")
        ORDERING = "ordering", _("Put in order")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, null=True, blank=True, related_name="questions")
    topic = models.ForeignKey(
        "core.PracticeTopic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_questions",
        verbose_name=_("bank topic"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question (French)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    explanation = models.TextField(_("explanation (French)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    image = models.ImageField(_("picture"), upload_to="quizzes/%Y/%m/", blank=True)
    partial_credit = models.BooleanField(
        _("partial credit"),
        default=False,
        help_text=_("Multiple choice and ordering: a partly right answer earns part of the point."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Versions: a question that attempts have used is never changed in place (those attempts keep
    # the text they answered); an edit retires it and creates the next version, which `replaces` it.
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    retired_at = models.DateTimeField(null=True, blank=True)  # no longer drawn nor shown to authors

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quiz__isnull=False) | Q(topic__isnull=False), name="question_in_quiz_or_bank"
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "position", "id"], name="question_quiz_idx"),
            models.Index(fields=["topic"], condition=Q(quiz__isnull=True), name="question_bank_idx"),
            models.Index(
                fields=["topic", "id"],
                condition=Q(quiz__isnull=True, retired_at__isnull=True),
                name="question_live_bank_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def label(self) -> str:
        return _pick(self.text, self.text_en)

    @property
    def why(self) -> str:
        return _pick(self.explanation, self.explanation_en)


class Choice(models.Model):
    """An answer offered. For ordering questions `position` is the correct rank and `is_correct` is unused."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer (French)"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["question", "position"], name="choice_question_idx")]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        return _pick(self.text, self.text_en)


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("attempt status", "In progress")
        FINISHED = "finished", pgettext_lazy("attempt status", "Finished")
        TIMED_OUT = "timed_out", pgettext_lazy("attempt status", "Time ran out")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    # The server's deadline (the quiz's time limit, or its closing date if sooner): answers after it
    # are refused whatever the browser shows.
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(default=0)
    points = models.FloatField(default=0)
    score = models.FloatField(null=True, blank=True)  # percent, once finished
    passed = models.BooleanField(default=False)
    # Where the person worked when they took it: analytics by team and region keep history as it was.
    team = models.ForeignKey("org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    region = models.ForeignKey(
        "org.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_post_id = models.IntegerField(null=True, blank=True)  # the feed post, if the taker shared it

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # The attempts limit holds under concurrent starts: two starts cannot take the same number.
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_number_unique"),
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(status="in_progress"), name="attempt_one_in_progress"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(finished_at__isnull=False),
                name="attempt_finished_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-started_at", "-id"], name="attempt_user_idx"),
            models.Index(fields=["quiz", "user", "-number"], name="attempt_quiz_user_idx"),
            models.Index(
                fields=["deadline"], condition=Q(status="in_progress"), name="attempt_open_deadline_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.user_id}#{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AttemptAnswer(models.Model):
    """One question of one attempt: drawn at the start, shown, answered once."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)  # choice ids in the order shown for this attempt
    shown_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.JSONField(default=list)  # choice ids chosen, or in the order given
    timed_out = models.BooleanField(default=False)
    points = models.FloatField(default=0)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_answer_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}[{self.position}]"


class QuizResult(models.Model):
    """One person's standing on one quiz (a roll-up kept as attempts finish): analytics, leaderboard,
    "who has not taken it" and the CSV export read this table, never the attempts."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="results")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_results")
    team = models.ForeignKey("org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    region = models.ForeignKey(
        "org.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveIntegerField(default=0)
    best_score = models.FloatField(default=0)
    last_score = models.FloatField(default=0)
    passed = models.BooleanField(default=False)
    first_finished_at = models.DateTimeField()
    passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], name="quiz_result_unique")]
        indexes = [
            models.Index(fields=["quiz", "team"], name="quiz_result_team_idx"),
            models.Index(fields=["quiz", "region"], name="quiz_result_region_idx"),
            models.Index(fields=["quiz", "-best_score", "passed_at", "id"], name="quiz_result_board_idx"),
            models.Index(fields=["user", "passed"], name="quiz_result_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.user_id}: {self.best_score}"


class QuizGroupStat(models.Model):
    """Running totals of one quiz's results per team and region (where each person worked when they
    first finished it): participation and pass rate by team and by region in one small read.
    Keys are 0 for "none", so the upsert's unique key never meets a NULL."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    team_key = models.PositiveIntegerField(default=0)
    region_key = models.PositiveIntegerField(default=0)
    takers = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "team_key", "region_key"], name="quiz_group_stat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} team {self.team_key} region {self.region_key}: {self.passed}/{self.takers}"


class QuizScoreBand(models.Model):
    """How many people have their best score in each tenth (0 = 0-9 %, ..., 9 = 90-100 %)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "band"], name="quiz_score_band_unique"),
            models.CheckConstraint(condition=Q(band__lte=9), name="quiz_score_band_tenths"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} band {self.band}: {self.count}"


class AnswerStat(models.Model):
    """How often each answer was given to each question of a quiz (roll-up): the hardest questions
    and their most common wrong answer without reading the attempts."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    answer_key = models.CharField(max_length=200)  # sorted (or ordered) choice ids; "" = no answer in time
    correct = models.BooleanField(default=False)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question", "answer_key"], name="answer_stat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.answer_key}: {self.count}"


class Badge(models.Model):
    """Expertise on a practice topic, earned by passing quizzes on it; the level grows with the number
    of quizzes passed and the scores."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise_badges"
    )
    topic = models.ForeignKey("core.PracticeTopic", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(default=1)
    quizzes_passed = models.PositiveIntegerField(default=0)
    average_score = models.FloatField(default=0)
    earned_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-level", "topic__order", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="badge_unique")]
        indexes = [models.Index(fields=["user", "topic"], name="badge_user_topic_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.topic_id} L{self.level}"

    @property
    def stars(self) -> range:
        return range(self.level)


class Kudos(models.Model):
    """A manager's congratulation on a passed quiz. It reaches the feed as a congratulation on the
    shared post (at once if the taker shared it, or when they do)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="kudos")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    forwarded = models.BooleanField(default=False)  # shown on the feed

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["attempt", "by"], name="kudos_once_per_manager")]

    def __str__(self) -> str:
        return self.message[:60]
