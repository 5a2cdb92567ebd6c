from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.typing import AuthedRequest
from comptoir.org import access, selectors, services
from comptoir.org.forms import DirectoryFilterForm, ProfileForm, QueuedPasswordResetForm, ThrottledLoginForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "org/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The interface follows the language the person chose on their profile.
        remember_language(response, form.get_user().language)
        return response


def remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
    )


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "org/password_reset.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response


def directory(request: AuthedRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "org/directory.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    try:
        page = selectors.directory_for(
            viewer=request.user,
            query=data.get("q") or "",
            unit=data["unit"].pk if data.get("unit") else None,
            region=data["region"].pk if data.get("region") else None,
            team_name=data.get("team") or "",
            role=data["role"].pk if data.get("role") else None,
            cursor=data.get("after") or None,
        )
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    query = request.GET.copy()
    query.pop("after", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "org/_directory_rows.html" if is_htmx(request) else "org/directory.html"
    return render(request, template, context)


def team_options(request: AuthedRequest) -> HttpResponse:
    """The teams matching what is typed in the directory's team filter, as `<option>`s of its list.

    Everyone signed in may read the company's structure (as the directory's other filters show it).
    """
    teams = selectors.teams_named_like(request.GET.get("team", "")[:100])
    return render(request, "org/_team_options.html", {"teams": teams})


def profile(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access.person_for(request.user, pk)
    try:
        context = selectors.profile_of(person, cursor=request.GET.get("after") or None, size=settings.PAGE_SIZE)
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    template = "org/_report_rows.html" if is_htmx(request) else "org/profile.html"
    return render(request, template, context)


def team(request: AuthedRequest, pk: int) -> HttpResponse:
    team = access.team_for(request.user, pk)
    try:
        context = selectors.team_page(team, cursor=request.GET.get("after") or None, size=settings.PAGE_SIZE)
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    # The "more members" link brings the next rows only, appended in place by htmx.
    template = "org/_team_rows.html" if is_htmx(request) else "org/team.html"
    return render(request, template, context)


def my_profile(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("photo_upload")
        try:
            if upload:
                services.person_set_photo(person=request.user, upload=upload.read(), filename=upload.name)
        except ValidationError as exc:
            form.add_error("photo_upload", exc)
        else:
            person = form.save()
            messages.success(request, _("Your profile is saved."))
            response = redirect("org:me")
            remember_language(response, person.language)
            return response
    return render(request, "org/me.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
