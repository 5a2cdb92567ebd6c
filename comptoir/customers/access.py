"""Who sees which customer account, contact, agreement and site: one fetcher per object type.

    - HQ, customer relations and admins (capability SEE_ALL_ACCOUNTS, or a superuser): everything;
    - a rep: the accounts they own and those of their team's members;
    - a manager or director (VIEW_TEAM_ACTIVITY): the accounts owned by the people they answer for
      (their reports at any depth and the members of the teams they manage), and their own team's;
    - a KAM (OWN_AGREEMENTS): the sites and groups of the agreements they own, and those agreements.

Every page and API endpoint gets its objects here, so a rule is written once. A fetcher answers
404 for what the viewer may not see (a 403 would confirm that the object exists).
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from comptoir.core.permissions import Cap, has_cap
from comptoir.customers.models import Account, AgreementSite, Contact, FrameworkAgreement
from comptoir.org.models import User
from comptoir.org.selectors import managed_people_ids, team_member_ids


def sees_all_accounts(viewer: User) -> bool:
    return has_cap(viewer, Cap.SEE_ALL_ACCOUNTS)


def owner_ids_in_scope(viewer: User) -> set[int]:
    """The owners whose accounts `viewer` sees because of the organisation (team, reports).
    Remembered on the viewer for the request: the list, its filters and the page all ask."""
    cached: set[int] | None = getattr(viewer, "_customers_owner_scope", None)
    if cached is not None:
        return cached
    ids = {viewer.pk} | team_member_ids(viewer)
    if has_cap(viewer, Cap.VIEW_TEAM_ACTIVITY):
        ids |= managed_people_ids(viewer)
    viewer._customers_owner_scope = ids  # type: ignore[attr-defined]
    return ids


LONG_ID_LIST = 50


def owner_in(ids: set[int], field: str = "owner_id") -> Q:
    """`field IN ids`, written so that a director's few thousand ids cost one parameter.

    Django prepares each value of an IN list in Python (15 ms for 3,000 ids, more than the query
    itself), and the database parses as many placeholders. A long list goes as one JSON or array
    parameter instead, which both databases unpack in a subquery."""
    values = sorted(ids)
    if len(values) > LONG_ID_LIST and connection.vendor == "sqlite":
        return Q(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])})
    if len(values) > LONG_ID_LIST and connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [values])})
    return Q(**{f"{field}__in": values})


def _account_scope(viewer: User) -> Q:
    scope = owner_in(owner_ids_in_scope(viewer))
    if has_cap(viewer, Cap.OWN_AGREEMENTS):
        scope |= Q(id__in=AgreementSite.objects.filter(agreement__kam=viewer).values("account_id"))
        scope |= Q(id__in=FrameworkAgreement.objects.filter(kam=viewer).values("group_id"))
    return scope


def accounts_visible_to(viewer: User) -> QuerySet[Account]:
    if not viewer.is_authenticated or not viewer.is_active:
        return Account.objects.none()
    if sees_all_accounts(viewer):
        return Account.objects.all()
    return Account.objects.filter(_account_scope(viewer))


def account_for(viewer: User, pk: int) -> Account:
    account = (
        accounts_visible_to(viewer)
        .select_related("owner", "unit", "region", "segment", "parent")
        .filter(pk=pk)
        .first()
    )
    if account is None:
        raise Http404
    return account


def contacts_visible_to(viewer: User) -> QuerySet[Contact]:
    if sees_all_accounts(viewer):
        return Contact.objects.all()
    return Contact.objects.filter(account__in=accounts_visible_to(viewer))


def contact_for(viewer: User, pk: int, *, for_change: bool = False) -> Contact:
    """The contact `viewer` may read (404 otherwise); with `for_change`, one whose account's
    contacts they may keep up to date (403 if they may only read it)."""
    contact = contacts_visible_to(viewer).select_related("account").filter(pk=pk).first()
    if contact is None:
        raise Http404
    if for_change and not may_change_contacts(viewer, contact.account):
        raise PermissionDenied("You may not change this account's contacts.")
    return contact


def may_change_contacts(viewer: User, account: Account) -> bool:
    """Who keeps an account's contacts up to date: the rep who owns it, the managers who answer for
    it, and the administrators. Called with an account the viewer already sees (from account_for)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if account.owner_id == viewer.pk or has_cap(viewer, Cap.MANAGE_ORGANISATION):
        return True
    return has_cap(viewer, Cap.VIEW_TEAM_ACTIVITY) and account.owner_id in owner_ids_in_scope(viewer)


