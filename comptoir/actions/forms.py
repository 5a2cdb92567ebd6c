from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from comptoir.actions import menus
from comptoir.actions.models import Action, ActionKind
from comptoir.core.forms import DateInput
from comptoir.customers.models import Account
from comptoir.org.models import Team, User
from comptoir.voice.models import Response


class ActionForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name", "id"),
        required=False,
        label=_("To a person"),
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(manager__isnull=False),
        required=False,
        label=_("Or to a team (its manager dispatches)"),
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)
    response = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ModelChoiceField(queryset=ActionKind.objects.filter(active=True), label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Description")
    )
    due_on = forms.DateField(widget=DateInput, label=_("Due on"))
    priority = forms.TypedChoiceField(
        choices=Action.Priority.choices, coerce=int, initial=Action.Priority.NORMAL, label=_("Priority")
    )

    def clean_account(self) -> Account | None:
        pk = self.cleaned_data.get("account")
        if not pk:
            return None
        account = Account.objects.filter(pk=pk).first()
        if account is None:
            raise forms.ValidationError(_("Unknown account."))
        return account

    def clean_response(self) -> Response | None:
        pk = self.cleaned_data.get("response")
        if not pk:
            return None
        response = Response.objects.select_related("account", "step", "owner").filter(pk=pk).first()
        if response is None:
            raise forms.ValidationError(_("Unknown survey response."))
        return response

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("assignee")) == bool(data.get("team")):
            raise forms.ValidationError(_("Address the action to one person or to one team."))
        return data


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Action.Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment"), max_length=5000)
    attachment = forms.FileField(required=False, label=_("Attachment"))


class DispatchForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), label=_("Give it to"))


class PlainSelect(forms.Select):
    """A drop-down written in Python rather than through the widget templates (one template per
    option): the filters of a list are drawn on every page of it, for the same markup.

    The markup of a menu is kept by the process, by its options (in the page's language) and the
    chosen value: a page draws the same few menus again and again."""

    _drawn: ClassVar[dict[tuple[Any, ...], SafeString]] = {}

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = tuple((key, str(label)) for key, label in self._plain_choices())
        final_attrs = self.build_attrs(self.attrs, attrs)
        key = (name, choices, tuple(self.format_value(value)), tuple(sorted(final_attrs.items())))
        drawn = self._drawn.get(key)
        if drawn is None:
            if len(self._drawn) > 1000:  # menus changed many times: start again
                self._drawn.clear()
            drawn = self._drawn[key] = self._draw(name, choices, set(key[2]), final_attrs)
        return drawn

    @staticmethod
    def _draw(
        name: str, choices: tuple[tuple[str, str], ...], selected: set[str], attrs: dict[str, Any]
    ) -> SafeString:
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if key in selected else "", label) for key, label in choices),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)

    def _plain_choices(self) -> Iterator[tuple[str, Any]]:
        for key, label in self.choices:
            yield ("" if key is None else str(key)), label


def _menu(name: str) -> Callable[[], list[tuple[Any, Any]]]:
    return lambda: [("", "---------"), *menus.choices(name)]


class MenuField(forms.TypedChoiceField):
    """A filter menu whose choices come from `menus` (no query per request): the id, as an int."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(
            choices=_menu(name), coerce=int, empty_value=None, required=False, widget=PlainSelect, **kwargs
        )


class FilterForm(forms.Form):
    STATUS_CHOICES = [("", _("Any state")), ("open_any", _("Open or in progress")), *Action.Status.choices]
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, label=_("State"), widget=PlainSelect)
    kind = MenuField("kind", label=_("Kind"))
    unit = MenuField("unit", label=_("Unit"))
    region = MenuField("region", label=_("Region"))
    age = forms.ChoiceField(
        widget=PlainSelect,
        choices=[
            ("", _("Any age")),
            ("7", _("Posted this week")),
            ("30", _("Posted this month")),
            ("-30", _("Older than 30 days")),
        ],
        required=False,
        label=_("Age"),
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    after = forms.CharField(required=False, widget=forms.HiddenInput)
