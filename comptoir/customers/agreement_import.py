"""Framework agreements from a CRM export, keyed on the CRM's external id like the other customer
imports: the agreements first, then their sites (the `agreement_sites` import) name them by that id.

Each row is checked by the same rules as an agreement entered in the app (services._check_agreement
says them once for the page and the API; the row checks below say them for a whole file at once, so
that every bad row is reported and nothing is written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from comptoir.core.imports import Column, Importer, ImportReport, ProgressCallback, RowInvalid
from comptoir.core.permissions import Cap
from comptoir.core.tables import Table
from comptoir.core.text import fold
from comptoir.customers.models import Account, FrameworkAgreement
from comptoir.org.models import User

BATCH = 2000
AGREEMENT_STATUS_WORDS = {
    "draft": FrameworkAgreement.Status.DRAFT,
    "brouillon": FrameworkAgreement.Status.DRAFT,
    "signed": FrameworkAgreement.Status.SIGNED,
    "signe": FrameworkAgreement.Status.SIGNED,
    "rolling_out": FrameworkAgreement.Status.ROLLING_OUT,
    "rolling out": FrameworkAgreement.Status.ROLLING_OUT,
    "en deploiement": FrameworkAgreement.Status.ROLLING_OUT,
    "en cours": FrameworkAgreement.Status.ROLLING_OUT,
    "completed": FrameworkAgreement.Status.COMPLETED,
    "deploye": FrameworkAgreement.Status.COMPLETED,
    "termine": FrameworkAgreement.Status.COMPLETED,
    "ended": FrameworkAgreement.Status.ENDED,
    "echu": FrameworkAgreement.Status.ENDED,
    "expire": FrameworkAgreement.Status.ENDED,
    "resilie": FrameworkAgreement.Status.ENDED,
}
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d")


def parse_date(text: str) -> dt.date | None:
    """A date as a French spreadsheet writes it (31/12/2026), or ISO (an XLSX date cell reads as
    2026-12-31T00:00:00). Raises ValueError when the text is no date."""
    text = text.strip()
    if not text:
        return None
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass(frozen=True)
class AgreementRow:
    external_id: str
    name: str
    kam_id: int
    group_id: int
    starts_on: dt.date
    ends_on: dt.date | None
    rollout_due_on: dt.date | None
    status: str
    description: str


class AgreementImporter(Importer[AgreementRow]):
    columns = (
        Column("external_id", aliases=("crm id", "id crm", "id accord", "identifiant", "référence", "reference")),
        Column("name", aliases=("nom", "intitulé", "intitule", "accord", "libellé")),
        Column("kam_email", aliases=("kam", "responsable grand compte", "e-mail du kam", "grand compte")),
        Column("group_external_id", aliases=("groupe", "id groupe", "code client du groupe", "enseigne")),
        Column("starts_on", aliases=("début", "debut", "date de début", "date de signature", "start")),
        Column("ends_on", required=False, aliases=("fin", "date de fin", "end")),
        Column("rollout_due_on", required=False, aliases=("échéance", "echeance", "déploiement attendu le", "due")),
        Column("status", required=False, aliases=("statut",)),
        Column("description", required=False, aliases=("commentaire", "objet")),
    )

    def prepare(self, table: Table) -> None:
        self.first_lines: dict[str, int] = {}
        groups = {self.cell(row, "group_external_id") for _l, row in table.rows}
        self.groups = dict(Account.objects.filter(external_id__in=groups).values_list("external_id", "id"))
        emails = {self.cell(row, "kam_email").lower() for _l, row in table.rows}
        self.people = {
            person.email.lower(): person
            for person in User.objects.filter(email__in=emails).select_related("role").only(
                "id", "email", "is_active", "is_superuser", "role__capabilities"
            )
        }

    def _date(self, row: dict[str, str], column: str, problems: list[tuple[str, str]]) -> dt.date | None:
        text = self.cell(row, column)
        try:
            return parse_date(text)
        except ValueError:
            problems.append((column, _("“%(value)s” is not a date (31/12/2026).") % {"value": text}))
            return None

    def check_row(self, line: int, row: dict[str, str]) -> AgreementRow:
        problems: list[tuple[str, str]] = []
        external_id = self.cell(row, "external_id")
        if not external_id:
            problems.append(("external_id", _("The CRM id is missing.")))
        else:
            first = self.first_lines.setdefault(external_id, line)
            if first != line:
                problems.append(
                    ("external_id", _("The CRM id %(id)s is already on line %(other)s.") % {"id": external_id, "other": first})
                )
        name = self.cell(row, "name")
        if not name:
            problems.append(("name", _("The name is missing.")))
        email = self.cell(row, "kam_email").lower()
        kam = self.people.get(email)
        if not email:
            problems.append(("kam_email", _("The key-account manager is missing.")))
        elif kam is None:
            problems.append(("kam_email", _("Unknown key-account manager %(email)s.") % {"email": email}))
        elif not kam.is_active:
            problems.append(("kam_email", _("%(email)s is no longer active.") % {"email": email}))
        elif not (kam.is_superuser or Cap.OWN_AGREEMENTS.value in kam.capabilities):
            problems.append(("kam_email", _("%(email)s may not own framework agreements.") % {"email": email}))
        group_ref = self.cell(row, "group_external_id")
        group_id = self.groups.get(group_ref)
        if group_id is None:
            problems.append(("group_external_id", _("Unknown group %(id)s.") % {"id": group_ref}))
        starts_on = self._date(row, "starts_on", problems)
        if starts_on is None and not any(c == "starts_on" for c, _m in problems):
            problems.append(("starts_on", _("The start date is missing.")))
        ends_on = self._date(row, "ends_on", problems)
        due_on = self._date(row, "rollout_due_on", problems)
        if starts_on and ends_on and ends_on < starts_on:
            problems.append(("ends_on", _("The agreement cannot end before it starts.")))
        if starts_on and due_on and due_on < starts_on:
            problems.append(("rollout_due_on", _("The roll-out cannot be due before the agreement starts.")))
        status_text = fold(self.cell(row, "status")).replace("-", " ").replace("_", " ")
        status = AGREEMENT_STATUS_WORDS.get(status_text) or AGREEMENT_STATUS_WORDS.get(status_text.replace(" ", "_"))
        if not status_text:
            status = FrameworkAgreement.Status.SIGNED
        elif not status:
            problems.append(("status", _("Unknown agreement status “%(value)s”.") % {"value": self.cell(row, "status")}))
        if problems:
            raise RowInvalid(*problems)
        assert kam is not None and group_id is not None and starts_on is not None and status is not None
        return AgreementRow(
            external_id=external_id,
            name=name[:200],
            kam_id=kam.pk,
            group_id=group_id,
            starts_on=starts_on,
            ends_on=ends_on,
            rollout_due_on=due_on,
            status=status,
            description=self.cell(row, "description"),
        )

    def apply(self, rows: list[tuple[int, AgreementRow]], report: ImportReport, progress: ProgressCallback) -> None:
        fields = ["name", "kam_id", "group_id", "starts_on", "ends_on", "rollout_due_on", "status", "description"]
        existing = {
            a.external_id: a for a in FrameworkAgreement.objects.filter(external_id__in=[r.external_id for _l, r in rows])
        }
        to_create: list[FrameworkAgreement] = []
        to_update: list[FrameworkAgreement] = []
        for done, (_line, row) in enumerate(rows, start=1):
            values = {f: getattr(row, f) for f in fields}
            agreement = existing.get(row.external_id)
            if agreement is None:
                to_create.append(FrameworkAgreement(external_id=row.external_id, **values))
            elif any(getattr(agreement, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(agreement, key, value)
                to_update.append(agreement)
            if done % 1000 == 0:
                progress(done, len(rows))
        FrameworkAgreement.objects.bulk_create(to_create, batch_size=BATCH)
        FrameworkAgreement.objects.bulk_update(to_update, fields, batch_size=BATCH)
        report.created, report.updated = len(to_create), len(to_update)
        report.unchanged = len(rows) - report.created - report.updated


AGREEMENT_COLUMNS = (
    "external_id",
    "name",
    "kam_email",
    "group_external_id",
    "starts_on",
    "ends_on",
    "rollout_due_on",
    "status",
    "description",
)
