"""Text helpers shared by search, imports and people matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")


def strip_accents(value: str) -> str:
    if value.isascii():
        return value  # most names and codes: no need to decompose them character by character
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(value: str) -> str:
    """Lower-case, accent-free form used to match names and headers ("Éric" -> "eric")."""
    return strip_accents(value).casefold().strip()


@lru_cache(maxsize=4096)
def header_key(value: str) -> str:
    """Canonical form of a spreadsheet header: "Adresse e-mail " -> "adresse_e_mail"."""
    return _NON_WORD.sub("_", fold(value)).strip("_")
