"""Accounts, contacts, agreements and roll-out status in the API, through the same fetchers,
selectors and services as the pages (so the same person sees and changes the same things)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from comptoir.api.errors import ApiError
from comptoir.api.schemas import PageOut
from comptoir.core.importjobs import import_file, import_kinds
from comptoir.core.pagination import keyset_page
from comptoir.core.permissions import Cap, has_cap
from comptoir.customers import access, selectors, services
from comptoir.customers.models import Account, AgreementSite, Contact, FrameworkAgreement
from comptoir.org.models import User

PREFIX = "customers"
router = Router(tags=["customers"])
CUSTOMER_IMPORTS = ("accounts", "contacts", "agreements", "agreement_sites")


def _viewer(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _size(size: int) -> int:
    if not 1 <= size <= 200:
        raise ApiError(422, "invalid_input", "size must be between 1 and 200.", [{"field": "size", "message": "1..200"}])
    return size


class AccountOut(Schema):
    id: int
    external_id: str | None
    name: str
    unit_id: int
    region_id: int
    owner_id: int | None
    parent_id: int | None
    segment_id: int | None
    status: str
    address: str
    postcode: str
    city: str


class OwnershipOut(Schema):
    owner_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    changed_by_id: int | None


class AccountDetailOut(AccountOut):
    ownerships: list[OwnershipOut]


class ContactOut(Schema):
    id: int
    external_id: str | None
    account_id: int
    first_name: str
    last_name: str
    job_title: str
    email: str
    phone: str
    language: str
    survey_consent: bool


class AgreementOut(Schema):
    id: int
    external_id: str | None
    name: str
    kam_id: int
    group_id: int
    starts_on: dt.date
    ends_on: dt.date | None
    rollout_due_on: dt.date | None
    status: str
    site_count: int = 0
    deployed_count: int = 0


class ProgressOut(Schema):
    key: int | None
    label: str
    total: int
    deployed: int
    in_progress: int
    not_started: int
    refused: int
    percent_deployed: int


class AgreementDetailOut(AgreementOut):
    overall: ProgressOut
    per_region: list[ProgressOut]
    per_rep: list[ProgressOut]
    late_site_ids: list[int]


class SiteOut(Schema):
    id: int
    agreement_id: int
    account_id: int
    status: str
    status_changed_at: dt.datetime | None
    status_changed_by_id: int | None


class SiteStatusIn(Schema):
    status: AgreementSite.Rollout


class ReassignIn(Schema):
    owner_id: int


class AgreementIn(Schema):
    """A new agreement. A KAM signs for themselves (kam_id left out); an administrator names the KAM.
    The group is named by id or by its CRM id."""

    name: str
    group_id: int | None = None
    group_external_id: str | None = None
    kam_id: int | None = None
    starts_on: dt.date
    ends_on: dt.date | None = None
    rollout_due_on: dt.date | None = None
    status: FrameworkAgreement.Status = FrameworkAgreement.Status.SIGNED
    description: str = ""
    external_id: str | None = None


class AgreementPatchIn(Schema):
    name: str | None = None
    kam_id: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    rollout_due_on: dt.date | None = None
    status: FrameworkAgreement.Status | None = None
    description: str | None = None
    external_id: str | None = None


class SitesIn(Schema):
    account_ids: list[int]


class ContactIn(Schema):
    last_name: str
    first_name: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""
    language: Contact.Language = Contact.Language.FR
    survey_consent: bool = False
    external_id: str | None = None


class ContactPatchIn(Schema):
    last_name: str | None = None
    first_name: str | None = None
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None
    language: Contact.Language | None = None
    survey_consent: bool | None = None
    external_id: str | None = None


class ImportErrorOut(Schema):
    line: int
    column: str
    message: str


class CustomerImportReportOut(Schema):
    applied: bool
    total_rows: int
    created: int
    updated: int
    unchanged: int
    deactivated: int
    file_error: str
    errors: list[ImportErrorOut]
    conflicts: list[ImportErrorOut] = []


@router.get("/accounts", response=PageOut[AccountOut])
def list_accounts(
    request: HttpRequest,
    q: str = "",
    unit: int | None = None,
    region: int | None = None,
    owner: int | None = None,
    segment: int | None = None,
    status: Account.Status | None = None,
    agreement: int | None = None,
    cursor: str | None = None,
    size: int = 50,
) -> dict[str, Any]:
    page = selectors.account_list(
        viewer=_viewer(request),
        query=q,
        unit=unit,
        region=region,
        owner=owner,
        segment=segment,
        status=status or "",
        agreement=agreement,
        cursor=cursor,
        size=_size(size),
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/accounts/{account_id}", response=AccountDetailOut)
def get_account(request: HttpRequest, account_id: int) -> dict[str, Any]:
    account = access.account_for(_viewer(request), account_id)
    data = AccountOut.from_orm(account).dict()
    data["ownerships"] = list(account.ownerships.all())
    return data


@router.post("/accounts/{account_id}/owner", response=AccountOut)
def reassign_account(request: HttpRequest, account_id: int, payload: ReassignIn) -> Account:
    """Give the account to another rep; the owner history keeps the dated periods."""
    viewer = _viewer(request)
    account = access.account_for_reassign(viewer, account_id)
    owner = selectors.owner_in_scope(viewer, payload.owner_id)
    if owner is None:
        raise ApiError(422, "invalid_input", "This person cannot own the account.", [{"field": "owner_id", "message": "not allowed"}])
    return services.account_reassign(account=account, owner=owner, by=viewer)


@router.get("/accounts/{account_id}/contacts", response=list[ContactOut])
def list_account_contacts(request: HttpRequest, account_id: int) -> list[Contact]:
    account = access.account_for(_viewer(request), account_id)
    return list(account.contacts.all()[:500])


@router.post("/accounts/{account_id}/contacts", response={201: ContactOut})
def create_contact(request: HttpRequest, account_id: int, payload: ContactIn) -> tuple[int, Contact]:
    """Add a contact: the account's rep, the managers who answer for it, or an administrator."""
    viewer = _viewer(request)
    account = access.account_for_contacts(viewer, account_id)
    return 201, services.contact_create(account=account, by=viewer, **payload.dict())


