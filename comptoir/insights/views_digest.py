"""A person's digest settings, and the one-click unsubscribe (RFC 8058) that needs no login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from comptoir.core.typing import AuthedRequest
from comptoir.insights.digest.sending import preference_for
from comptoir.insights.digest.tokens import digest_unsubscribe, user_from_token
from comptoir.insights.forms import DigestPreferenceForm
from comptoir.insights.services import digest_preference_set
from comptoir.org.models import User


def settings_page(request: AuthedRequest) -> HttpResponse:
    preference = preference_for(request.user)
    form = DigestPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        digest_preference_set(
            user=request.user, weekday=form.cleaned_data["weekday"], language=form.cleaned_data["language"]
        )
        messages.success(request, _("Your digest settings are saved."))
        return redirect("insights:digest_settings")
    return render(
        request, "insights/digest_settings.html", {"form": form}, status=400 if form.errors else 200
    )


@csrf_exempt  # mail clients POST the one-click unsubscribe without a CSRF token; the signed token is the credential
@login_not_required
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not unsubscribe anyone); POST unsubscribes at once."""
    user_id = user_from_token(token)
    person = User.objects.filter(pk=user_id).only("id", "first_name", "email").first() if user_id else None
    if person is None:
        raise Http404
    if request.method == "POST":
        digest_unsubscribe(person.pk)
        return render(request, "insights/unsubscribed.html", {"person": person})
    return render(request, "insights/unsubscribe.html", {"person": person, "token": token})
