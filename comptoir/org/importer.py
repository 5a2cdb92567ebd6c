"""The people import: an HR export (CSV or XLSX) in, the organisation's people out."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.core import clock
from comptoir.core.importjobs import ImportKind
from comptoir.core.imports import Column, Importer, ImportReport, ProgressCallback, RowError, RowInvalid
from comptoir.core.signals import announce_reporting_lines_changed
from comptoir.core.tables import Table
from comptoir.core.text import fold
from comptoir.org.models import OrgUnit, Region, Role, Team, User
from comptoir.org.services import creates_cycle

TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "vrai", "actif", "active", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "faux", "inactif", "inactive"}


@dataclass(frozen=True)
class PersonRow:
    email: str
    first_name: str
    last_name: str
    role_id: int
    unit_id: int | None
    region_id: int | None
    team_id: int | None
    manager_email: str
    active: bool


def _lookup[T: (Role, OrgUnit, Region)](items: list[T]) -> dict[str, T]:
    table: dict[str, T] = {}
    for item in items:
        for key in (item.code, item.name, item.name_en):
            if key:
                table[fold(key)] = item
    return table


class PeopleImporter(Importer[PersonRow]):
    columns = (
        Column("email", aliases=("e-mail", "mail", "courriel", "adresse e-mail")),
        Column("first_name", aliases=("prénom", "prenom", "first name")),
        Column("last_name", aliases=("nom", "last name", "nom de famille")),
        Column("role", aliases=("rôle", "fonction")),
        Column("unit", required=False, aliases=("unité", "business unit", "bu", "département")),
        Column("region", required=False, aliases=("région",)),
        Column("team", required=False, aliases=("équipe", "equipe")),
        Column("manager_email", required=False, aliases=("manager", "e-mail du manager", "email manager", "responsable")),
        Column("active", required=False, aliases=("actif", "statut")),
    )

    def __init__(self, *, sync: bool = False) -> None:
        self.sync = sync

    def prepare(self, table: Table) -> None:
        self.roles = _lookup(list(Role.objects.all()))
        self.units = _lookup(list(OrgUnit.objects.all()))
        self.regions = _lookup(list(Region.objects.all()))
        self.teams = {fold(t.name): t for t in Team.objects.all()}
        self.existing = {
            email: (pk, manager_id)
            for email, pk, manager_id in User.objects.values_list("email", "id", "manager_id")
        }
        self.email_of = {pk: email for email, (pk, _m) in self.existing.items()}

    def _ref(self, row: dict[str, str], column: str, table: dict[str, object], message: Any) -> int | None:
        value = self.cell(row, column)
        if not value:
            return None
        found = table.get(fold(value))
        if found is None:
            raise RowInvalid((column, str(message) % {"value": value}))
        return found.pk  # type: ignore[attr-defined, no-any-return]

    def check_row(self, line: int, row: dict[str, str]) -> PersonRow:
        problems: list[tuple[str, str]] = []
        email = self.cell(row, "email").lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(("email", _("“%(value)s” is not a valid e-mail address.") % {"value": email}))
        first_name, last_name = self.cell(row, "first_name"), self.cell(row, "last_name")
        if not first_name:
            problems.append(("first_name", _("The first name is missing.")))
        if not last_name:
            problems.append(("last_name", _("The last name is missing.")))
        refs: dict[str, int | None] = {}
        for column, table, message in (
            # Lazy: the message is translated only for a row that needs it.
            ("role", self.roles, gettext_lazy("Unknown role “%(value)s”.")),
            ("unit", self.units, gettext_lazy("Unknown unit “%(value)s”.")),
            ("region", self.regions, gettext_lazy("Unknown region “%(value)s”.")),
            ("team", self.teams, gettext_lazy("Unknown team “%(value)s”.")),
        ):
            try:
                refs[column] = self._ref(row, column, table, message)  # type: ignore[arg-type]
            except RowInvalid as invalid:
                problems.extend(invalid.errors)
        if not self.cell(row, "role") and not any(c == "role" for c, _m in problems):
            problems.append(("role", _("The role is missing.")))
        active_text = fold(self.cell(row, "active"))
        if active_text and active_text not in TRUE_WORDS | FALSE_WORDS:
            problems.append(("active", _("“%(value)s” is not yes or no.") % {"value": self.cell(row, "active")}))
        manager_email = self.cell(row, "manager_email").lower()
        if manager_email and manager_email == email:
            problems.append(("manager_email", _("A person cannot be their own manager.")))
        if problems:
            raise RowInvalid(*problems)
        return PersonRow(
            email=email,
            first_name=first_name,
            last_name=last_name,
            role_id=refs["role"] or 0,
            unit_id=refs["unit"],
            region_id=refs["region"],
            team_id=refs["team"],
            manager_email=manager_email,
            active=active_text not in FALSE_WORDS,
        )

    def check_together(self, rows: list[tuple[int, PersonRow]]) -> list[RowError]:
        errors: list[RowError] = []
        first_line: dict[str, int] = {}
        for line, person in rows:
            if person.email in first_line:
                errors.append(
                    RowError(
                        line,
                        _("The e-mail %(email)s is already on line %(other)s.")
                        % {"email": person.email, "other": first_line[person.email]},
                        "email",
                    )
                )
            else:
                first_line[person.email] = line
        in_file = {person.email for _line, person in rows}
        known = in_file | set(self.existing)
        # The reporting line as it will be after the import: the database's, overridden by the file.
        manager_of: dict[str, str | None] = {
            email: self.email_of.get(manager_id) if manager_id else None
            for email, (_pk, manager_id) in self.existing.items()
        }
        for _line, person in rows:
            manager_of[person.email] = person.manager_email or None
        for line, person in rows:
            if person.manager_email and person.manager_email not in known:
                errors.append(
                    RowError(line, _("Unknown manager %(email)s.") % {"email": person.manager_email}, "manager_email")
                )
            elif person.manager_email and creates_cycle(person.email, person.manager_email, manager_of):  # type: ignore[arg-type]
                errors.append(
                    RowError(line, _("The reporting line loops back to %(email)s.") % {"email": person.email}, "manager_email")
                )
        return errors

    # Each chunk of people is committed on its own, so that the progress the uploader watches is
    # that of rows really written; the whole file was checked before the first chunk. A worker
    # that dies between two chunks leaves a job that, run again, writes what is missing (the
    # import is keyed on the e-mail, so the rows already written are "unchanged" the second time).
    commits_in_chunks = True

    def apply(self, rows: list[tuple[int, PersonRow]], report: ImportReport, progress: ProgressCallback) -> None:
        size = max(settings.IMPORT_CHUNK_ROWS, 1)
        steps = 2 * len(rows)  # first the people, then their managers
        now = clock.now()
        touched: set[int] = set()
        for start in range(0, len(rows), size):
            with transaction.atomic():
                touched |= self._write_people(rows[start : start + size], report, now)
            progress(start + len(rows[start : start + size]), steps)
        # Managers are set in a second pass: a manager may be created by this very file.
        manager_changes = self._manager_changes(rows, report, touched)
        # Everyone who gets the same manager side by side, so that a chunk keeps each group whole and
        # `write_changes` still writes one UPDATE per manager, not one per manager and chunk.
        items = sorted(manager_changes.items(), key=lambda item: (item[1]["manager_id"] or 0, item[0]))
        for start in range(0, len(items), size):
            with transaction.atomic():
                chunk = dict(items[start : start + size])
                write_changes(chunk)
                announce_reporting_lines_changed(list(chunk), clock.now())
            progress(len(rows) + len(rows) * min(start + size, len(items)) // len(items), steps)
        progress(steps, steps)
        report.unchanged = len(rows) - report.created - report.updated
        if self.sync:
            report.deactivated = (
                User.objects.filter(is_active=True, is_superuser=False)
                .exclude(email__in=[p.email for _l, p in rows])
                .update(is_active=False, deactivated_at=now)
            )

    def _write_people(self, rows: list[tuple[int, PersonRow]], report: ImportReport, now: Any) -> set[int]:
        """Create and update one chunk of people; returns the ids written."""
        fields = ["first_name", "last_name", "role_id", "unit_id", "region_id", "team_id", "is_active"]
        # Only the compared and written columns: 15,000 people without their password hashes and photos.
        existing = User.objects.filter(email__in=[p.email for _l, p in rows]).only(
            "id", "email", "job_title", "search_text", "deactivated_at", *fields
        )
        by_email = {u.email: u for u in existing}
        to_create: list[User] = []
        changes: dict[int, dict[str, Any]] = {}
        for _line, person in rows:
            values = {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "role_id": person.role_id,
                "unit_id": person.unit_id,
                "region_id": person.region_id,
                "team_id": person.team_id,
                "is_active": person.active,
            }
            user = by_email.get(person.email)
            if user is None:
                user = User(email=person.email, **values)
                # What set_unusable_password() stores, with one call to the system's random source
                # instead of forty (it is a quarter of the CPU of a first import of 10,000 people).
                user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
                user.search_text = user.compute_search_text()
                to_create.append(user)
            else:
                changed = {k: v for k, v in values.items() if getattr(user, k) != v}
                if changed:
                    for key, value in changed.items():
                        setattr(user, key, value)
                    if not person.active and user.deactivated_at is None:
                        changed["deactivated_at"] = now
                    elif person.active and user.deactivated_at is not None:
                        changed["deactivated_at"] = None  # back in the file, back in the company
                    if user.compute_search_text() != user.search_text:
                        changed["search_text"] = user.compute_search_text()
                    changes[user.pk] = changed
        User.objects.bulk_create(to_create, batch_size=1000)
        write_changes(changes)
        report.created += len(to_create)
        report.updated += len(changes)
        return set(changes) | {u.pk for u in to_create}

    def _manager_changes(
        self, rows: list[tuple[int, PersonRow]], report: ImportReport, touched: set[int]
    ) -> dict[int, dict[str, Any]]:
        emails = [p.email for _l, p in rows]
        managers = [p.manager_email for _l, p in rows if p.manager_email]
        ids = dict(User.objects.filter(email__in=emails + managers).values_list("email", "id"))
        current = dict(User.objects.filter(email__in=emails).values_list("email", "manager_id"))
        manager_changes: dict[int, dict[str, Any]] = {}
        for _line, person in rows:
            wanted = ids.get(person.manager_email) if person.manager_email else None
            if current.get(person.email) != wanted:
                person_id = ids[person.email]
                manager_changes[person_id] = {"manager_id": wanted}
                if person_id not in touched:
                    report.updated += 1
                    touched.add(person_id)
        return manager_changes


def write_changes(changes: dict[int, dict[str, Any]], *, group_from: int = 2) -> None:
    """Write each person's changed columns, in few statements whatever the size of the file.

    People who get the same change (500 who leave, the dozen reps of each of 700 managers) are
    written by one `UPDATE ... WHERE id IN (...)` per distinct change, so the number of statements
    follows the organisation's shape (its managers, units, teams), not its head count; the
    one-off changes (a new surname) by a `bulk_update` on the columns that changed. A plain `bulk_update` of every column builds one
    CASE branch per person and column, which costs seconds of CPU for a few thousand people.
    """
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    for person_id, changed in changes.items():
        groups[tuple(sorted(changed.items()))].append(person_id)
    singles: dict[tuple[str, ...], list[User]] = defaultdict(list)
    for key, person_ids in groups.items():
        if len(person_ids) >= group_from:
            for start in range(0, len(person_ids), 5000):
                User.objects.filter(pk__in=person_ids[start : start + 5000]).update(**dict(key))
        else:
            columns = tuple(name for name, _value in key)
            singles[columns] += [User(pk=person_id, **dict(key)) for person_id in person_ids]
    for columns, people in singles.items():
        User.objects.bulk_update(people, list(columns), batch_size=500)


def _make(options: dict[str, object]) -> PeopleImporter:
    return PeopleImporter(sync=bool(options.get("sync")))


KINDS = [
    ImportKind(
        code="people",
        label=gettext_lazy("People (HR export)"),
        make=_make,
        options=(("sync", gettext_lazy("Deactivate the people absent from the file (--sync)")),),
        template_columns=("email", "first_name", "last_name", "role", "unit", "region", "team", "manager_email", "active"),
    )
]
