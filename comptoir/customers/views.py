"""Account and agreement pages: thin views over access (who sees what), selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.htmx import is_htmx
from comptoir.core.pagination import InvalidCursor
from comptoir.core.permissions import Cap, has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.customers import access, rendering, selectors, services
from comptoir.customers.account_sections import sections_for
from comptoir.customers.forms import (
    AccountFilterForm,
    AgreementFilterForm,
    ContactForm,
    ReassignForm,
    SiteStatusForm,
)
from comptoir.customers.models import AgreementSite
from comptoir.org.models import User


def _query_without_cursor(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("after", None)
    return query.urlencode()


def _account_url_prefix() -> str:
    """Where every account page lives, minus its id: a page of 25 rows reverses one URL instead of
    25 (`{% url %}` per row was a fifth of the list's template time)."""
    return reverse("customers:account", args=[0]).removesuffix("0/")


def account_list(request: AuthedRequest) -> HttpResponse:
    choices = selectors.account_filter_choices(request.user)
    form = AccountFilterForm(
        request.GET or None, choices=choices, resolve_owner=lambda value: selectors.owner_in_scope(request.user, value)
    )
    if form.is_bound and not form.is_valid():
        return render(
            request, "customers/account_list.html", {"form": form, "page": None, "menus": _filter_menus(form)}, status=400
        )
    data = form.cleaned_data if form.is_bound else {}
    try:
        page = selectors.account_list_rows(
            viewer=request.user,
            query=data.get("q") or "",
            unit=data.get("unit"),
            region=data.get("region"),
            owner=data.get("owner"),
            segment=data.get("segment"),
            status=data.get("status") or "",
            agreement=data.get("agreement"),
            cursor=data.get("after") or None,
        )
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "form": form,
        "page": page,
        "rows": rendering.account_rows_html(page.items, account_url=_account_url_prefix(), show_owner=True),
        "query": _query_without_cursor(request),
    }
    if is_htmx(request):
        return render(request, "customers/_account_rows.html", context)
    context["menus"] = _filter_menus(form)
    return render(request, "customers/account_list.html", context)


def _filter_menus(form: AccountFilterForm) -> dict[str, SafeString]:
    """The filter form's menus, drawn in Python (see `rendering`)."""
    everyone = [("", _("All"))]
    menus = {
        name: rendering.select_html(name, form.fields[name].choices, form.current[name])  # type: ignore[attr-defined]
        for name in ("unit", "region", "segment", "status")
    }
    if form.owners_complete:
        menus["owner"] = rendering.select_html(
            "owner", everyone + [(c.pk, c.label) for c in form.owner_choices], form.current["owner"]
        )
    if form.agreements_complete:
        menus["agreement"] = rendering.select_html(
            "agreement", everyone + [(c.pk, c.label) for c in form.agreement_choices], form.current["agreement"]
        )
    return menus


def my_accounts(request: AuthedRequest) -> HttpResponse:
    try:
        page = selectors.my_accounts(viewer=request.user, cursor=request.GET.get("after") or None)
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "page": page,
        "rows": rendering.account_rows_html(page.items, account_url=_account_url_prefix(), show_owner=False),
        "query": "",
    }
    template = "customers/_account_rows.html" if is_htmx(request) else "customers/my_accounts.html"
    return render(request, template, context)


def account_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    account = access.account_for(request.user, pk)
    page = selectors.account_page(viewer=request.user, account=account)
    page.sections = sections_for(request, account)
    reassign = None
    if access.may_reassign(request.user, account):
        reassign = _reassign_form(request, None)
    return render(
        request,
        "customers/account_detail.html",
        {
            "page": page,
            "account": account,
            "reassign_form": reassign,
            "statuses": AgreementSite.Rollout.choices,
            "may_change_contacts": access.may_change_contacts(request.user, account),
        },
    )


def _reassign_form(request: AuthedRequest, data: Any) -> ReassignForm:
    owners, complete = selectors.owner_choices(request.user)
    return ReassignForm(
        data, owners=owners, complete=complete, resolve_owner=lambda value: selectors.owner_in_scope(request.user, value)
    )