def account_for_contacts(viewer: User, pk: int) -> Account:
    """The account `viewer` may add contacts to: 404 if they do not see it, 403 if they only read it."""
    account = account_for(viewer, pk)
    if not may_change_contacts(viewer, account):
        raise PermissionDenied("You may not change this account's contacts.")
    return account


def agreements_visible_to(viewer: User) -> QuerySet[FrameworkAgreement]:
    """Agreement pages are for their KAM and for those who see every account; a rep sees where their
    own sites stand on the account page instead."""
    if not viewer.is_authenticated or not viewer.is_active:
        return FrameworkAgreement.objects.none()
    if sees_all_accounts(viewer):
        return FrameworkAgreement.objects.all()
    if has_cap(viewer, Cap.OWN_AGREEMENTS):
        return FrameworkAgreement.objects.filter(kam=viewer)
    return FrameworkAgreement.objects.none()


def agreement_for(viewer: User, pk: int, *, for_change: bool = False) -> FrameworkAgreement:
    """The agreement `viewer` may read (404 otherwise); with `for_change`, one they may also change
    and roll out to new sites (403 if they may only read it)."""
    agreement = agreements_visible_to(viewer).select_related("kam", "group").filter(pk=pk).first()
    if agreement is None:
        raise Http404
    if for_change and not may_change_agreement(viewer, agreement):
        raise PermissionDenied("You may not change this agreement.")
    return agreement


def may_create_agreements(viewer: User) -> bool:
    """KAMs sign agreements (their own); administrators enter them for anyone."""
    return has_cap(viewer, Cap.OWN_AGREEMENTS) or has_cap(viewer, Cap.MANAGE_ORGANISATION)


def may_name_another_kam(viewer: User) -> bool:
    return has_cap(viewer, Cap.MANAGE_ORGANISATION)


def may_change_agreement(viewer: User, agreement: FrameworkAgreement) -> bool:
    """The agreement's own KAM and the administrators; HQ reads it without changing it."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return agreement.kam_id == viewer.pk or has_cap(viewer, Cap.MANAGE_ORGANISATION)


def sites_visible_to(viewer: User) -> QuerySet[AgreementSite]:
    if sees_all_accounts(viewer):
        return AgreementSite.objects.all()
    return AgreementSite.objects.filter(Q(account__in=accounts_visible_to(viewer)) | Q(agreement__kam=viewer))


def site_for(viewer: User, pk: int) -> AgreementSite:
    site = sites_visible_to(viewer).select_related("agreement", "account").filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


def site_for_removal(viewer: User, pk: int) -> AgreementSite:
    """The site `viewer` may take out of its agreement (its KAM, an administrator): 404 if they do
    not see it, 403 if they only read it."""
    site = site_for(viewer, pk)
    if not may_change_agreement(viewer, site.agreement):
        raise PermissionDenied("You may not change this agreement.")
    return site


def may_update_site(viewer: User, site: AgreementSite) -> bool:
    """The rep who owns the site, the agreement's KAM, and the administrators move a roll-out on.
    A manager or HQ reads it but leaves the field's word to the field."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return (
        site.account.owner_id == viewer.pk
        or site.agreement.kam_id == viewer.pk
        or has_cap(viewer, Cap.MANAGE_ORGANISATION)
    )


def site_for_update(viewer: User, pk: int) -> AgreementSite:
    """The site `viewer` may change the roll-out status of, or 404 (403 if they may only read it)."""
    site = site_for(viewer, pk)
    if not may_update_site(viewer, site):
        raise PermissionDenied("You may not change this site's roll-out status.")
    return site


def may_reassign(viewer: User, account: Account) -> bool:
    """Administrators, and the managers who answer for the account (it is visible to them)."""
    if has_cap(viewer, Cap.MANAGE_ORGANISATION):
        return True
    return has_cap(viewer, Cap.VIEW_TEAM_ACTIVITY) and accounts_visible_to(viewer).filter(pk=account.pk).exists()


def account_for_reassign(viewer: User, pk: int) -> Account:
    account = account_for(viewer, pk)
    if not may_reassign(viewer, account):
        raise PermissionDenied("You may not reassign this account.")
    return account
