"""Imports of the customer's voice: responses collected elsewhere, and journey events.

Responses: the export of a common survey tool, one column per question, either with one header row
or with three (column ids, question texts, import metadata) and an `…_NPS_GROUP` column beside the
score. Columns are recognised from their id and question text, case- and accent-insensitively;
`mapping_preview` shows what each column will be read as before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from comptoir.core.importjobs import ImportKind
from comptoir.core.imports import Column, Importer, ImportReport, ProgressCallback, RowError, RowInvalid
from comptoir.core.permissions import Cap
from comptoir.core.tables import Table
from comptoir.core.text import fold, header_key
from comptoir.customers.models import Account, Contact
from comptoir.voice.models import (
    CES_MAX,
    CES_MIN,
    COMMENT_MAX_LENGTH,
    NPS_MAX,
    NPS_MIN,
    JourneyStep,
    Response,
)
from comptoir.voice.services import OwnerHistory, agreements_of, responses_bulk_create

# field -> words that identify its column (in the id or the question text, folded).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "external_id": ("response_id", "responseid", "id_reponse", "respondent_id"),
    "date": ("date", "enddate", "end_date", "recorded", "submitted", "answered", "repondu"),
    "account": ("account", "compte", "crm", "client_id", "code_client", "customer_id"),
    "email": ("email", "e_mail", "courriel", "mail"),
    "nps": ("nps", "recommend", "recommand", "recommanderiez"),
    "ces": ("ces", "effort", "easy", "facile", "facilite"),
    "comment": (
        "comment",
        "verbatim",
        "remarque",
        "pourquoi",
        "why",
        "reason",
        "raison",
        "improve",
        "ameliorer",
    ),
    "step": ("step", "etape", "touchpoint", "parcours"),
}
# Checked in this order: a "why did you give this score" text mentions recommending, so comment
# questions must win over NPS when the column is free text; CES is checked before NPS because
# "effort" questions never mention recommending, and NPS group columns are ignored.
ORDER = ("external_id", "nps_group", "date", "email", "account", "ces", "comment", "nps", "step")


def _classify(column_id: str, text: str) -> str | None:
    key = header_key(column_id)
    words = f"{key} {header_key(text)}"
    if key.endswith("nps_group") or "nps_group" in words:
        return "nps_group"
    for name in ORDER:
        if name == "nps_group":
            continue
        for word in FIELD_WORDS[name]:
            if word in words:
                return name
    return None


def mapping_of(table: Table) -> dict[str, str]:
    """field -> header key, from the column ids and (three-row exports) the question texts."""
    texts = table.extra_header_rows[0] if table.extra_header_rows else []
    found: dict[str, str] = {}
    for index, raw in enumerate(table.raw_headers):
        text = texts[index] if index < len(texts) else ""
        field = _classify(raw, text)
        if field and field != "nps_group" and field not in found:
            found[field] = table.headers[index]
    return found


def mapping_preview(table: Table) -> list[dict[str, str]]:
    """Each column of the file and what it will be read as ("ignored" when not recognised)."""
    texts = table.extra_header_rows[0] if table.extra_header_rows else []
    chosen = {v: k for k, v in mapping_of(table).items()}
    return [
        {
            "column": raw,
            "question": texts[i] if i < len(texts) else "",
            "read_as": chosen.get(table.headers[i], "ignored"),
        }
        for i, raw in enumerate(table.raw_headers)
    ]


def _parse_date(value: str) -> dt.datetime:
    value = value.strip()
    for fmt in (
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
    ):
        try:
            parsed = dt.datetime.strptime(value[:19], fmt)
        except ValueError:
            continue
        return timezone.make_aware(parsed)
    raise ValueError(value)


def _int(value: str) -> int:
    number = float(value.replace(",", "."))
    if not number.is_integer():
        raise ValueError(value)
    return int(number)


@dataclass(frozen=True)
class ResponseRow:
    external_id: str
    answered_at: dt.datetime
    account_id: int
    contact_id: int | None
    nps: int | None
    ces: int | None
    comment: str
    step_id: int | None


class ResponsesImporter(Importer[ResponseRow]):
    columns = (Column("nps"), Column("date"))

    def missing_columns(self, table: Table) -> list[str]:
        self.mapping = mapping_of(table)
        missing = [name for name in ("nps", "date") if name not in self.mapping]
        if "account" not in self.mapping and "email" not in self.mapping:
            missing.append("account / email")
        return missing

    def get(self, row: dict[str, str], field: str) -> str:
        key = self.mapping.get(field)
        return row.get(key, "").strip() if key else ""

    def prepare(self, table: Table) -> None:
        emails = {self.get(r, "email").lower() for _l, r in table.rows if self.get(r, "email")}
        refs = {self.get(r, "account") for _l, r in table.rows if self.get(r, "account")}
        self.contacts = {
            fold(email): (pk, account_id)
            for email, pk, account_id in Contact.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .values_list("email", "id", "account_id")
        }
        self.accounts = dict(Account.objects.filter(external_id__in=refs).values_list("external_id", "id"))
        self.steps = {
            fold(k): pk
            for pk, code, name, name_en in JourneyStep.objects.values_list("id", "code", "name", "name_en")
            for k in (code, name, name_en)
            if k
        }
        ids = [self.get(r, "external_id") for _l, r in table.rows if self.get(r, "external_id")]
        self.known = set(Response.objects.filter(external_id__in=ids).values_list("external_id", flat=True))

    def check_row(self, line: int, row: dict[str, str]) -> ResponseRow:
        errors: list[tuple[str, str]] = []
        try:
            answered_at = _parse_date(self.get(row, "date"))
        except ValueError:
            errors.append(("date", _("Not a date (expected 2026-03-31 or 31/03/2026).")))
            answered_at = timezone.now()
        nps: int | None = None
        raw = self.get(row, "nps")
        if raw:
            try:
                nps = _int(raw)
                if not NPS_MIN <= nps <= NPS_MAX:
                    raise ValueError(raw)
            except ValueError:
                errors.append(
                    (
                        "nps",
                        _("The score must be a whole number from %(low)s to %(high)s.")
                        % {"low": NPS_MIN, "high": NPS_MAX},
                    )
                )
        ces: int | None = None
        raw = self.get(row, "ces")
        if raw:
            try:
                ces = _int(raw)
                if not CES_MIN <= ces <= CES_MAX:
                    raise ValueError(raw)
            except ValueError:
                errors.append(
                    (
                        "ces",
                        _("The score must be a whole number from %(low)s to %(high)s.")
                        % {"low": CES_MIN, "high": CES_MAX},
                    )
                )
        if nps is None and ces is None:
            errors.append(("nps", _("The row has neither a recommendation nor an effort score.")))
        comment = self.get(row, "comment")
        if len(comment) > COMMENT_MAX_LENGTH:
            errors.append(
                (
                    "comment",
                    _("The comment is too long (%(n)s characters, at most %(max)s).")
                    % {"n": len(comment), "max": COMMENT_MAX_LENGTH},
                )
            )
        contact_id: int | None = None
        account_id: int | None = None
        ref, email = self.get(row, "account"), self.get(row, "email")
        if ref:
            account_id = self.accounts.get(ref)
            if account_id is None:
                errors.append(("account", _("No account with CRM id %(value)s.") % {"value": ref}))
        if email:
            found = self.contacts.get(fold(email))
            if found:
                contact_id, contact_account = found
                account_id = account_id or contact_account
            elif not ref:
                errors.append(("email", _("No contact with the e-mail %(value)s.") % {"value": email}))
        if account_id is None and not errors:
            errors.append(("account", _("The row names no account.")))
        step_id: int | None = None
        step = self.get(row, "step")
        if step:
            step_id = self.steps.get(fold(step))
            if step_id is None:
                errors.append(("step", _("Unknown journey step %(value)s.") % {"value": step}))
        if errors:
            raise RowInvalid(*errors)
        assert account_id is not None
        return ResponseRow(
            self.get(row, "external_id"), answered_at, account_id, contact_id, nps, ces, comment, step_id
        )

    def check_together(self, rows: list[tuple[int, ResponseRow]]) -> list[RowError]:
        seen: dict[str, int] = {}
        errors = []
        for line, row in rows:
            if row.external_id:
                if row.external_id in seen:
                    errors.append(
                        RowError(
                            line,
                            _("Same response id as line %(line)s.") % {"line": seen[row.external_id]},
                            "external_id",
                        )
                    )
                seen.setdefault(row.external_id, line)
        return errors

    def apply(
        self, rows: list[tuple[int, ResponseRow]], report: ImportReport, progress: ProgressCallback
    ) -> None:
        new = [(line, r) for line, r in rows if not (r.external_id and r.external_id in self.known)]
        report.unchanged = len(rows) - len(new)
        accounts = {
            a.pk: a
            for a in Account.objects.select_related("owner").filter(pk__in={r.account_id for _l, r in new})
        }
        history = OwnerHistory(accounts)
        agreements = agreements_of(accounts)
        objs = []
        for _line, r in new:
            account = accounts[r.account_id]
            owner = history.at(account.pk, r.answered_at) or (
                (account.owner_id, account.owner.team_id) if account.owner else None
            )
            objs.append(
                Response(
                    account=account,
                    contact_id=r.contact_id,
                    owner_id=owner[0] if owner else None,
                    team_id=owner[1] if owner else None,
                    unit_id=account.unit_id,
                    region_id=account.region_id,
                    segment_id=account.segment_id,
                    agreement_id=agreements.get(account.pk),
                    step_id=r.step_id,
                    nps=r.nps,
                    ces=r.ces,
                    comment=r.comment,
                    source=Response.Source.IMPORT,
                    answered_at=r.answered_at,
                    updated_at=r.answered_at,
                    external_id=r.external_id or None,
                )
            )
        responses_bulk_create(objs)
        report.created = len(objs)
        progress(len(rows), len(rows))


@dataclass(frozen=True)
class EventRow:
    account_id: int
    step_id: int
    occurred_on: dt.date
    reference: str


class EventsImporter(Importer[EventRow]):
    columns = (
        Column("account", aliases=("compte", "crm id", "account id", "code client", "client")),
        Column("step", aliases=("étape", "etape", "journey step", "event", "événement")),
        Column("date", aliases=("occurred on", "jour")),
        Column("reference", required=False, aliases=("référence", "ref", "event id")),
    )

    def prepare(self, table: Table) -> None:
        refs = {self.cell(r, "account") for _l, r in table.rows}
        self.accounts = dict(Account.objects.filter(external_id__in=refs).values_list("external_id", "id"))
        self.steps = {
            fold(k): pk
            for pk, code, name, name_en in JourneyStep.objects.values_list("id", "code", "name", "name_en")
            for k in (code, name, name_en)
            if k
        }

    def check_row(self, line: int, row: dict[str, str]) -> EventRow:
        errors: list[tuple[str, str]] = []
        account_id = self.accounts.get(self.cell(row, "account"))
        if account_id is None:
            errors.append(
                ("account", _("No account with CRM id %(value)s.") % {"value": self.cell(row, "account")})
            )
        step_id = self.steps.get(fold(self.cell(row, "step")))
        if step_id is None:
            errors.append(("step", _("Unknown journey step %(value)s.") % {"value": self.cell(row, "step")}))
        try:
            occurred = _parse_date(self.cell(row, "date")).date()
        except ValueError:
            errors.append(("date", _("Not a date (expected 2026-03-31 or 31/03/2026).")))
            occurred = dt.date.today()
        if errors:
            raise RowInvalid(*errors)
        assert account_id is not None and step_id is not None
        return EventRow(account_id, step_id, occurred, self.cell(row, "reference"))

    def apply(
        self, rows: list[tuple[int, EventRow]], report: ImportReport, progress: ProgressCallback
    ) -> None:
        from comptoir.voice.services import journey_event_record

        accounts = Account.objects.in_bulk({r.account_id for _l, r in rows})
        steps = JourneyStep.objects.in_bulk({r.step_id for _l, r in rows})
        for done, (_line, r) in enumerate(rows, start=1):
            _event, result = journey_event_record(
                account=accounts[r.account_id],
                step=steps[r.step_id],
                occurred_on=r.occurred_on,
                external_ref=r.reference,
            )
            if result is None:
                report.unchanged += 1
            else:
                report.created += 1
            if done % 200 == 0:
                progress(done, len(rows))


def _responses(options: dict[str, Any]) -> ResponsesImporter:
    return ResponsesImporter()


def _events(options: dict[str, Any]) -> EventsImporter:
    return EventsImporter()


KINDS = [
    ImportKind(
        code="voice_responses",
        label=_lazy("Survey responses (one header row)"),
        make=_responses,
        capability=Cap.RUN_SURVEYS,
        template_columns=("response_id", "date", "account", "email", "nps", "ces", "comment", "step"),
    ),
    ImportKind(
        code="voice_responses_3rows",
        label=_lazy("Survey tool export (three header rows)"),
        make=_responses,
        capability=Cap.RUN_SURVEYS,
        header_rows=3,
    ),
    ImportKind(
        code="voice_events",
        label=_lazy("Journey events (trigger transactional surveys)"),
        make=_events,
        capability=Cap.RUN_SURVEYS,
        template_columns=("account", "step", "date", "reference"),
    ),
]