@router.get("/contacts/{contact_id}", response=ContactOut)
def get_contact(request: HttpRequest, contact_id: int) -> Contact:
    return access.contact_for(_viewer(request), contact_id)


@router.patch("/contacts/{contact_id}", response=ContactOut)
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatchIn) -> Contact:
    """Change the fields given (the others stay as they are)."""
    viewer = _viewer(request)
    contact = access.contact_for(viewer, contact_id, for_change=True)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "external_id"}
    return services.contact_update(contact=contact, by=viewer, **changes)


@router.delete("/contacts/{contact_id}", response={204: None})
def delete_contact(request: HttpRequest, contact_id: int) -> tuple[int, None]:
    viewer = _viewer(request)
    services.contact_delete(contact=access.contact_for(viewer, contact_id, for_change=True), by=viewer)
    return 204, None


@router.get("/agreements", response=PageOut[AgreementOut])
def list_agreements(
    request: HttpRequest, q: str = "", status: FrameworkAgreement.Status | None = None, cursor: str | None = None, size: int = 50
) -> dict[str, Any]:
    page = selectors.agreement_list(viewer=_viewer(request), query=q, status=status or "", cursor=cursor, size=_size(size))
    return {"items": page.items, "next_cursor": page.next_cursor}


def _person(user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    person = User.objects.select_related("role").filter(pk=user_id).first()
    if person is None:
        raise ApiError(422, "invalid_input", "Unknown person.", [{"field": field, "message": "unknown"}])
    return person


def _kam_for(viewer: User, kam_id: int | None) -> User:
    """A KAM signs their own agreements; only an administrator names another KAM."""
    if kam_id is None or kam_id == viewer.pk:
        return viewer
    if not access.may_name_another_kam(viewer):
        raise ApiError(403, "forbidden", "You may only sign agreements as their KAM.")
    kam = _person(kam_id, "kam_id")
    assert kam is not None
    return kam


@router.post("/agreements", response={201: AgreementOut})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> tuple[int, FrameworkAgreement]:
    """Enter a signed agreement (a KAM for themselves, an administrator for anyone); add its sites
    next with `POST /agreements/{id}/sites`."""
    viewer = _viewer(request)
    if not access.may_create_agreements(viewer):
        raise ApiError(403, "forbidden", "You may not enter framework agreements.")
    kam = _kam_for(viewer, payload.kam_id)
    groups = Account.objects.all()
    if payload.group_id is not None:
        group = groups.filter(pk=payload.group_id).first()
    elif payload.group_external_id:
        group = groups.filter(external_id=payload.group_external_id).first()
    else:
        group = None
    if group is None:
        raise ApiError(422, "invalid_input", "Name the group by group_id or group_external_id.", [{"field": "group_id", "message": "unknown"}])
    data = payload.dict(exclude={"group_id", "group_external_id", "kam_id"})
    return 201, services.agreement_create(by=viewer, kam=kam, group=group, **data)


@router.patch("/agreements/{agreement_id}", response=AgreementOut)
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatchIn) -> FrameworkAgreement:
    """Change the fields given: the agreement's KAM or an administrator (who alone hands it to another KAM)."""
    viewer = _viewer(request)
    agreement = access.agreement_for(viewer, agreement_id, for_change=True)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in ("ends_on", "rollout_due_on", "external_id")}
    if "kam_id" in changes:
        kam_id = changes.pop("kam_id")
        if kam_id != agreement.kam_id:
            changes["kam"] = _kam_for(viewer, kam_id)
    return services.agreement_update(agreement=agreement, by=viewer, **changes)


