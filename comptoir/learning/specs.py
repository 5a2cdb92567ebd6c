"""A question as the author writes it, before it is saved: the one shape that the form, the
spreadsheet import, the API and the demo all produce, validated in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from comptoir.learning.models import Question

MAX_CHOICES = 10
TRUE_WORDS = {"vrai", "true", "v", "t", "oui", "yes", "1"}
FALSE_WORDS = {"faux", "false", "f", "non", "no", "0"}
KIND_ALIASES = {
    "single": Question.Kind.SINGLE,
    "unique": Question.Kind.SINGLE,
    "choix unique": Question.Kind.SINGLE,
    "multiple": Question.Kind.MULTIPLE,
    "choix multiple": Question.Kind.MULTIPLE,
    "true_false": Question.Kind.TRUE_FALSE,
    "true/false": Question.Kind.TRUE_FALSE,
    "vrai/faux": Question.Kind.TRUE_FALSE,
    "vrai_faux": Question.Kind.TRUE_FALSE,
    "ordering": Question.Kind.ORDERING,
    "order": Question.Kind.ORDERING,
    "ordre": Question.Kind.ORDERING,
}


@dataclass(frozen=True)
class ChoiceSpec:
    text: str
    text_en: str = ""
    correct: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    choices: Sequence[ChoiceSpec] = field(default_factory=tuple)
    text_en: str = ""
    explanation: str = ""
    explanation_en: str = ""
    partial_credit: bool = False


def true_false_choices(answer_is_true: bool) -> tuple[ChoiceSpec, ChoiceSpec]:
    return (ChoiceSpec("Vrai", "True", answer_is_true), ChoiceSpec("Faux", "False", not answer_is_true))


def validate(spec: QuestionSpec) -> None:
    """Raise ValidationError (by field) when the question cannot be answered fairly."""
    errors: dict[str, str] = {}
    if spec.kind not in Question.Kind.values:
        errors["kind"] = _("Unknown kind of question.")
    if not spec.text.strip():
        errors["text"] = _("Write the question.")
    choices = list(spec.choices)
    correct = sum(1 for c in choices if c.correct)
    if len(choices) < 2:
        errors["choices"] = _("Give at least two answers.")
    elif len(choices) > MAX_CHOICES:
        errors["choices"] = _("Give at most %(n)s answers.") % {"n": MAX_CHOICES}
    elif any(not c.text.strip() or len(c.text) > 300 or len(c.text_en) > 300 for c in choices):
        errors["choices"] = _("Each answer needs a text of 300 characters at most.")
    elif len({c.text.strip().lower() for c in choices}) != len(choices):
        errors["choices"] = _("Two answers have the same text.")
    elif spec.kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and correct != 1:
        errors["choices"] = _("Mark exactly one correct answer.")
    elif spec.kind == Question.Kind.MULTIPLE and correct < 1:
        errors["choices"] = _("Mark at least one correct answer.")
    elif spec.kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
        errors["choices"] = _("A true-or-false question has two answers.")
    if any(c.text_en for c in choices) and not all(c.text_en for c in choices):
        errors["choices_en"] = _("Translate every answer, or none.")
    if errors:
        raise ValidationError(errors)


def parse_lines(kind: str, lines: str, lines_en: str = "", *, correct_tf: str = "") -> list[ChoiceSpec]:
    """The form's way of writing answers: one per line, a leading `*` marks a correct one; for
    ordering, the lines in the correct order; for true/false, `correct_tf` says which is true."""
    if kind == Question.Kind.TRUE_FALSE:
        word = correct_tf.strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ValidationError({"correct": _("Say whether the statement is true or false.")})
        return list(true_false_choices(word in TRUE_WORDS))
    french = [line.strip() for line in lines.splitlines() if line.strip()]
    english = [line.strip().lstrip("*").strip() for line in lines_en.splitlines() if line.strip()]
    if english and len(english) != len(french):
        raise ValidationError(
            {"choices_en": _("Give as many English answers as French ones, in the same order.")}
        )
    specs = []
    for index, line in enumerate(french):
        marked = line.startswith("*")
        specs.append(
            ChoiceSpec(
                text=line.lstrip("*").strip(),
                text_en=english[index] if english else "",
                correct=marked and kind != Question.Kind.ORDERING,
            )
        )
    return specs


def as_lines(spec_choices: Sequence[ChoiceSpec], kind: str) -> tuple[str, str, str]:
    """The reverse of `parse_lines`, to fill the form when editing: (lines, lines_en, correct_tf)."""
    if kind == Question.Kind.TRUE_FALSE:
        true_is_correct = bool(spec_choices) and spec_choices[0].correct
        return "", "", "vrai" if true_is_correct else "faux"
    lines = "\n".join(("*" if c.correct else "") + c.text for c in spec_choices)
    lines_en = "\n".join(c.text_en for c in spec_choices) if any(c.text_en for c in spec_choices) else ""
    return lines, lines_en, ""


def parse_kind(value: str) -> str:
    kind = KIND_ALIASES.get(value.strip().lower())
    if kind is None:
        raise ValidationError(
            {"kind": _("Unknown kind of question: use single, multiple, true_false or ordering.")}
        )
    return str(kind)
