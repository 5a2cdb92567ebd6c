"""Quizzes and question banks from a spreadsheet, all or nothing, with a report of every bad row.

One row per question. Columns: quiz (the title; rows with the same title make one quiz; empty for a
question of the bank), topic (practice topic, French or English name: the quiz's badge, or the bank
the question goes to), type (single, multiple, true_false, ordering; French words accepted), question,
question_en, choices (separated by |; for ordering, in the right order), choices_en, correct (the
numbers of the correct choices, 1-based, separated by commas; for true_false: vrai/faux),
explanation, explanation_en, partial_credit (oui/non).

Imported quizzes are drafts addressed to the importer's own team (the whole company for national
programme owners): the author checks them, sets dates and limits, and publishes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from comptoir.core.imports import (
    Column,
    Importer,
    ImportReport,
    ProgressCallback,
    RowError,
    RowInvalid,
    run_import,
)
from comptoir.core.models import PracticeTopic
from comptoir.core.tables import Table, TableFileError, read_table
from comptoir.core.text import fold
from comptoir.learning import access
from comptoir.learning.models import Quiz
from comptoir.learning.services import QuizSettings, bank_add_many, quiz_create
from comptoir.learning.specs import (
    FALSE_WORDS,
    TRUE_WORDS,
    ChoiceSpec,
    QuestionSpec,
    parse_kind,
    true_false_choices,
    validate,
)
from comptoir.org.models import User

YES = {"oui", "yes", "o", "y", "1", "true", "vrai", "x"}


@dataclass(frozen=True)
class QuestionRow:
    quiz: str
    topic: PracticeTopic | None
    spec: QuestionSpec


class QuizImporter(Importer[QuestionRow]):
    columns = (
        Column("quiz", required=False),
        Column("topic", required=False, aliases=("thème", "theme", "sujet")),
        Column("type", aliases=("kind",)),
        Column("question"),
        Column("question_en", required=False),
        Column("choices", aliases=("réponses", "reponses", "answers")),
        Column("choices_en", required=False, aliases=("answers_en",)),
        Column("correct", required=False, aliases=("bonnes réponses", "bonne réponse", "correct answers")),
        Column("explanation", required=False, aliases=("explication",)),
        Column("explanation_en", required=False),
        Column("partial_credit", required=False, aliases=("crédit partiel", "credit partiel")),
    )

    def __init__(self, author: User) -> None:
        self.author = author
        self.topics: dict[str, PracticeTopic] = {}
        self.created_quizzes: list[Quiz] = []

    def prepare(self, table: Table) -> None:
        for topic in PracticeTopic.objects.all():
            for name in (topic.name, topic.name_en, topic.slug):
                if name:
                    self.topics[fold(name)] = topic

    def check_row(self, line: int, row: dict[str, str]) -> QuestionRow:
        errors: list[tuple[str, str]] = []
        quiz = self.cell(row, "quiz")
        topic_name = self.cell(row, "topic")
        topic = self.topics.get(fold(topic_name)) if topic_name else None
        if topic_name and topic is None:
            errors.append(("topic", _("Unknown practice topic “%(name)s”.") % {"name": topic_name}))
        if not quiz and not topic_name:
            errors.append(("topic", _("A question without a quiz goes to a topic's bank: name the topic.")))
        if len(quiz) > 200:
            errors.append(("quiz", _("The title is 200 characters at most.")))
        kind = ""
        try:
            kind = parse_kind(self.cell(row, "type"))
        except ValidationError as exc:
            errors.append(("type", " ".join(exc.messages)))
        choices = self._choices(kind, row, errors) if kind else []
        spec = QuestionSpec(
            kind=kind,
            text=self.cell(row, "question"),
            text_en=self.cell(row, "question_en"),
            explanation=self.cell(row, "explanation"),
            explanation_en=self.cell(row, "explanation_en"),
            partial_credit=self.cell(row, "partial_credit").strip().lower() in YES,
            choices=choices,
        )
        if kind and not errors:
            try:
                validate(spec)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.extend((field, m) for m in messages)
        if errors:
            raise RowInvalid(*errors)
        return QuestionRow(quiz=quiz.strip(), topic=topic, spec=spec)

    def _choices(self, kind: str, row: dict[str, str], errors: list[tuple[str, str]]) -> list[ChoiceSpec]:
        correct_text = self.cell(row, "correct").strip().lower()
        if kind == "true_false":
            if correct_text not in TRUE_WORDS | FALSE_WORDS:
                errors.append(("correct", _("Write vrai or faux.")))
                return []
            return list(true_false_choices(correct_text in TRUE_WORDS))
        french = [c.strip() for c in self.cell(row, "choices").split("|") if c.strip()]
        english = [c.strip() for c in self.cell(row, "choices_en").split("|") if c.strip()]
        if english and len(english) != len(french):
            errors.append(("choices_en", _("Give as many English answers as French ones.")))
            english = []
        marked: set[int] = set()
        if kind != "ordering":
            for part in correct_text.replace(";", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                if not part.isdigit() or not 1 <= int(part) <= len(french):
                    errors.append(
                        (
                            "correct",
                            _("“%(value)s” is not the number of one of the choices.") % {"value": part},
                        )
                    )
                    continue
                marked.add(int(part) - 1)
        return [
            ChoiceSpec(text=t, text_en=english[i] if english else "", correct=i in marked)
            for i, t in enumerate(french)
        ]

    def check_together(self, rows: list[tuple[int, QuestionRow]]) -> list[RowError]:
        errors = []
        topic_of: dict[str, PracticeTopic | None] = {}
        for line, row in rows:
            if not row.quiz:
                continue
            if row.quiz in topic_of and row.topic is not None and topic_of[row.quiz] not in (None, row.topic):
                errors.append(RowError(line, _("The rows of one quiz name different topics."), "topic"))
            elif topic_of.get(row.quiz) is None:
                topic_of[row.quiz] = row.topic
        return errors

    def apply(
        self, rows: list[tuple[int, QuestionRow]], report: ImportReport, progress: ProgressCallback
    ) -> None:
        quizzes: dict[str, list[QuestionRow]] = {}
        banks: dict[int, list[QuestionRow]] = {}
        for _line, row in rows:
            if row.quiz:
                quizzes.setdefault(row.quiz, []).append(row)
            else:
                assert row.topic is not None
                banks.setdefault(row.topic.pk, []).append(row)
        for title, items in quizzes.items():
            topic = next((r.topic for r in items if r.topic), None)
            settings = self._default_audience(
                QuizSettings(title=title, topic=topic, audience=Quiz.Audience.COMPANY)
            )
            self.created_quizzes.append(
                quiz_create(author=self.author, settings=settings, questions=[r.spec for r in items])
            )
            report.created += len(items)
        for items in banks.values():
            assert items[0].topic is not None
            bank_add_many(actor=self.author, topic=items[0].topic, specs=[r.spec for r in items])
            report.created += len(items)

    def _default_audience(self, settings: QuizSettings) -> QuizSettings:
        if access.is_national(self.author):
            settings.audience = Quiz.Audience.COMPANY
        elif self.author.team_id:
            settings.audience, settings.team = Quiz.Audience.TEAM, self.author.team
        elif self.author.region_id:
            settings.audience, settings.region = Quiz.Audience.REGION, self.author.region
        else:
            settings.audience, settings.unit = Quiz.Audience.UNIT, self.author.unit
        return settings


def import_quizzes(*, author: User, data: bytes, filename: str) -> tuple[ImportReport, list[Quiz]]:
    """Read and import one file: every row is checked first; one bad row and nothing is written."""
    try:
        table = read_table(data, filename)
    except TableFileError as exc:
        return ImportReport(file_error=str(exc)), []
    importer = QuizImporter(author)
    report = run_import(importer, table)
    return report, importer.created_quizzes


TEMPLATE_HEADER = [c.name for c in QuizImporter.columns]
