"""The organisation speaks French first: every message of the foundation has its French translation."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M)


def untranslated(po: Path) -> list[str]:
    missing = []
    for match in ENTRY.finditer(po.read_text(encoding="utf-8")):
        msgid = "".join(json.loads(line) for line in match.group(1).splitlines())
        msgstr = "".join(json.loads(line) for line in match.group(2).splitlines() if line)
        if msgid and not msgstr:
            missing.append(msgid)
    return missing


@pytest.mark.parametrize("app", ["core", "org", "notifications", "api"])
def test_every_message_has_a_french_translation_and_a_compiled_catalogue(app):
    po = ROOT / "comptoir" / app / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    assert untranslated(po) == []
    # A fuzzy entry is a guess makemessages made: gettext ignores it, so the page shows English.
    assert "#, fuzzy" not in po.read_text(encoding="utf-8").split("\n\n", 1)[1]
    mo = po.with_suffix(".mo")
    assert mo.exists()
