"""The kinds of notification, declared by the apps that send them.

An app declares what it notifies about in a `notification_kinds.py` module with
`KINDS: list[NotificationKind]`; the preferences page then lets each person turn the e-mail for
each kind on or off. `notify(kind=...)` accepts any code, but a kind nobody declared cannot be
turned off, so every app should declare its kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from comptoir.core.extensions import app_modules


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: Any
    email_by_default: bool = True


def notification_kinds() -> list[NotificationKind]:
    kinds: dict[str, NotificationKind] = {}
    for module in app_modules("notification_kinds"):
        for kind in getattr(module, "KINDS", []):
            kinds[kind.code] = kind
    return list(kinds.values())
