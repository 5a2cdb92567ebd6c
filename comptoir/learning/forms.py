from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.core.forms import DateInput
from comptoir.core.models import PracticeTopic
from comptoir.learning import access
from comptoir.learning.models import Question, Quiz
from comptoir.learning.services import QuizSettings
from comptoir.learning.specs import QuestionSpec, as_lines, parse_lines
from comptoir.org.models import OrgUnit, Region, Team, User


def _start_of(day: dt.date | None) -> dt.datetime | None:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min)) if day else None


class QuizForm(forms.Form):
    title = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Introduction (French)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Introduction (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    topic = forms.ModelChoiceField(
        label=_("Practice topic (the badge it earns)"),
        queryset=PracticeTopic.objects.filter(active=True),
        required=False,
    )
    audience = forms.ChoiceField(label=_("For"), choices=Quiz.Audience.choices)
    unit = forms.ModelChoiceField(label=_("Business unit"), queryset=OrgUnit.objects.none(), required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput(), required=False)
    closes_on = forms.DateField(label=_("Closes on (included)"), widget=DateInput(), required=False)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=0, max_value=100, initial=70)
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed (empty: no limit)"), min_value=1, max_value=100, required=False
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit for the whole quiz (minutes)"), min_value=1, max_value=1440, required=False
    )
    question_time_limit_seconds = forms.IntegerField(
        label=_("Time limit per question (seconds)"), min_value=10, max_value=3600, required=False
    )
    bank_draw = forms.IntegerField(
        label=_("Questions drawn at random from the topic's bank"), min_value=0, max_value=50, initial=0
    )
    leaderboard = forms.BooleanField(label=_("Show a leaderboard to the audience"), required=False)

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = access.audience_choices(viewer)
        for name in ("unit", "region", "team"):
            self.fields[name].queryset = choices[name]  # type: ignore[attr-defined]
        if not access.is_national(viewer):
            narrowed = [c for c in Quiz.Audience.choices if c[0] != Quiz.Audience.COMPANY]
            self.fields["audience"].choices = narrowed  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(quiz: Quiz) -> dict[str, Any]:
        local = timezone.localtime
        return {
            **{
                f: getattr(quiz, f)
                for f in ("title", "title_en", "description", "description_en", "audience", "pass_mark")
            },
            **{
                f: getattr(quiz, f)
                for f in ("max_attempts", "question_time_limit_seconds", "bank_draw", "leaderboard")
            },
            "topic": quiz.topic_id,
            "unit": quiz.unit_id,
            "region": quiz.region_id,
            "team": quiz.team_id,
            "opens_on": local(quiz.opens_at).date() if quiz.opens_at else None,
            "closes_on": (local(quiz.closes_at) - dt.timedelta(days=1)).date() if quiz.closes_at else None,
            "time_limit_minutes": quiz.time_limit_seconds // 60 if quiz.time_limit_seconds else None,
        }

    def settings(self) -> QuizSettings:
        d = self.cleaned_data
        closes = d.get("closes_on")
        return QuizSettings(
            title=d["title"],
            title_en=d.get("title_en") or "",
            description=d.get("description") or "",
            description_en=d.get("description_en") or "",
            topic=d.get("topic"),
            audience=d["audience"],
            unit=d.get("unit"),
            region=d.get("region"),
            team=d.get("team"),
            opens_at=_start_of(d.get("opens_on")),
            # Closing "on" a day includes that day: the quiz closes at the next midnight.
            closes_at=_start_of(closes + dt.timedelta(days=1)) if closes else None,
            pass_mark=d["pass_mark"],
            max_attempts=d.get("max_attempts"),
            time_limit_seconds=60 * d["time_limit_minutes"] if d.get("time_limit_minutes") else None,
            question_time_limit_seconds=d.get("question_time_limit_seconds"),
            bank_draw=d.get("bank_draw") or 0,
            leaderboard=bool(d.get("leaderboard")),
        )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question (French)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(
        label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    choices = forms.CharField(
        label=_("Answers (French), one per line"),
        help_text=_("Start a correct answer with *. For “put in order”, write the items in the right order."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    choices_en = forms.CharField(
        label=_("Answers (English), same order"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    correct = forms.ChoiceField(
        label=_("For true or false: the statement is"),
        choices=[("", "—"), ("vrai", _("True")), ("faux", _("False"))],
        required=False,
    )
    explanation = forms.CharField(
        label=_("Explanation (French)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    partial_credit = forms.BooleanField(label=_("Partial credit for a partly right answer"), required=False)
    image = forms.ImageField(label=_("Picture (optional)"), required=False)

    @staticmethod
    def initial_from(question: Question) -> dict[str, Any]:
        from comptoir.learning.services import question_specs

        spec = question_specs([question])[0]
        lines, lines_en, correct = as_lines(spec.choices, question.kind)
        return {
            "kind": question.kind,
            "text": question.text,
            "text_en": question.text_en,
            "choices": lines,
            "choices_en": lines_en,
            "correct": correct,
            "explanation": question.explanation,
            "explanation_en": question.explanation_en,
            "partial_credit": question.partial_credit,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kind" in data:
            try:
                data["spec"] = QuestionSpec(
                    kind=data["kind"],
                    text=data.get("text", ""),
                    text_en=data.get("text_en", ""),
                    explanation=data.get("explanation", ""),
                    explanation_en=data.get("explanation_en", ""),
                    partial_credit=bool(data.get("partial_credit")),
                    choices=parse_lines(
                        data["kind"],
                        data.get("choices", ""),
                        data.get("choices_en", ""),
                        correct_tf=data.get("correct", ""),
                    ),
                )
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field if field in self.fields else None, error)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("A word (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
