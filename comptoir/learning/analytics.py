"""The author's analytics, read from the roll-ups (QuizResult, AnswerStat), never from the attempts:
a fixed number of queries whatever the number of attempts."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import get_language

from comptoir.core.pagination import Page, keyset_page
from comptoir.learning.models import (
    AnswerStat,
    Attempt,
    Choice,
    Kudos,
    Question,
    Quiz,
    QuizGroupStat,
    QuizResult,
    QuizScoreBand,
)
from comptoir.org.models import Region, Team, User

BUCKETS = 10  # the score distribution in tenths: 0-9 %, 10-19 %, ... 90-100 %


@dataclass
class GroupRow:
    key: int | None
    label: str
    audience: int
    takers: int
    passed: int

    @property
    def participation(self) -> float:
        return round(100 * self.takers / self.audience, 1) if self.audience else 0.0

    @property
    def pass_rate(self) -> float:
        return round(100 * self.passed / self.takers, 1) if self.takers else 0.0


@dataclass
class HardQuestion:
    question: Question
    answered: int
    correct: int
    wrong_answer: str  # the most common wrong answer, as the choices' texts
    wrong_count: int

    @property
    def success_rate(self) -> float:
        return round(100 * self.correct / self.answered, 1) if self.answered else 0.0


@dataclass
class QuizAnalytics:
    audience: int
    takers: int
    passed: int
    by_team: list[GroupRow]  # every team of the audience, lowest participation first
    by_region: list[GroupRow]
    hardest: list[HardQuestion]
    distribution: list[int]
    not_taken: list[User] = field(default_factory=list)
    manages_team: bool = False
    passed_in_team: Page[QuizResult] | None = None

    @property
    def participation(self) -> float:
        return round(100 * self.takers / self.audience, 1) if self.audience else 0.0

    @property
    def pass_rate(self) -> float:
        return round(100 * self.passed / self.takers, 1) if self.takers else 0.0


def audience_people(quiz: Quiz) -> QuerySet[User]:
    people = User.objects.filter(is_active=True)
    if quiz.audience == Quiz.Audience.UNIT:
        return people.filter(unit_id=quiz.unit_id or 0)
    if quiz.audience == Quiz.Audience.REGION:
        return people.filter(region_id=quiz.region_id or 0)
    if quiz.audience == Quiz.Audience.TEAM:
        # The team's members; its manager built or oversees the quiz rather than takes it.
        manager_id = quiz.team.manager_id if quiz.team else None
        return people.filter(team_id=quiz.team_id or 0).exclude(pk=manager_id or 0)
    return people


HEAD_COUNTS_TTL = 300  # seconds: the organisation changes by imports, not from minute to minute


@dataclass(frozen=True)
class AudienceCounts:
    """How many people of the audience in each (team, region), and the names of those teams and regions."""

    people: list[tuple[int | None, int | None, int]]
    team_names: dict[int, str]
    region_names: dict[int, str]


def audience_counts(quiz: Quiz) -> AudienceCounts:
    """Counting 10,000 people and naming 750 teams cost more than the rest of the analytics
    together, the organisation changes by imports rather than from minute to minute, and many
    quizzes share an audience: the figures are kept in the cache for a few minutes."""
    key = f"learning:audience:{quiz.audience}:{quiz.unit_id}:{quiz.region_id}:{quiz.team_id}:{get_language()}"

    def count() -> AudienceCounts:
        people = audience_people(quiz).values_list("team_id", "region_id").annotate(n=Count("id")).order_by()
        rows = [(team_id, region_id, n) for team_id, region_id, n in people]
        return AudienceCounts(
            people=rows,
            team_names=dict(
                Team.objects.filter(pk__in={t for t, _r, _n in rows if t}).values_list("id", "name")
            ),
            region_names={
                r.pk: r.label for r in Region.objects.filter(pk__in={r for _t, r, _n in rows if r})
            },
        )

    counts = cache.get_or_set(key, count, HEAD_COUNTS_TTL)
    return counts if isinstance(counts, AudienceCounts) else count()


def _group_rows(counts: dict[int, list[int]], names: dict[int, str], none_label: str) -> list[GroupRow]:
    rows = [
        GroupRow(key or None, names.get(key, none_label) if key else none_label, *n)
        for key, n in counts.items()
    ]
    # Lowest participation first: the teams that need a word from their manager.
    return sorted(rows, key=lambda r: (r.participation, -r.audience, r.label))


def quiz_analytics(*, quiz: Quiz, viewer: User, none_label: str = "—", hardest: int = 5) -> QuizAnalytics:
    """Participation and pass rate by team and region, the hardest questions with their most common
    wrong answer, the score distribution, and (for a manager) who in their team has not taken it.

    Read from the running totals (QuizGroupStat, QuizScoreBand, AnswerStat) and the audience's
    head count per team and region: a fixed number of queries, none over the attempts."""
    # [audience, takers, passed] per team and per region; key 0 is "none".
    teams: dict[int, list[int]] = {}
    regions: dict[int, list[int]] = {}
    counts = audience_counts(quiz)
    for team_id, region_id, n in counts.people:
        teams.setdefault(team_id or 0, [0, 0, 0])[0] += n
        regions.setdefault(region_id or 0, [0, 0, 0])[0] += n
    for team_key, region_key, takers, passed in QuizGroupStat.objects.filter(quiz=quiz).values_list(
        "team_key", "region_key", "takers", "passed"
    ):
        for totals, key in ((teams, team_key), (regions, region_key)):
            row = totals.setdefault(key, [0, 0, 0])
            row[1] += takers
            row[2] += passed
    # Teams and regions with results but outside the audience now (people moved) are named apart.
    team_names = counts.team_names
    if missing_teams := [k for k in teams if k and k not in team_names]:
        team_names = team_names | dict(Team.objects.filter(pk__in=missing_teams).values_list("id", "name"))
    region_names = counts.region_names
    if missing_regions := [k for k in regions if k and k not in region_names]:
        region_names = region_names | {r.pk: r.label for r in Region.objects.filter(pk__in=missing_regions)}
    distribution = [0] * BUCKETS
    for band, n in QuizScoreBand.objects.filter(quiz=quiz).values_list("band", "count"):
        distribution[band] += n
    managed = Team.objects.filter(manager_id=viewer.pk).values("id")
    not_taken = list(
        audience_people(quiz)
        .filter(team_id__in=managed)
        .exclude(pk=viewer.pk)
        .exclude(pk__in=QuizResult.objects.filter(quiz=quiz).values("user_id"))
        .select_related("team")
        .order_by("last_name", "first_name", "id")[:200]
    )
    return QuizAnalytics(
        audience=sum(n[0] for n in teams.values()),
        takers=sum(n[1] for n in teams.values()),
        passed=sum(n[2] for n in teams.values()),
        by_team=_group_rows(teams, team_names, none_label),
        by_region=_group_rows(regions, region_names, none_label),
        hardest=hardest_questions(quiz, limit=hardest),
        distribution=distribution,
        not_taken=not_taken,
        manages_team=Team.objects.filter(manager_id=viewer.pk).exists(),
        passed_in_team=passed_in_team(quiz, viewer),
    )


def passed_in_team(
    quiz: Quiz, viewer: User, *, cursor: str | None = None, size: int = 20
) -> Page[QuizResult]:
    """The members of the teams the viewer manages who passed the quiz, latest first, one keyset
    page: each result carries `attempt_id`, the first passing attempt to congratulate, and
    `congratulated`, whether the viewer already did on this quiz. One query when they manage no
    team, two otherwise."""
    teams = list(Team.objects.filter(manager_id=viewer.pk).values_list("id", flat=True))
    if not teams:
        return Page(items=[], next_cursor=None)
    people = User.objects.filter(team_id__in=teams).exclude(pk=viewer.pk)
    first_pass = Attempt.objects.filter(quiz_id=quiz.pk, user_id=OuterRef("user_id"), passed=True).order_by(
        "number"
    )
    kudos = Kudos.objects.filter(
        attempt__quiz_id=quiz.pk, attempt__user_id=OuterRef("user_id"), by_id=viewer.pk
    )
    results = (
        QuizResult.objects.filter(quiz_id=quiz.pk, passed=True, user_id__in=people.values("id"))
        .annotate(attempt_id=Subquery(first_pass.values("id")[:1]), congratulated=Exists(kudos))
        .select_related("user")
    )
    return keyset_page(results, ordering=("-passed_at", "-id"), cursor=cursor, size=size)


@dataclass
class _Tally:
    answered: int = 0
    correct: int = 0
    wrong_key: str = ""
    wrong_count: int = 0


def hardest_questions(quiz: Quiz, *, limit: int = 5) -> list[HardQuestion]:
    """Lowest success rate first, each with its most common wrong answer (three queries)."""
    tallies: dict[int, _Tally] = {}
    for question_id, key, correct, count in AnswerStat.objects.filter(quiz=quiz).values_list(
        "question_id", "answer_key", "correct", "count"
    ):
        tally = tallies.setdefault(question_id, _Tally())
        tally.answered += count
        if correct:
            tally.correct += count
        elif count > tally.wrong_count:
            tally.wrong_key, tally.wrong_count = key, count
    ranked = sorted(tallies.items(), key=lambda kv: (kv[1].correct / max(1, kv[1].answered), kv[0]))[:limit]
    questions = Question.objects.in_bulk([qid for qid, _t in ranked])
    wanted = {int(i) for _qid, t in ranked for i in t.wrong_key.split(",") if i}
    texts = {c.pk: c.label for c in Choice.objects.filter(pk__in=wanted)}
    result = []
    for qid, tally in ranked:
        ids = [int(i) for i in tally.wrong_key.split(",") if i]
        joiner = " → " if questions[qid].kind == Question.Kind.ORDERING else ", "
        label = joiner.join(texts.get(i, "?") for i in ids)
        result.append(
            HardQuestion(
                question=questions[qid],
                answered=tally.answered,
                correct=tally.correct,
                wrong_answer=label,
                wrong_count=tally.wrong_count,
            )
        )
    return result


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "last_name",
    "first_name",
    "email",
    "team",
    "region",
    "attempts",
    "best_score",
    "last_score",
    "passed",
    "passed_at",
]


def results_csv_rows(quiz: Quiz) -> Iterator[str]:
    """One line per person who took the quiz, streamed (the export of a national quiz is long)."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    results = (
        QuizResult.objects.filter(quiz=quiz)
        .select_related("user", "team", "region")
        .order_by("user__last_name", "user__first_name", "id")
    )
    for r in results.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                safe_cell(v)
                for v in [
                    r.user.last_name,
                    r.user.first_name,
                    r.user.email,
                    r.team.name if r.team else "",
                    r.region.label if r.region else "",
                    r.attempts,
                    r.best_score,
                    r.last_score,
                    "yes" if r.passed else "no",
                    r.passed_at.isoformat() if r.passed_at else "",
                ]
            ]
        )


def safe_cell(value: object) -> object:
    """A spreadsheet must not run a name that starts like a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
