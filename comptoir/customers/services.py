"""Every write on customer accounts and agreements: the pages, the API, the import and the demo
all come through these functions, so an owner change always leaves its dated history and a roll-out
change always says who moved it and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.core.permissions import Cap, has_cap
from comptoir.customers.models import (
    Account,
    AccountOwnership,
    AgreementSite,
    Contact,
    FrameworkAgreement,
    SiteStatusChange,
)
from comptoir.org.models import User


@transaction.atomic
def account_reassign(*, account: Account, owner: User | None, by: User | None, at: dt.datetime | None = None) -> Account:
    """Give `account` to `owner` (None: nobody), closing the current ownership at `at` and opening
    the new one, so "who owned it on that day?" keeps an answer."""
    if owner is not None and not owner.is_active:
        raise ValidationError({"owner": _("%(name)s is no longer active.") % {"name": owner.full_name}})
    at = at or clock.now()
    locked = Account.objects.select_for_update().get(pk=account.pk)
    if locked.owner_id == (owner.pk if owner else None):
        return locked
    current = AccountOwnership.objects.filter(account=locked, ended_at__isnull=True).first()
    if current is not None:
        if at < current.started_at:
            raise ValidationError(_("The new owner cannot start before the current one did."))
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    if owner is not None:
        AccountOwnership.objects.create(account=locked, owner=owner, started_at=at, changed_by=by)
    locked.owner = owner
    locked.save(update_fields=["owner", "updated_at"])
    account.owner = owner
    return locked


def owner_at(account: Account | int, moment: dt.datetime) -> int | None:
    """Who owned `account` at `moment` (the id), from the history, not from today's owner."""
    account_id = account if isinstance(account, int) else account.pk
    found = (
        AccountOwnership.objects.filter(account_id=account_id, started_at__lte=moment)
        .exclude(ended_at__lte=moment)
        .order_by("-started_at")
        .values_list("owner_id", flat=True)
        .first()
    )
    return found


@transaction.atomic
def site_set_status(*, site: AgreementSite, status: str, by: User | None, at: dt.datetime | None = None) -> AgreementSite:
    """Move a site's roll-out to `status`, recording who did it and when. Setting the status it
    already has changes nothing (a double tap on a phone must not write history twice)."""
    if status not in AgreementSite.Rollout.values:
        raise ValidationError({"status": _("“%(value)s” is not a roll-out status.") % {"value": status}})
    at = at or clock.now()
    locked = AgreementSite.objects.select_for_update().get(pk=site.pk)
    if locked.status == status:
        return locked
    SiteStatusChange.objects.create(
        site=locked, agreement_id=locked.agreement_id, from_status=locked.status, to_status=status, changed_at=at, changed_by=by
    )
    locked.status, locked.status_changed_at, locked.status_changed_by = status, at, by
    locked.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    site.status, site.status_changed_at, site.status_changed_by = status, at, by
    return locked


# --- Framework agreements and their sites -----------------------------------------------------------

AGREEMENT_FIELDS = ("name", "kam", "group", "starts_on", "ends_on", "rollout_due_on", "status", "description", "external_id")
SITES_PER_CALL = 5000


def _check_agreement(agreement: FrameworkAgreement) -> None:
    """Every rule an agreement obeys, whoever writes it (page, API, import): all problems at once."""
    errors: dict[str, str] = {}
    agreement.name = (agreement.name or "").strip()
    agreement.external_id = (agreement.external_id or "").strip() or None
    if not agreement.name:
        errors["name"] = _("The name is missing.")
    kam = agreement.kam if agreement.kam_id else None
    if kam is None:
        errors["kam"] = _("Choose the key-account manager.")
    elif not kam.is_active:
        errors["kam"] = _("%(name)s is no longer active.") % {"name": kam.full_name}
    elif not has_cap(kam, Cap.OWN_AGREEMENTS):
        errors["kam"] = _("%(name)s may not own framework agreements.") % {"name": kam.full_name}
    if not agreement.group_id:
        errors["group"] = _("Choose the group the agreement is signed with.")
    if agreement.status not in FrameworkAgreement.Status.values:
        errors["status"] = _("“%(value)s” is not an agreement status.") % {"value": agreement.status}
    if agreement.starts_on and agreement.ends_on and agreement.ends_on < agreement.starts_on:
        errors["ends_on"] = _("The agreement cannot end before it starts.")
    if agreement.starts_on and agreement.rollout_due_on and agreement.rollout_due_on < agreement.starts_on:
        errors["rollout_due_on"] = _("The roll-out cannot be due before the agreement starts.")
    if not agreement.starts_on:
        errors["starts_on"] = _("The start date is missing.")
    if (
        agreement.external_id
        and FrameworkAgreement.objects.filter(external_id=agreement.external_id).exclude(pk=agreement.pk).exists()
    ):
        errors["external_id"] = _("Another agreement already has the CRM id %(id)s.") % {"id": agreement.external_id}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_create(
    *,
    by: User | None,
    kam: User,
    group: Account,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    rollout_due_on: dt.date | None = None,
    status: str = FrameworkAgreement.Status.SIGNED,
    description: str = "",
    external_id: str | None = None,
) -> FrameworkAgreement:
    agreement = FrameworkAgreement(
        kam=kam,
        group=group,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        rollout_due_on=rollout_due_on,
        status=status,
        description=description,
        external_id=external_id,
    )
    _check_agreement(agreement)
    agreement.save()
    return agreement


