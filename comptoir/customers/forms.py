from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.core.forms import DateInput
from comptoir.customers.models import Account, AgreementSite, Contact, FrameworkAgreement


class AccountFilterForm(forms.Form):
    """The account list's search and filters; choices come from what the viewer may see."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    owner = forms.CharField(label=_("Owner"), required=False, max_length=254)
    segment = forms.TypedChoiceField(label=_("Segment"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    agreement = forms.IntegerField(label=_("Agreement"), required=False, min_value=1)
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400)

    def __init__(self, data: Any, *, choices: dict[str, Any], resolve_owner: Callable[[str], Any]) -> None:
        super().__init__(data)
        self.resolve_owner = resolve_owner
        self.owner_choices = choices["owners"]
        self.owners_complete = choices["owners_complete"]
        everyone = [("", _("All"))]
        self.fields["unit"].choices = everyone + list(choices["units"])  # type: ignore[attr-defined]
        self.fields["region"].choices = everyone + list(choices["regions"])  # type: ignore[attr-defined]
        self.fields["segment"].choices = everyone + list(choices["segments"])  # type: ignore[attr-defined]
        self.fields["status"].choices = everyone + list(Account.Status.choices)  # type: ignore[attr-defined]
        # What each menu shows as chosen, as text: the page draws its menus itself (Django's
        # widget templates cost more than the rest of the page at this size).
        self.current = {name: str((data or {}).get(name, "")) for name in self.fields}
        self.agreement_choices = choices["agreements"][: choices["agreements_max"]]
        self.agreements_complete = len(choices["agreements"]) <= choices["agreements_max"]

    def clean_owner(self) -> int | None:
        return _owner_id(self.cleaned_data.get("owner") or "", self.resolve_owner, required=False)


def _owner_id(value: str, resolve: Callable[[str], Any], *, required: bool) -> int | None:
    """An owner named by id (from the menu) or by e-mail (when the menu would be too long)."""
    if not value:
        if required:
            raise forms.ValidationError(_("Choose the new owner."))
        return None
    person = resolve(value)
    if person is None:
        raise forms.ValidationError(_("Nobody you may choose answers to “%(value)s”."), params={"value": value})
    return int(person.pk)


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *FrameworkAgreement.Status.choices])
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400)


class SiteStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Roll-out status"), choices=AgreementSite.Rollout.choices)


class ReassignForm(forms.Form):
    owner = forms.CharField(label=_("New owner"), max_length=254)

    def __init__(self, data: Any, *, owners: list[Any], complete: bool, resolve_owner: Callable[[str], Any]) -> None:
        super().__init__(data)
        self.owner_choices, self.owners_complete, self.resolve_owner = owners, complete, resolve_owner

    def clean_owner(self) -> int | None:
        return _owner_id(self.cleaned_data.get("owner") or "", self.resolve_owner, required=True)


class ContactForm(forms.Form):
    """A contact as the rep keeps it up to date; the rules themselves are in services._check_contact."""

    first_name = forms.CharField(label=_("First name"), required=False, max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    job_title = forms.CharField(label=_("Role"), required=False, max_length=120)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    language = forms.ChoiceField(label=_("Preferred language"), choices=Contact.Language.choices)
    survey_consent = forms.BooleanField(label=_("Agrees to be surveyed"), required=False)

    @classmethod
    def initial_from(cls, contact: Contact) -> dict[str, Any]:
        return {name: getattr(contact, name) for name in cls.base_fields}


class AgreementForm(forms.Form):
    """An agreement as its KAM enters it; the rules are in services._check_agreement. The group is
    named by its CRM id (a KAM does not browse every account to find it)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    group = forms.CharField(label=_("Group (CRM id)"), max_length=64)
    kam = forms.EmailField(label=_("Key-account manager (e-mail)"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    rollout_due_on = forms.DateField(label=_("Roll-out due on"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=FrameworkAgreement.Status.choices, initial=FrameworkAgreement.Status.SIGNED)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data: Any = None, *, may_name_kam: bool, editing: bool, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        if not may_name_kam:
            del self.fields["kam"]
        if editing:
            del self.fields["group"]  # an agreement stays with the group it was signed with

    def clean_group(self) -> Account:
        ref = self.cleaned_data["group"].strip()
        group = Account.objects.filter(external_id=ref).first()
        if group is None:
            raise forms.ValidationError(_("No account has the CRM id “%(value)s”."), params={"value": ref})
        return group
