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
    # The label of a button shown next to the notification in the list, which posts to the
    # notification's URL: the one-tap answer to it (the view behind the URL must accept a repeat).
    one_tap: Any = None


def notification_kinds() -> list[NotificationKind]:
    kinds: dict[str, NotificationKind] = {}
    for module in app_modules("notification_kinds"):
        for kind in getattr(module, "KINDS", []):
            kinds[kind.code] = kind
    return list(kinds.values())


def one_tap_labels() -> dict[str, Any]:
    """The kinds that offer a one-tap button in the notification list, with the button's label."""
    return {kind.code: kind.one_tap for kind in notification_kinds() if kind.one_tap}
