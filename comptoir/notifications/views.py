from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.typing import AuthedRequest
from comptoir.notifications import selectors, services
from comptoir.notifications.forms import PreferencesForm
from comptoir.notifications.kinds import one_tap_labels


def inbox(request: AuthedRequest) -> HttpResponse:
    try:
        page = selectors.inbox_for(viewer=request.user, cursor=request.GET.get("after") or None)
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    labels = one_tap_labels()
    for notification in page.items:
        notification.one_tap = labels.get(notification.kind)  # type: ignore[attr-defined]
    template = "notifications/_rows.html" if is_htmx(request) else "notifications/inbox.html"
    return render(request, template, {"page": page})


@require_POST
def mark_read(request: AuthedRequest) -> HttpResponse:
    raw_ids = request.POST.getlist("id")
    try:
        ids = [int(i) for i in raw_ids] if raw_ids else None
    except ValueError:
        return HttpResponseBadRequest("id must be a number")
    services.notifications_mark_read(user=request.user, ids=ids)
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("notifications:inbox")


def unread_badge(request: AuthedRequest) -> HttpResponse:
    """The header's badge, refreshed by htmx every minute without reloading the page."""
    return render(request, "notifications/_badge.html", {"count": selectors.unread_count(request.user)})


def preferences(request: AuthedRequest) -> HttpResponse:
    """Which notifications also arrive by e-mail (all of them on or off, then kind by kind)."""
    initial = {"all_email": request.user.email_notifications}
    initial |= {f"kind_{code}": email for code, email in selectors.email_preferences_of(request.user).items()}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user, all_email=form.cleaned_data["all_email"], by_kind=form.by_kind()
        )
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
