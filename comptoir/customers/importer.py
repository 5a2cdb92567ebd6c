"""Accounts, contacts, framework agreements and their sites from a CRM export (CSV as French Excel writes it, or XLSX).

Every import is keyed on the CRM's external id, so sending the same file twice changes nothing the
second time. Nothing is written when a row is bad (unless a partial import was asked for), and
every bad row is reported with its line number. Owner changes go through the ownership history,
roll-out changes through the status history, exactly as when a person makes them in the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.core import clock
from comptoir.core.importjobs import ImportKind
from comptoir.core.imports import Column, Importer, ImportReport, ProgressCallback, RowError, RowInvalid
from comptoir.core.tables import Table
from comptoir.core.text import fold
from comptoir.customers.agreement_import import AGREEMENT_COLUMNS, AgreementImporter
from comptoir.customers.models import (
    Account,
    AccountOwnership,
    AgreementSite,
    Contact,
    FrameworkAgreement,
    Segment,
    SiteStatusChange,
)
from comptoir.org.models import OrgUnit, Region, User

TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "vrai", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "faux", ""}
ACCOUNT_STATUS_WORDS = {
    "prospect": Account.Status.PROSPECT,
    "actif": Account.Status.ACTIVE,
    "active": Account.Status.ACTIVE,
    "client": Account.Status.ACTIVE,
    "perdu": Account.Status.LOST,
    "lost": Account.Status.LOST,
}
ROLLOUT_WORDS = {
    "not_started": AgreementSite.Rollout.NOT_STARTED,
    "not started": AgreementSite.Rollout.NOT_STARTED,
    "non demarre": AgreementSite.Rollout.NOT_STARTED,
    "a faire": AgreementSite.Rollout.NOT_STARTED,
    "in_progress": AgreementSite.Rollout.IN_PROGRESS,
    "in progress": AgreementSite.Rollout.IN_PROGRESS,
    "en cours": AgreementSite.Rollout.IN_PROGRESS,
    "deployed": AgreementSite.Rollout.DEPLOYED,
    "deploye": AgreementSite.Rollout.DEPLOYED,
    "refused": AgreementSite.Rollout.REFUSED,
    "refuse": AgreementSite.Rollout.REFUSED,
}
BATCH = 2000


def _lookup(items: list[Any]) -> dict[str, int]:
    table: dict[str, int] = {}
    for item in items:
        for key in (item.code, item.name, item.name_en):
            if key:
                table[fold(key)] = item.pk
    return table


class _FirstLines:
    """Where each CRM id was first seen, over every row (a duplicate of a bad row is still one)."""

    def __init__(self) -> None:
        self.lines: dict[str, int] = {}

    def check(self, line: int, external_id: str, problems: list[tuple[str, str]]) -> None:
        if not external_id:
            return
        first = self.lines.setdefault(external_id, line)
        if first != line:
            problems.append(
                ("external_id", _("The CRM id %(id)s is already on line %(other)s.") % {"id": external_id, "other": first})
            )


def parent_cycle(external_id: str, parent_id: str | None, parent_of: Mapping[str, str | None]) -> bool:
    """Whether giving `external_id` the parent `parent_id` makes a group its own ancestor."""
    seen: set[str] = set()
    current = parent_id
    while current:
        if current == external_id or current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


# --- Accounts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    external_id: str
    name: str
    unit_id: int
    region_id: int
    owner_id: int | None
    parent_external_id: str
    segment_id: int | None
    status: str
    address: str
    postcode: str
    city: str


class AccountImporter(Importer[AccountRow]):
    columns = (
        Column("external_id", aliases=("crm id", "id crm", "identifiant", "code client", "id")),
        Column("name", aliases=("nom", "raison sociale", "enseigne")),
        Column("unit", aliases=("unité", "bu", "business unit")),
        Column("region", aliases=("région",)),
        Column("owner_email", required=False, aliases=("commercial", "owner", "e-mail du commercial", "responsable")),
        Column("parent_external_id", required=False, aliases=("groupe", "parent", "id groupe", "id crm du groupe")),
        Column("segment", required=False, aliases=("taille", "catégorie", "tier")),
        Column("status", required=False, aliases=("statut",)),
        Column("address", required=False, aliases=("adresse",)),
        Column("postcode", required=False, aliases=("code postal", "cp")),
        Column("city", required=False, aliases=("ville", "commune")),
    )

    def prepare(self, table: Table) -> None:
        self.first_lines = _FirstLines()
        self.units = _lookup(list(OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT)))
        self.regions = _lookup(list(Region.objects.all()))
        self.segments = _lookup(list(Segment.objects.all()))
        self.people = {email: (pk, active) for email, pk, active in User.objects.values_list("email", "id", "is_active")}
        rows = list(Account.objects.filter(external_id__isnull=False).values_list("external_id", "id", "parent_id"))
        self.ext_of = {pk: ext for ext, pk, _p in rows}
        self.parent_of_db = {ext: self.ext_of.get(parent) if parent else None for ext, _pk, parent in rows}

    def _ref(self, row: dict[str, str], column: str, table: dict[str, int], message: str, problems: list[tuple[str, str]]) -> int | None:
        value = self.cell(row, column)
        if not value:
            return None
        found = table.get(fold(value))
        if found is None:
            problems.append((column, message % {"value": value}))
        return found

    def check_row(self, line: int, row: dict[str, str]) -> AccountRow:
        problems: list[tuple[str, str]] = []
        external_id = self.cell(row, "external_id")
        name = self.cell(row, "name")
        if not external_id:
            problems.append(("external_id", _("The CRM id is missing.")))
        self.first_lines.check(line, external_id, problems)
        if not name:
            problems.append(("name", _("The name is missing.")))
        unit = self._ref(row, "unit", self.units, _("Unknown unit “%(value)s”."), problems)
        region = self._ref(row, "region", self.regions, _("Unknown region “%(value)s”."), problems)
        if not self.cell(row, "unit"):
            problems.append(("unit", _("The unit is missing.")))
        if not self.cell(row, "region"):
            problems.append(("region", _("The region is missing.")))
        segment = self._ref(row, "segment", self.segments, _("Unknown segment “%(value)s”."), problems)
        owner_id = None
        owner_email = self.cell(row, "owner_email").lower()
        if owner_email:
            found = self.people.get(owner_email)
            if found is None:
                problems.append(("owner_email", _("Unknown owner %(email)s.") % {"email": owner_email}))
            elif not found[1]:
                problems.append(("owner_email", _("The owner %(email)s is no longer active.") % {"email": owner_email}))
            else:
                owner_id = found[0]
        status_text = fold(self.cell(row, "status"))
        status = ACCOUNT_STATUS_WORDS.get(status_text, "") if status_text else Account.Status.ACTIVE
        if not status:
            problems.append(("status", _("Unknown status “%(value)s” (prospect, actif, perdu).") % {"value": self.cell(row, "status")}))
        parent = self.cell(row, "parent_external_id")
        if parent and parent == external_id:
            problems.append(("parent_external_id", _("An account cannot be its own group.")))
        if problems:
            raise RowInvalid(*problems)
        return AccountRow(
            external_id=external_id,
            name=name[:200],
            unit_id=unit or 0,
            region_id=region or 0,
            owner_id=owner_id,
            parent_external_id=parent,
            segment_id=segment,
            status=status,
            address=self.cell(row, "address")[:255],
            postcode=self.cell(row, "postcode")[:10],
            city=self.cell(row, "city")[:120],
        )

    def check_together(self, rows: list[tuple[int, AccountRow]]) -> list[RowError]:
        errors: list[RowError] = []
        bad: set[int] = set()
        known = set(self.parent_of_db) | {r.external_id for _l, r in rows}
        parent_of: dict[str, str | None] = {k: v for k, v in self.parent_of_db.items() if k}
        for _line, account in rows:
            parent_of[account.external_id] = account.parent_external_id or None
        for line, account in rows:
            if line in bad or not account.parent_external_id:
                continue
            if account.parent_external_id not in known:
                errors.append(
                    RowError(line, _("Unknown group %(id)s.") % {"id": account.parent_external_id}, "parent_external_id")
                )
            elif parent_cycle(account.external_id, account.parent_external_id, parent_of):
                errors.append(
                    RowError(
                        line,
                        _("The groups loop back to %(id)s.") % {"id": account.external_id},
                        "parent_external_id",
                    )
                )
        return errors

    def apply(self, rows: list[tuple[int, AccountRow]], report: ImportReport, progress: ProgressCallback) -> None:
        now = clock.now()
        fields = ["name", "unit_id", "region_id", "segment_id", "status", "address", "postcode", "city"]
        existing = {a.external_id: a for a in Account.objects.filter(external_id__in=[r.external_id for _l, r in rows])}
        to_create: list[Account] = []
        to_update: list[Account] = []
        owner_changes: list[tuple[Account, int | None]] = []
        for done, (_line, row) in enumerate(rows, start=1):
            values = {f: getattr(row, f) for f in fields}
            account = existing.get(row.external_id)
            if account is None:
                account = Account(external_id=row.external_id, owner_id=row.owner_id, **values)
                account.search_text = account.compute_search_text()
                to_create.append(account)
            else:
                changed = any(getattr(account, k) != v for k, v in values.items())
                if changed:
                    for key, value in values.items():
                        setattr(account, key, value)
                    account.search_text = account.compute_search_text()
                    account.updated_at = now
                    to_update.append(account)
                if account.owner_id != row.owner_id:
                    owner_changes.append((account, row.owner_id))
            if done % 1000 == 0:
                progress(done, len(rows))
        Account.objects.bulk_create(to_create, batch_size=BATCH)
        Account.objects.bulk_update(to_update, [*fields, "search_text", "updated_at"], batch_size=BATCH)
        created_ids = dict(
            Account.objects.filter(external_id__in=[a.external_id for a in to_create]).values_list("external_id", "id")
        )
        AccountOwnership.objects.bulk_create(
            [
                AccountOwnership(account_id=created_ids[a.external_id], owner_id=a.owner_id, started_at=now)
                for a in to_create
                if a.owner_id
            ],
            batch_size=BATCH,
        )
        # Owners who change: close the current period and open the next, as a reassignment does.
        changed_ids = [a.pk for a, _o in owner_changes]
        AccountOwnership.objects.filter(account_id__in=changed_ids, ended_at__isnull=True).update(ended_at=now)
        AccountOwnership.objects.bulk_create(
            [AccountOwnership(account_id=a.pk, owner_id=o, started_at=now) for a, o in owner_changes if o],
            batch_size=BATCH,
        )
        for account, owner in owner_changes:
            account.owner_id = owner
        Account.objects.bulk_update([a for a, _o in owner_changes], ["owner_id"], batch_size=BATCH)
        # Groups in a second pass: a group may be created by this very file.
        wanted = {r.external_id: r.parent_external_id or None for _l, r in rows}
        ids = dict(
            Account.objects.filter(external_id__in=[*wanted, *filter(None, wanted.values())]).values_list("external_id", "id")
        )
        current = dict(Account.objects.filter(external_id__in=list(wanted)).values_list("external_id", "parent_id"))
        parent_changes = []
        touched = {a.external_id for a in to_create} | {a.external_id for a in to_update} | {a.external_id for a, _o in owner_changes}
        for external_id, parent in wanted.items():
            parent_id = ids[parent] if parent else None
            if current.get(external_id) != parent_id:
                parent_changes.append(Account(id=ids[external_id], parent_id=parent_id))
                touched.add(external_id)
        Account.objects.bulk_update(parent_changes, ["parent_id"], batch_size=BATCH)
        report.created = len(to_create)
        report.updated = len(touched) - len(to_create)
        report.unchanged = len(rows) - len(touched)


# --- Contacts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    external_id: str
    account_id: int
    first_name: str
    last_name: str
    job_title: str
    email: str
    phone: str
    language: str
    survey_consent: bool


class ContactImporter(Importer[ContactRow]):
    columns = (
        Column("external_id", aliases=("crm id", "id crm", "id contact", "identifiant")),
        Column("account_external_id", aliases=("compte", "id compte", "code client", "account")),
        Column("first_name", required=False, aliases=("prénom", "prenom", "first name")),
        Column("last_name", aliases=("nom", "last name", "nom de famille")),
        Column("job_title", required=False, aliases=("fonction", "rôle", "role", "poste")),
        Column("email", required=False, aliases=("e-mail", "mail", "courriel")),
        Column("phone", required=False, aliases=("téléphone", "tel", "tél", "portable")),
        Column("language", required=False, aliases=("langue",)),
        Column("survey_consent", required=False, aliases=("consentement", "accepte les enquêtes", "opt-in enquêtes")),
    )

    def prepare(self, table: Table) -> None:
        self.first_lines = _FirstLines()
        wanted = {self.cell(row, "account_external_id") for _l, row in table.rows}
        self.accounts = dict(Account.objects.filter(external_id__in=wanted).values_list("external_id", "id"))

    def check_row(self, line: int, row: dict[str, str]) -> ContactRow:
        problems: list[tuple[str, str]] = []
        external_id = self.cell(row, "external_id")
        if not external_id:
            problems.append(("external_id", _("The CRM id is missing.")))
        self.first_lines.check(line, external_id, problems)
        account_ref = self.cell(row, "account_external_id")
        account_id = self.accounts.get(account_ref)
        if account_id is None:
            problems.append(("account_external_id", _("Unknown account %(id)s.") % {"id": account_ref}))
        last_name = self.cell(row, "last_name")
        if not last_name:
            problems.append(("last_name", _("The last name is missing.")))
        email = self.cell(row, "email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(("email", _("“%(value)s” is not a valid e-mail address.") % {"value": email}))
        language = fold(self.cell(row, "language")) or "fr"
        language = {"francais": "fr", "french": "fr", "anglais": "en", "english": "en"}.get(language, language)
        if language not in ("fr", "en"):
            problems.append(("language", _("Unknown language “%(value)s” (fr or en).") % {"value": self.cell(row, "language")}))
        consent_text = fold(self.cell(row, "survey_consent"))
        if consent_text not in TRUE_WORDS | FALSE_WORDS:
            problems.append(("survey_consent", _("“%(value)s” is not yes or no.") % {"value": self.cell(row, "survey_consent")}))
        if problems:
            raise RowInvalid(*problems)
        return ContactRow(
            external_id=external_id,
            account_id=account_id or 0,
            first_name=self.cell(row, "first_name")[:80],
            last_name=last_name[:80],
            job_title=self.cell(row, "job_title")[:120],
            email=email,
            phone=self.cell(row, "phone")[:40],
            language=language,
            survey_consent=consent_text in TRUE_WORDS,
        )

    def apply(self, rows: list[tuple[int, ContactRow]], report: ImportReport, progress: ProgressCallback) -> None:
        """Create and update the contacts; a field edited in Comptoir (a rep corrected a phone
        number) is not undone by a CRM that still sends the old value: Comptoir's value is kept and
        the report lists it, so someone can correct the CRM. Once the CRM's value changes (it was
        corrected there, or changed again), the CRM is the record and wins, also reported."""
        fields = ["account_id", "first_name", "last_name", "job_title", "email", "phone", "language", "survey_consent"]
        existing = {c.external_id: c for c in Contact.objects.filter(external_id__in=[r.external_id for _l, r in rows])}
        to_create, to_update = [], []
        for line, row in rows:
            values = {f: getattr(row, f) for f in fields}
            contact = existing.get(row.external_id)
            if contact is None:
                to_create.append(Contact(external_id=row.external_id, **values))
                continue
            edits = self._settle_app_edits(line, contact, values, report)
            if edits != contact.app_edits or any(getattr(contact, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(contact, key, value)
                contact.app_edits = edits
                to_update.append(contact)
        Contact.objects.bulk_create(to_create, batch_size=BATCH)
        Contact.objects.bulk_update(to_update, [*fields, "app_edits"], batch_size=BATCH)
        report.created, report.updated = len(to_create), len(to_update)
        report.unchanged = len(rows) - report.created - report.updated


    @staticmethod
    def _settle_app_edits(line: int, contact: Contact, values: dict[str, Any], report: ImportReport) -> dict[str, Any]:
        """Decide each field edited in Comptoir against the file's value (changing `values`)."""
        edits = dict(contact.app_edits)
        for key, crm_then in contact.app_edits.items():
            if key not in values:
                continue
            ours, incoming = getattr(contact, key), values[key]
            if incoming == ours:  # the CRM caught up with Comptoir
                del edits[key]
            elif incoming == crm_then:  # the CRM still sends what Comptoir corrected
                values[key] = ours
                message = _("Kept “%(ours)s”, edited in Comptoir; the CRM still has “%(crm)s”.")
                report.conflicts.append(RowError(line, message % {"ours": ours, "crm": incoming}, key))
            else:  # changed on both sides since: the CRM is the record
                del edits[key]
                message = _("“%(ours)s”, edited in Comptoir, replaced by the CRM's new value “%(crm)s”.")
                report.conflicts.append(RowError(line, message % {"ours": ours, "crm": incoming}, key))
        return edits


