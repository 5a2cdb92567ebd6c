"""Scoring: pure functions, one per kind of question, so the rules read (and test) on their own.

Each question is worth one point. A multiple-choice or ordering answer that is partly right scores
zero unless the author turned partial credit on for that question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    """What a question expects: the correct choice ids (single, multiple, true/false) or the ids in
    their correct order (ordering)."""

    kind: str
    correct: tuple[int, ...]
    partial_credit: bool = False


def score(key: Key, answer: Sequence[int]) -> float:
    """Points (0..1) for `answer`: the chosen ids, or the ids in the order given."""
    if key.kind == "ordering":
        return _ordering(key, list(answer))
    chosen = set(answer)
    correct = set(key.correct)
    if chosen == correct:
        return 1.0
    if key.kind != "multiple" or not key.partial_credit or not correct:
        return 0.0
    # Partial credit: each right choice earns its share, each wrong one takes a share back.
    right = len(chosen & correct)
    wrong = len(chosen - correct)
    return max(0.0, (right - wrong) / len(correct))


def _ordering(key: Key, answer: list[int]) -> float:
    if answer == list(key.correct):
        return 1.0
    if not key.partial_credit or not key.correct or sorted(answer) != sorted(key.correct):
        return 0.0
    # Partial credit: the share of items put at their right place.
    placed = sum(1 for given, expected in zip(answer, key.correct, strict=True) if given == expected)
    return placed / len(key.correct)


def percent(points: float, questions: int) -> float:
    return round(100 * points / questions, 1) if questions else 0.0


def answer_key(kind: str, answer: Sequence[int]) -> str:
    """The answer as a short stable text (the roll-up's key): sorted ids, or ids in order for ordering."""
    ids = list(answer) if kind == "ordering" else sorted(set(answer))
    return ",".join(str(i) for i in ids)[:200]