@require_POST
def account_reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    account = access.account_for_reassign(request.user, pk)
    form = _reassign_form(request, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("customers:account", pk=account.pk)
    owner = User.objects.get(pk=form.cleaned_data["owner"])
    try:
        services.account_reassign(account=account, owner=owner, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(account)s now belongs to %(owner)s.") % {"account": account, "owner": owner})
    return redirect("customers:account", pk=account.pk)


@require_POST
def site_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """The second tap: the chosen status is saved and the site's row comes back updated."""
    site = access.site_for_update(request.user, pk)
    form = SiteStatusForm(request.POST)
    if not form.is_valid():
        if is_htmx(request):
            return render(
                request,
                "customers/_site_row.html",
                {"row": selectors.SiteRow(site, True), "statuses": AgreementSite.Rollout.choices, "error": _("Choose a roll-out status.")},
                status=400,
            )
        messages.error(request, _("Choose a roll-out status."))
        return redirect("customers:account", pk=site.account_id)
    services.site_set_status(site=site, status=form.cleaned_data["status"], by=request.user)
    site.status_changed_by = request.user
    if is_htmx(request):
        return render(
            request, "customers/_site_row.html", {"row": selectors.SiteRow(site, True), "statuses": AgreementSite.Rollout.choices}
        )
    messages.success(request, _("Roll-out status saved."))
    return redirect("customers:account", pk=site.account_id)


def agreement_list(request: AuthedRequest) -> HttpResponse:
    form = AgreementFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "customers/agreement_list.html", {"form": form, "page": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    try:
        page = selectors.agreement_list(
            viewer=request.user, query=data.get("q") or "", status=data.get("status") or "", cursor=data.get("after") or None
        )
    except InvalidCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_cursor(request),
        "may_create": access.may_create_agreements(request.user),
    }
    template = "customers/_agreement_rows.html" if is_htmx(request) else "customers/agreement_list.html"
    return render(request, template, context)


def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = access.agreement_for(request.user, pk)
    page = selectors.agreement_page(viewer=request.user, agreement=agreement)
    return render(
        request,
        "customers/agreement_detail.html",
        {
            "page": page,
            "agreement": agreement,
            "may_change": access.may_change_agreement(request.user, agreement),
            "region_table": rendering.progress_table_html(page.per_region, heading=_("Region")),
            "rep_table": rendering.progress_table_html(page.per_rep, heading=_("Rep")),
            "chart_rows": rendering.chart_rows_html(page.chart_rows),
        },
    )


def may_browse_agreements(user: User) -> bool:
    return has_cap(user, Cap.OWN_AGREEMENTS) or has_cap(user, Cap.SEE_ALL_ACCOUNTS)


def _save_contact(request: AuthedRequest, form: ContactForm, save: Callable[[dict[str, Any]], Any]) -> bool:
    """Run the service; its errors go back on the form (bad input changes nothing)."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True


def contact_new(request: AuthedRequest, pk: int) -> HttpResponse:
    account = access.account_for_contacts(request.user, pk)
    form = ContactForm(request.POST if request.method == "POST" else None, initial={"language": "fr"})
    if request.method == "POST" and _save_contact(
        request, form, lambda data: services.contact_create(account=account, by=request.user, **data)
    ):
        messages.success(request, _("Contact added."))
        return redirect(reverse("customers:account", args=[account.pk]) + "#contacts-title")
    status = 400 if form.is_bound else 200
    return render(request, "customers/contact_form.html", {"form": form, "account": account, "contact": None}, status=status)


def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = access.contact_for(request.user, pk, for_change=True)
    account = contact.account
    form = ContactForm(request.POST if request.method == "POST" else None, initial=ContactForm.initial_from(contact))
    if request.method == "POST" and _save_contact(
        request, form, lambda data: services.contact_update(contact=contact, by=request.user, **data)
    ):
        messages.success(request, _("Contact saved."))
        return redirect(reverse("customers:account", args=[account.pk]) + "#contacts-title")
    status = 400 if form.is_bound else 200
    return render(request, "customers/contact_form.html", {"form": form, "account": account, "contact": contact}, status=status)


@require_POST
def contact_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = access.contact_for(request.user, pk, for_change=True)
    services.contact_delete(contact=contact, by=request.user)
    messages.success(request, _("Contact removed."))
    return redirect(reverse("customers:account", args=[contact.account_id]) + "#contacts-title")