# --- Agreement sites --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteRow:
    agreement_id: int
    account_id: int
    status: str  # "" keeps the current status


class AgreementSiteImporter(Importer[SiteRow]):
    columns = (
        Column("agreement_external_id", aliases=("accord", "id accord", "contrat cadre", "agreement")),
        Column("account_external_id", aliases=("site", "compte", "id site", "code client", "account")),
        Column("status", required=False, aliases=("statut", "déploiement", "roll-out")),
    )

    def prepare(self, table: Table) -> None:
        agreements = {self.cell(row, "agreement_external_id") for _l, row in table.rows}
        accounts = {self.cell(row, "account_external_id") for _l, row in table.rows}
        self.agreements = dict(
            FrameworkAgreement.objects.filter(external_id__in=agreements).values_list("external_id", "id")
        )
        self.accounts = dict(Account.objects.filter(external_id__in=accounts).values_list("external_id", "id"))

    def check_row(self, line: int, row: dict[str, str]) -> SiteRow:
        problems: list[tuple[str, str]] = []
        agreement_ref, account_ref = self.cell(row, "agreement_external_id"), self.cell(row, "account_external_id")
        agreement_id, account_id = self.agreements.get(agreement_ref), self.accounts.get(account_ref)
        if agreement_id is None:
            problems.append(("agreement_external_id", _("Unknown agreement %(id)s.") % {"id": agreement_ref}))
        if account_id is None:
            problems.append(("account_external_id", _("Unknown account %(id)s.") % {"id": account_ref}))
        status_text = fold(self.cell(row, "status")).replace("-", " ")
        status = ROLLOUT_WORDS.get(status_text, "") if status_text else ""
        if status_text and not status:
            problems.append(
                ("status", _("Unknown roll-out status “%(value)s”.") % {"value": self.cell(row, "status")})
            )
        if problems:
            raise RowInvalid(*problems)
        return SiteRow(agreement_id=agreement_id or 0, account_id=account_id or 0, status=status)

    def check_together(self, rows: list[tuple[int, SiteRow]]) -> list[RowError]:
        errors: list[RowError] = []
        first: dict[tuple[int, int], int] = {}
        for line, row in rows:
            key = (row.agreement_id, row.account_id)
            if key in first:
                errors.append(RowError(line, _("This site is already on line %(other)s.") % {"other": first[key]}))
            else:
                first[key] = line
        return errors

    def apply(self, rows: list[tuple[int, SiteRow]], report: ImportReport, progress: ProgressCallback) -> None:
        now = clock.now()
        agreement_ids = {r.agreement_id for _l, r in rows}
        existing = {
            (s.agreement_id, s.account_id): s for s in AgreementSite.objects.filter(agreement_id__in=agreement_ids)
        }
        to_create, to_update, changes = [], [], []
        for _line, row in rows:
            site = existing.get((row.agreement_id, row.account_id))
            if site is None:
                status = row.status or AgreementSite.Rollout.NOT_STARTED
                site = AgreementSite(agreement_id=row.agreement_id, account_id=row.account_id, status=status)
                if status != AgreementSite.Rollout.NOT_STARTED:
                    site.status_changed_at = now
                to_create.append(site)
            elif row.status and row.status != site.status:
                changes.append((site, site.status))
                site.status, site.status_changed_at, site.status_changed_by = row.status, now, None
                to_update.append(site)
        AgreementSite.objects.bulk_create(to_create, batch_size=BATCH)
        AgreementSite.objects.bulk_update(to_update, ["status", "status_changed_at", "status_changed_by"], batch_size=BATCH)
        # bulk_create sets the new primary keys (SQLite and PostgreSQL both return them).
        history = [
            SiteStatusChange(site=s, agreement_id=s.agreement_id, from_status=old, to_status=s.status, changed_at=now)
            for s, old in changes
        ] + [
            SiteStatusChange(
                site=s, agreement_id=s.agreement_id, from_status=AgreementSite.Rollout.NOT_STARTED, to_status=s.status, changed_at=now
            )
            for s in to_create
            if s.status != AgreementSite.Rollout.NOT_STARTED
        ]
        SiteStatusChange.objects.bulk_create(history, batch_size=BATCH)
        report.created, report.updated = len(to_create), len(to_update)
        report.unchanged = len(rows) - report.created - report.updated


ACCOUNT_COLUMNS = ("external_id", "name", "unit", "region", "owner_email", "parent_external_id", "segment", "status", "address", "postcode", "city")

KINDS = [
    ImportKind(
        code="accounts",
        label=gettext_lazy("Customer accounts (CRM export)"),
        make=lambda options: AccountImporter(),
        template_columns=ACCOUNT_COLUMNS,
    ),
    ImportKind(
        code="contacts",
        label=gettext_lazy("Customer contacts (CRM export)"),
        make=lambda options: ContactImporter(),
        template_columns=("external_id", "account_external_id", "first_name", "last_name", "job_title", "email", "phone", "language", "survey_consent"),
    ),
    ImportKind(
        code="agreements",
        label=gettext_lazy("Framework agreements (CRM export)"),
        make=lambda options: AgreementImporter(),
        template_columns=AGREEMENT_COLUMNS,
    ),
    ImportKind(
        code="agreement_sites",
        label=gettext_lazy("Framework agreement sites"),
        make=lambda options: AgreementSiteImporter(),
        template_columns=("agreement_external_id", "account_external_id", "status"),
    ),
]
