from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.notifications.kinds import notification_kinds


class PreferencesForm(forms.Form):
    """One switch for every e-mail, then one per kind of notification."""

    all_email = forms.BooleanField(label=_("Send me e-mails"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in notification_kinds():
            self.fields[f"kind_{kind.code}"] = forms.BooleanField(label=kind.label, required=False)

    def by_kind(self) -> dict[str, bool]:
        return {
            name.removeprefix("kind_"): bool(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("kind_")
        }
