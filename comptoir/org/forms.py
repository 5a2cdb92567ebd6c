from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comptoir.notifications.email import email_send
from comptoir.org import throttle
from comptoir.org.models import OrgUnit, Region, Role, User


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Wait a few minutes before trying again."),
    }

    def clean(self) -> dict[str, Any]:
        email = (self.data.get("username") or "").strip()
        address = throttle.client_address(self.request.META if self.request else {})
        if throttle.login_blocked(email=email, address=address):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.login_failed(email=email, address=address)
            raise
        throttle.login_succeeded(email=email)
        return cleaned


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task worker, in the person's language.

    Requests are limited per account and per address like logins: every request counts, whether
    the address belongs to someone or not, so the limit tells nothing about who has an account.
    """

    error_messages = {
        "throttled": _("Too many password reset requests. Wait an hour, and look for the e-mail already sent in your spam folder."),
    }

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = cleaned.get("email") or ""
        if email:
            limit = throttle.password_reset_limit()
            address = throttle.client_address(self.request.META if self.request else {})
            if throttle.blocked(limit, email=email, address=address):
                raise ValidationError(self.error_messages["throttled"], code="throttled")
            throttle.count(limit, email=email, address=address)
        return cleaned

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        email_send(
            to=to_email,
            template="org/email/password_reset",
            context={
                "first_name": user.first_name,
                "reset_path": f"/password-reset/{context['uid']}/{context['token']}/",
            },
            language=user.language,
        )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.ModelChoiceField(OrgUnit.objects.all(), label=_("Unit"), required=False, empty_label=pgettext_lazy("people directory filter", "All"))
    region = forms.ModelChoiceField(Region.objects.all(), label=_("Region"), required=False, empty_label=pgettext_lazy("people directory filter", "All"))
    # A company of 15,000 people has hundreds of teams: a text field (a team's name, or part of it)
    # rather than a drop-down; the page suggests matching teams as one types.
    team = forms.CharField(label=_("Team"), required=False, max_length=100)
    role = forms.ModelChoiceField(Role.objects.all(), label=_("Role"), required=False, empty_label=pgettext_lazy("people directory filter", "All"))
    after = forms.CharField(required=False, widget=forms.HiddenInput)


class ProfileForm(forms.ModelForm):
    photo_upload = forms.FileField(label=_("Photo"), required=False)

    class Meta:
        model = User
        fields = ["job_title", "phone", "language", "email_notifications"]
