from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.core.forms import DateInput
from comptoir.customers.models import Segment
from comptoir.org.models import OrgUnit, Region, User
from comptoir.projects.models import Project, ProjectLink
from comptoir.voice.models import JourneyStep


class ProjectForm(forms.ModelForm):
    facilitator = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, role__code="director"),
        required=False,
        label=_("Facilitator (a director)"),
    )
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name", "id"),
        required=False,
        label=_("Members"),
    )
    steps = forms.ModelMultipleChoiceField(
        queryset=JourneyStep.objects.all(), required=False, label=_("Journey steps")
    )
    segments = forms.ModelMultipleChoiceField(
        queryset=Segment.objects.all(), required=False, label=_("Segments")
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(), required=False, label=_("Regions")
    )
    units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT),
        required=False,
        label=_("Business units"),
    )

    class Meta:
        model = Project
        fields = ["title", "problem", "status", "started_on", "ended_on", "baseline_days"]
        widgets = {
            "started_on": DateInput,
            "ended_on": DateInput,
            "problem": forms.Textarea(attrs={"rows": 4}),
        }


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Milestone"))
    due_on = forms.DateField(widget=DateInput, label=_("Due on"))


class LinkForm(forms.Form):
    kind = forms.ChoiceField(choices=ProjectLink.Kind.choices, label=_("Kind"))
    label = forms.CharField(max_length=200, label=_("Label"))
    url = forms.CharField(max_length=500, label=_("Link"))


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label=_("Comment"))
