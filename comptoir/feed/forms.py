from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.core.models import PracticeTopic
from comptoir.customers.access import accounts_visible_to, agreements_visible_to
from comptoir.customers.models import Account, FrameworkAgreement
from comptoir.feed.models import Post, Recommendation
from comptoir.feed.services import BODY_MAX, COMMENT_MAX, CONGRATULATION_MAX, MAX_PHOTOS
from comptoir.feed.taxonomy import taxonomy
from comptoir.feed.widgets import QuickHidden, QuickSelect
from comptoir.org.models import OrgUnit, User

ACCOUNT_CHOICES_SHOWN = 300


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; the service checks each picture from its bytes."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(max)s photos per post.") % {"max": MAX_PHOTOS})
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class PostForm(forms.Form):
    kind = forms.ChoiceField(choices=Post.Kind.choices, label=_("Kind"), initial=Post.Kind.PRACTICE)
    body = forms.CharField(
        max_length=BODY_MAX,
        label=_("Text"),
        # `data-mentions`: the form proposes people after "@" (feed/mentions.js).
        widget=forms.Textarea(attrs={"rows": 5, "data-mentions": ""}),
        help_text=_("**bold**, *italic*, lists with -, links, @first.last to mention someone."),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=PracticeTopic.objects.filter(active=True),
        required=False,
        label=_("Practice topics"),
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT),
        required=False,
        label=_("Business units"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Yours when none is ticked."),
    )
    account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Account.objects.none(), required=False, label=_("Customer account")
    )
    agreement: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=FrameworkAgreement.objects.none(), required=False, label=_("Framework agreement")
    )
    visibility = forms.ChoiceField(
        choices=Post.Visibility.choices, label=_("Visible to"), initial=Post.Visibility.COMPANY
    )
    photos = MultipleImageField(
        required=False,
        label=_("Photos"),
        help_text=_("Up to %(max)s photos (JPEG, PNG, WebP); their metadata is removed.")
        % {"max": MAX_PHOTOS},
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = accounts_visible_to(viewer).order_by("name", "id")
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = agreements_visible_to(viewer).order_by("name", "id")  # type: ignore[attr-defined]
        # A long list of accounts is cut to the viewer's own: a rep tags accounts they own.
        if accounts.count() > ACCOUNT_CHOICES_SHOWN:
            self.fields["account"].queryset = accounts.filter(owner=viewer)  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(
        max_length=COMMENT_MAX,
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2, "data-mentions": ""}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CongratulationForm(forms.Form):
    message = forms.CharField(max_length=CONGRATULATION_MAX, label=_("Your congratulations"))


class ReportForm(forms.Form):
    reason = forms.CharField(max_length=500, label=_("Why should a moderator look at it?"))
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RecommendationForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Recommendation"))
    hq_team = forms.TypedChoiceField(coerce=int, label=_("Addressed to (HQ team)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from comptoir.feed.taxonomy import taxonomy

        # From the process-local taxonomy: the author's post page shows this form without one more
        # query. The service checks again that the team chosen is an HQ team.
        self.fields["hq_team"].choices = [("", "---------"), *taxonomy().hq_teams]  # type: ignore[attr-defined]


class RecommendationMoveForm(forms.Form):
    status = forms.ChoiceField(choices=Recommendation.Status.choices, label=_("New status"))
    answer = forms.CharField(label=_("Answer to the author"), widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    # Quick widgets: this form is rendered on every feed page (see `feed.widgets`).
    kind = forms.ChoiceField(required=False, label=_("Kind"), widget=QuickSelect)
    unit = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Unit"), widget=QuickSelect
    )
    region = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Region"), widget=QuickSelect
    )
    topic = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Topic"), widget=QuickSelect
    )
    account = forms.IntegerField(required=False, widget=QuickHidden)
    agreement = forms.IntegerField(required=False, widget=QuickHidden)
    author = forms.IntegerField(required=False, widget=QuickHidden)
    after = forms.CharField(required=False, widget=QuickHidden)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tax = taxonomy()
        everything = [("", _("All"))]
        self.fields["kind"].choices = [*everything, *Post.Kind.choices]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            *everything,
            *[(pk, tax.units[pk].label) for pk in tax.business_unit_ids],
        ]
        self.fields["region"].choices = [*everything, *[(t.pk, t.label) for t in tax.regions.values()]]  # type: ignore[attr-defined]
        self.fields["topic"].choices = [  # type: ignore[attr-defined]
            *everything,
            *[(pk, tax.topics[pk].label) for pk in tax.active_topic_ids],
        ]
