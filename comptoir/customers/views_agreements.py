"""A KAM enters and keeps their agreements in the browser: the same services and rules as the API
and the import (the administrators may name another KAM)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.permissions import Cap, has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.customers import access, selectors, services
from comptoir.customers.forms import AgreementForm
from comptoir.customers.models import AgreementSite, FrameworkAgreement
from comptoir.org.models import User


def _kam(request: AuthedRequest, form: AgreementForm) -> User | None:
    email = form.cleaned_data.get("kam")
    if not email:
        return None
    kam = User.objects.select_related("role").filter(email__iexact=email).first()
    if kam is None:
        form.add_error("kam", _("Nobody has the e-mail %(email)s.") % {"email": email})
    return kam


def _errors_on(form: AgreementForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    keep = ("name", "starts_on", "ends_on", "rollout_due_on", "status", "description")
    return {key: data.get(key) for key in keep if key in data}


def agreement_new(request: AuthedRequest) -> HttpResponse:
    viewer = request.user
    if not access.may_create_agreements(viewer):
        raise PermissionDenied
    may_name_kam = access.may_name_another_kam(viewer)
    form = AgreementForm(request.POST if request.method == "POST" else None, may_name_kam=may_name_kam, editing=False)
    if form.is_bound and form.is_valid():
        kam = _kam(request, form) or viewer
        if not form.errors:
            try:
                agreement = services.agreement_create(
                    by=viewer, kam=kam, group=form.cleaned_data["group"], **_fields(form.cleaned_data)
                )
            except ValidationError as exc:
                _errors_on(form, exc)
            else:
                messages.success(request, _("Agreement saved. Add its sites next."))
                return redirect("customers:agreement", pk=agreement.pk)
    status = 400 if form.is_bound else 200
    return render(request, "customers/agreement_form.html", {"form": form, "agreement": None}, status=status)


def agreement_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    viewer = request.user
    agreement = access.agreement_for(viewer, pk, for_change=True)
    may_name_kam = access.may_name_another_kam(viewer)
    initial = {
        "name": agreement.name,
        "kam": agreement.kam.email,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "rollout_due_on": agreement.rollout_due_on,
        "status": agreement.status,
        "description": agreement.description,
    }
    form = AgreementForm(
        request.POST if request.method == "POST" else None, may_name_kam=may_name_kam, editing=True, initial=initial
    )
    if form.is_bound and form.is_valid():
        changes = _fields(form.cleaned_data)
        kam = _kam(request, form) if may_name_kam else None
        if kam is not None and kam.pk != agreement.kam_id:
            changes["kam"] = kam
        if not form.errors:
            try:
                services.agreement_update(agreement=agreement, by=viewer, **changes)
            except ValidationError as exc:
                _errors_on(form, exc)
            else:
                messages.success(request, _("Agreement saved."))
                return redirect("customers:agreement", pk=agreement.pk)
    status = 400 if form.is_bound else 200
    return render(request, "customers/agreement_form.html", {"form": form, "agreement": agreement}, status=status)


@require_POST
def agreement_add_group_sites(request: AuthedRequest, pk: int) -> HttpResponse:
    """One button: every account of the group (at any depth, the group itself aside) becomes a site."""
    viewer = request.user
    agreement: FrameworkAgreement = access.agreement_for(viewer, pk, for_change=True)
    members = services.group_member_ids(agreement.group_id) - {agreement.group_id}
    before = AgreementSite.objects.filter(agreement=agreement).count()
    if not members:
        messages.error(request, _("%(group)s has no site yet.") % {"group": agreement.group.name})
        return redirect("customers:agreement", pk=agreement.pk)
    try:
        services.agreement_add_sites(
            agreement=agreement, account_ids=sorted(members), by=viewer, only_within_group=not has_cap(viewer, Cap.MANAGE_ORGANISATION)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        added = AgreementSite.objects.filter(agreement=agreement).count() - before
        messages.success(request, _("%(n)s sites added.") % {"n": added})
    return redirect("customers:agreement", pk=agreement.pk)


def agreement_sites_to_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Find, among the agreement's sites, the one to take out (by name, town or CRM id)."""
    agreement = access.agreement_for(request.user, pk, for_change=True)
    query = request.GET.get("q", "")[:100]
    sites = selectors.agreement_sites_matching(agreement, query)
    context = {"agreement": agreement, "query": query, "sites": sites}
    return render(request, "customers/agreement_sites_remove.html", context)


def site_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask first (GET shows what goes: the site and its roll-out history), then remove on POST."""
    site = access.site_for_removal(request.user, pk)
    if request.method == "POST":
        services.site_remove(site=site, by=request.user)
        messages.success(
            request,
            _("%(site)s is no longer a site of %(agreement)s.") % {"site": site.account.name, "agreement": site.agreement.name},
        )
        return redirect(reverse("customers:agreement", args=[site.agreement_id]))
    return render(request, "customers/site_remove_confirm.html", {"site": site, "agreement": site.agreement})