@transaction.atomic
def agreement_update(*, agreement: FrameworkAgreement, by: User | None, **changes: Any) -> FrameworkAgreement:
    """Change some of an agreement's fields (those in AGREEMENT_FIELDS); bad values change nothing."""
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    locked = FrameworkAgreement.objects.select_for_update().select_related("kam").get(pk=agreement.pk)
    for key, value in changes.items():
        setattr(locked, key, value)
    _check_agreement(locked)
    locked.save()
    for key in changes:
        setattr(agreement, key, getattr(locked, key))
    return locked


def group_member_ids(group: Account | int) -> set[int]:
    """The accounts under `group` at any depth, the group included: the sites it may roll out to.
    One query per level of the group's tree (a chain is rarely more than three levels deep)."""
    group_id = group if isinstance(group, int) else group.pk
    found, frontier = {group_id}, [group_id]
    while frontier:
        frontier = [pk for pk in Account.objects.filter(parent_id__in=frontier).values_list("id", flat=True) if pk not in found]
        found.update(frontier)
    return found


@transaction.atomic
def agreement_add_sites(
    *, agreement: FrameworkAgreement, account_ids: list[int], by: User | None, only_within_group: bool = True
) -> list[AgreementSite]:
    """Add sites (accounts) to `agreement`; a site already covered is kept as it is. With
    `only_within_group`, every account must belong to the agreement's group (at any depth): a KAM
    rolls an agreement out to the group's sites, not to any customer's."""
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        raise ValidationError({"account_ids": _("Name at least one account.")})
    if len(wanted) > SITES_PER_CALL:
        raise ValidationError({"account_ids": _("At most %(n)s accounts at once.") % {"n": SITES_PER_CALL}})
    allowed = group_member_ids(agreement.group_id) if only_within_group else None
    existing_accounts = set(Account.objects.filter(pk__in=wanted).values_list("id", flat=True))
    refused = [pk for pk in wanted if pk not in existing_accounts or (allowed is not None and pk not in allowed)]
    if refused:
        raise ValidationError(
            {
                "account_ids": _("These accounts are unknown or not part of the group %(group)s: %(ids)s.")
                % {"group": agreement.group.name, "ids": ", ".join(str(pk) for pk in refused[:20])}
            }
        )
    already = set(AgreementSite.objects.filter(agreement=agreement, account_id__in=wanted).values_list("account_id", flat=True))
    AgreementSite.objects.bulk_create(
        [AgreementSite(agreement=agreement, account_id=pk) for pk in wanted if pk not in already], batch_size=2000
    )
    return list(AgreementSite.objects.filter(agreement=agreement, account_id__in=wanted).order_by("id"))


@transaction.atomic
def site_remove(*, site: AgreementSite, by: User | None) -> None:
    """Take a site out of an agreement (signed by mistake, closed down); its history goes with it."""
    AgreementSite.objects.filter(pk=site.pk).delete()


# --- Contacts ---------------------------------------------------------------------------------------

CONTACT_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "language", "survey_consent", "external_id")


def _check_contact(contact: Contact) -> None:
    errors: dict[str, str] = {}
    contact.first_name = (contact.first_name or "").strip()
    contact.last_name = (contact.last_name or "").strip()
    contact.email = (contact.email or "").strip().lower()
    contact.external_id = (contact.external_id or "").strip() or None
    if not contact.last_name:
        errors["last_name"] = _("The last name is missing.")
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError:
            errors["email"] = _("“%(value)s” is not a valid e-mail address.") % {"value": contact.email}
    if contact.language not in Contact.Language.values:
        errors["language"] = _("Unknown language “%(value)s” (fr or en).") % {"value": contact.language}
    for name, limit in (("first_name", 80), ("last_name", 80), ("job_title", 120), ("phone", 40)):
        if len(getattr(contact, name) or "") > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": limit}
    if contact.external_id and Contact.objects.filter(external_id=contact.external_id).exclude(pk=contact.pk).exists():
        errors["external_id"] = _("Another contact already has the CRM id %(id)s.") % {"id": contact.external_id}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_create(*, account: Account, by: User | None, **fields: Any) -> Contact:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    contact = Contact(account=account, **fields)
    _check_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by: User | None, **changes: Any) -> Contact:
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    before = {key: getattr(locked, key) for key in CRM_FIELDS}
    for key, value in changes.items():
        setattr(locked, key, value)
    _check_contact(locked)
    if locked.external_id:
        locked.app_edits = _app_edits_after(locked, before)
    locked.save()
    for key in (*CONTACT_FIELDS, "app_edits"):
        setattr(contact, key, getattr(locked, key))
    return locked


# What the CRM sends about a contact, and Comptoir may change too.
CRM_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "language", "survey_consent")


def _app_edits_after(contact: Contact, before: dict[str, Any]) -> dict[str, Any]:
    """Mark each field changed here with the value the CRM had for it (the first time it changes);
    a field brought back to the CRM's value is no longer an edit of Comptoir's."""
    edits = dict(contact.app_edits)
    for key in CRM_FIELDS:
        now = getattr(contact, key)
        if key in edits:
            if now == edits[key]:
                del edits[key]
        elif now != before[key]:
            edits[key] = before[key]
    return edits


@transaction.atomic
def contact_delete(*, contact: Contact, by: User | None) -> None:
    Contact.objects.filter(pk=contact.pk).delete()
