"""The question payload the quiz API and the question-bank API both accept, and its translation to
the services' `QuestionSpec`: one schema, so a question reads the same wherever it is written."""

from __future__ import annotations

from ninja import Schema

from comptoir.learning.specs import ChoiceSpec, QuestionSpec


class ChoiceIn(Schema):
    text: str
    text_en: str = ""
    correct: bool = False


class QuestionIn(Schema):
    kind: str
    text: str
    text_en: str = ""
    explanation: str = ""
    explanation_en: str = ""
    partial_credit: bool = False
    choices: list[ChoiceIn]  # for ordering: in the correct order

    def to_spec(self) -> QuestionSpec:
        return QuestionSpec(
            kind=self.kind,
            text=self.text,
            text_en=self.text_en,
            explanation=self.explanation,
            explanation_en=self.explanation_en,
            partial_credit=self.partial_credit,
            choices=[ChoiceSpec(c.text, c.text_en, c.correct) for c in self.choices],
        )
