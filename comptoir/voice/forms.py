from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from comptoir.core.forms import DateInput
from comptoir.customers.models import Segment
from comptoir.org.models import OrgUnit, Region, Team
from comptoir.voice.analytics import Filters, add_months, month_start
from comptoir.voice.models import JourneyStep, Survey, SurveyQuestion, VoiceSettings

MAX_MONTHS = 36


class MonthField(forms.CharField):
    """An <input type=month> value ("2026-03") as the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(x) for x in str(value).split("-")[:2])
            return dt.date(year, month, 1)
        except ValueError as exc:
            raise ValidationError(_("Enter a month as YYYY-MM.")) from exc


class AnalyticsFilterForm(forms.Form):
    start = MonthField(label=_("From"), required=False)
    end = MonthField(label=_("To"), required=False)
    unit = forms.ModelChoiceField(OrgUnit.objects.all(), label=_("Business unit"), required=False)
    region = forms.ModelChoiceField(Region.objects.all(), label=_("Region"), required=False)
    step = forms.ModelChoiceField(JourneyStep.objects.all(), label=_("Journey step"), required=False)
    segment = forms.ModelChoiceField(Segment.objects.all(), label=_("Segment"), required=False)
    team = forms.ModelChoiceField(Team.objects.all(), label=_("Account owner's team"), required=False)
    grain = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[("month", _("Month")), ("week", _("Week")), ("quarter", _("Quarter"))],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or None
        start = data.get("start") or None
        if start and end and start > end:
            raise ValidationError(_("The start month must come before the end month."))
        if start and end and (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            raise ValidationError(_("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or month_start(dt.date.today())
        start = data.get("start") or add_months(end, -11)
        return Filters(
            start=start,
            end=end,
            **{
                name: (data[name].pk if data.get(name) else None)
                for name in ("unit", "region", "step", "segment", "team")
            },
        )

    def trend_grain(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("grain") or "month"


class VerbatimFilterForm(forms.Form):
    band = forms.ChoiceField(
        label=_("Score"),
        required=False,
        choices=[
            ("", _("All")),
            ("detractor", _("Detractors (0-6)")),
            ("passive", _("Passives (7-8)")),
            ("promoter", _("Promoters (9-10)")),
        ],
    )
    step = forms.ModelChoiceField(JourneyStep.objects.all(), label=_("Journey step"), required=False)
    unit = forms.ModelChoiceField(OrgUnit.objects.all(), label=_("Business unit"), required=False)
    region = forms.ModelChoiceField(Region.objects.all(), label=_("Region"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    words = forms.CharField(label=_("Words"), required=False, max_length=100)
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "band": data.get("band") or "",
            "step": data["step"].pk if data.get("step") else None,
            "unit": data["unit"].pk if data.get("unit") else None,
            "region": data["region"].pk if data.get("region") else None,
            "start": data.get("start"),
            "end": data.get("end"),
            "words": data.get("words") or "",
            "account": data.get("account") or None,
        }


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "name",
            "kind",
            "step",
            "title",
            "title_en",
            "intro",
            "intro_en",
            "nps_question",
            "nps_question_en",
            "ces_question",
            "ces_question_en",
            "comment_question",
            "comment_question_en",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 2}), "intro_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "title_en", "nps_question", "nps_question_en"):
            self.fields[name].required = False
        self.fields["step"].queryset = JourneyStep.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Survey.Kind.TRANSACTIONAL and not data.get("step"):
            self.add_error("step", _("A transactional survey follows a journey step: choose one."))
        return data

    def _post_clean(self) -> None:
        # The service fills the default texts and validates the model; skip ModelForm's own
        # instance validation (it would reject the blank texts the service is about to fill).
        pass


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Wave name"), max_length=160)
    unit = forms.ModelChoiceField(OrgUnit.objects.all(), label=_("Business unit"), required=False)
    region = forms.ModelChoiceField(Region.objects.all(), label=_("Region"), required=False)
    segment = forms.ModelChoiceField(Segment.objects.all(), label=_("Segment"), required=False)


class AccountPeriodForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Compare the last"),
        coerce=int,
        required=False,
        choices=[
            (3, _("3 months with the 3 before")),
            (6, _("6 months with the 6 before")),
            (12, _("12 months with the 12 before")),
        ],
    )


class ImportForm(forms.Form):
    """Upload of responses collected elsewhere, or of journey events, before the preview."""

    kind = forms.ChoiceField(label=_("What the file holds"), choices=[])
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    partial = forms.BooleanField(
        label=_("Import the good rows and give me the bad ones back as a file"), required=False
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s bytes; the limit is %(limit)s bytes)."),
                params={"size": upload.size, "limit": settings.IMPORT_MAX_BYTES},
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        return upload


class QuestionForm(forms.Form):
    """An extra question of a survey. One-choice answers are typed one per line, "Français | English"."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyQuestion.Kind.choices)
    text = forms.CharField(label=_("Question (French)"), max_length=300)
    text_en = forms.CharField(
        label=_("Question (English)"), max_length=300, required=False, help_text=_("Empty: the French text.")
    )
    choices = forms.CharField(
        label=_("Answers to choose from"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One per line, "Français | English" (one-choice questions only).'),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    @classmethod
    def initial_of(cls, question: SurveyQuestion) -> dict[str, Any]:
        return {
            "kind": question.kind,
            "text": question.text,
            "text_en": question.text_en,
            "required": question.required,
            "choices": "\n".join(f"{c.get('fr', '')} | {c.get('en', '')}" for c in question.choices),
        }


class StepForm(forms.Form):
    """A journey step's names and effort phrases, in French and English (the code never changes)."""

    name = forms.CharField(label=_("Name (French)"), max_length=120)
    name_en = forms.CharField(
        label=_("Name (English)"), max_length=120, required=False, help_text=_("Empty: the French name.")
    )
    effort_phrase = forms.CharField(
        label=_("Effort phrase (French)"),
        max_length=160,
        required=False,
        help_text=_("Completes “… made it easy for me to …” in the effort question."),
    )
    effort_phrase_en = forms.CharField(label=_("Effort phrase (English)"), max_length=160, required=False)

    @classmethod
    def initial_of(cls, step: JourneyStep) -> dict[str, Any]:
        return {f: getattr(step, f) for f in ("name", "name_en", "effort_phrase", "effort_phrase_en")}


class VoiceSettingsForm(forms.ModelForm):
    """The knobs customer relations tunes: how often a contact may be asked, when to remind, ..."""

    class Meta:
        model = VoiceSettings
        fields = [
            "throttle_days",
            "reminder_after_days",
            "invitation_valid_days",
            "min_responses",
            "anonymous_max_per_day",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("invitation_valid_days", "min_responses", "anonymous_max_per_day"):
            if data.get(name) is not None and data[name] < 1:
                self.add_error(name, _("At least 1."))
        valid, remind = data.get("invitation_valid_days"), data.get("reminder_after_days")
        if valid and remind is not None and remind >= valid:
            self.add_error("reminder_after_days", _("The reminder must leave before the link expires."))
        return data
