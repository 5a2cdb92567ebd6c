from __future__ import annotations

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


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "org/password_reset.html"


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
            team=data["team"].pk if data.get("team") else None,
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


def profile(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access.person_for(request.user, pk)
    return render(request, "org/profile.html", selectors.profile_of(person))


def team(request: AuthedRequest, pk: int) -> HttpResponse:
    team = access.team_for(request.user, pk)
    return render(request, "org/team.html", selectors.team_page(team))


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
            form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("org:me")
    return render(request, "org/me.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