@router.post("/agreements/{agreement_id}/sites", response={200: list[SiteOut]})
def add_agreement_sites(request: HttpRequest, agreement_id: int, payload: SitesIn) -> list[AgreementSite]:
    """Roll the agreement out to more sites (accounts of its group, at any depth; an administrator
    may add any account). Sites already covered stay as they are; the answer lists every site named."""
    viewer = _viewer(request)
    agreement = access.agreement_for(viewer, agreement_id, for_change=True)
    return services.agreement_add_sites(
        agreement=agreement,
        account_ids=payload.account_ids,
        by=viewer,
        only_within_group=not has_cap(viewer, Cap.MANAGE_ORGANISATION),
    )


def _progress(row: selectors.ProgressRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": str(row.label),
        "total": row.total,
        "deployed": row.deployed,
        "in_progress": row.in_progress,
        "not_started": row.not_started,
        "refused": row.refused,
        "percent_deployed": row.percent_deployed,
    }


@router.get("/agreements/{agreement_id}", response=AgreementDetailOut)
def get_agreement(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    agreement = access.agreement_for(_viewer(request), agreement_id)
    overall, per_region, per_rep = selectors.agreement_progress(agreement)
    late, _count = selectors.late_sites(agreement)
    data = AgreementOut.from_orm(agreement).dict()
    data.update(
        site_count=overall.total,
        deployed_count=overall.deployed,
        overall=_progress(overall),
        per_region=[_progress(r) for r in per_region],
        per_rep=[_progress(r) for r in per_rep],
        late_site_ids=[s.pk for s in late],
    )
    return data


@router.get("/agreements/{agreement_id}/sites", response=PageOut[SiteOut])
def list_agreement_sites(request: HttpRequest, agreement_id: int, cursor: str | None = None, size: int = 100) -> dict[str, Any]:
    viewer = _viewer(request)
    agreement = access.agreement_for(viewer, agreement_id)
    page = keyset_page(agreement.sites.all(), ordering=("id",), cursor=cursor, size=_size(size))
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/sites/{site_id}", response=SiteOut)
def get_site(request: HttpRequest, site_id: int) -> AgreementSite:
    return access.site_for(_viewer(request), site_id)


@router.patch("/sites/{site_id}", response=SiteOut)
def update_site_status(request: HttpRequest, site_id: int, payload: SiteStatusIn) -> AgreementSite:
    """Move a site's roll-out on: its owning rep, the agreement's KAM, or an administrator."""
    viewer = _viewer(request)
    site = access.site_for_update(viewer, site_id)
    try:
        return services.site_set_status(site=site, status=payload.status, by=viewer)
    except ValidationError as exc:  # pragma: no cover - the schema already refuses unknown statuses
        raise ApiError(422, "invalid_input", " ".join(exc.messages)) from exc


@router.delete("/sites/{site_id}", response={204: None})
def remove_site(request: HttpRequest, site_id: int) -> tuple[int, None]:
    """Take a site out of its agreement: the agreement's KAM or an administrator."""
    viewer = _viewer(request)
    services.site_remove(site=access.site_for_removal(viewer, site_id), by=viewer)
    return 204, None


@router.post("/import/{kind}", response={200: CustomerImportReportOut, 422: CustomerImportReportOut})
def import_customers(
    request: HttpRequest, kind: str, file: File[UploadedFile], partial: Form[bool] = False
) -> tuple[int, dict[str, Any]]:
    """Import `accounts`, `contacts`, `agreements` or `agreement_sites` (in that order for a first load). Nothing is written when a row is bad,
    unless `partial` is true."""
    if kind not in CUSTOMER_IMPORTS:
        raise ApiError(404, "not_found", "Unknown import.")
    import_kind = import_kinds()[kind]
    if not has_cap(request.user, import_kind.capability):
        raise ApiError(403, "forbidden", "You may not import customer data.")
    report = import_file(import_kind, file.read(), file.name or "upload.csv", partial=partial)
    return (200 if report.applied else 422), report.as_dict()
