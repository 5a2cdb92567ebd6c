from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.insights.models import DigestPreference
from comptoir.insights.selectors import Filters
from comptoir.org.models import OrgUnit, Region, Role, Team

BY_CHOICES = [("unit", _("Business unit")), ("region", _("Region")), ("team", _("Team")), ("role", _("Role"))]


class FilterForm(forms.Form):
    by = forms.ChoiceField(choices=BY_CHOICES, required=False, label=_("Break down by"))
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), required=False, label=_("Business unit"))
    region = forms.ModelChoiceField(queryset=Region.objects.all(), required=False, label=_("Region"))
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, label=_("Team"))
    role = forms.ModelChoiceField(queryset=Role.objects.all(), required=False, label=_("Role"))

    def chosen(self) -> dict[str, object]:
        """The current choices, as the hand-written <select>s of the page compare them."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        found: dict[str, object] = {"by": self.breakdown()}
        for name in ("unit", "region", "team", "role"):
            found[name] = data[name].pk if data.get(name) else None
        return found

    def choices(self, *, teams: list[tuple[int, str]] | None = None) -> dict[str, object]:
        """Options of the filters (one small query each); `teams` narrows the team list to a scope."""
        team_options = (
            teams if teams is not None else list(Team.objects.order_by("name").values_list("id", "name"))
        )
        chosen = self.chosen()
        return {
            "by": [(value, str(label)) for value, label in BY_CHOICES],
            "dimensions": [
                ("unit", _("Business unit"), [(u.pk, str(u)) for u in OrgUnit.objects.all()], chosen["unit"]),
                ("region", _("Region"), [(r.pk, str(r)) for r in Region.objects.all()], chosen["region"]),
                ("team", _("Team"), team_options, chosen["team"]),
                ("role", _("Role"), [(r.pk, str(r)) for r in Role.objects.all()], chosen["role"]),
            ],
        }

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Filters(
            **{name: data[name].pk for name in ("unit", "region", "team", "role") if data.get(name)}
        )

    def breakdown(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("by") or "unit"


class DigestPreferenceForm(forms.ModelForm):
    class Meta:
        model = DigestPreference
        fields = ["weekday", "language"]
        labels = {"weekday": _("Send me the weekly digest on"), "language": _("In")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("the language of my profile")),
            ("fr", "Français"),
            ("en", "English"),
        ]
