"""A small French stemmer for search: accents off, plurals and common endings folded.

It follows the spirit of Savoy's "light" French stemmer: it does not try to find the linguistic
root, only to give the same key to the forms a person types for the same word ("cafés", "café",
"cafe" -> "cafe"; "démonstrations", "démonstration" -> "demonstration"; "présentoirs" ->
"presentoir"). Documents and queries go through the same function, so both sides always agree.
"""

from __future__ import annotations

import re

from comptoir.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")
# Endings folded to a shorter common form, longest first; applied once.
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("issements", "iss"),
    ("issement", "iss"),
    ("atrices", "ateur"),
    ("atrice", "ateur"),
    ("ements", "ement"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("eaux", "eau"),
    ("aux", "al"),
    ("elles", "el"),
    ("elle", "el"),
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("ives", "if"),
    ("ive", "if"),
)
# Short words that carry no meaning for search (articles, pronouns, prepositions).
_STOP = """
    a au aux avec ce ces cet cette dans de des du elle en et il ils je la le les leur leurs lui ma mais me
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
    vos votre vous y d l j c n s m t qu est sont the and of to in
"""
STOP_WORDS = frozenset(_STOP.split())


def stem(word: str) -> str:
    """The search key of one folded (lower-case, accent-free) word."""
    if len(word) <= 3 or word.isdigit():
        return word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + replacement
    if word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    # Feminine and past-participle variants of the same word: "placée(s)", "placé" -> "place".
    if word.endswith("ee") and len(word) > 4:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The search keys of `text`, in order (stop words left out)."""
    folded = fold(text)
    return [stem(w) for w in _WORD.findall(folded) if w not in STOP_WORDS]
