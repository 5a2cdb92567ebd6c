"""Imports in the API: a file is queued on the task worker, and its progress and report are read back.

`POST /api/imports/{kind}` takes any import kind an app declares (people, accounts, ...);
`GET /api/imports/{id}` is what an integration polls until `finished` is true. An app that offers
its own URL for an import (`/api/org/people/import`) calls `import_job_from_api` so that every
import through the API behaves the same: 202 with the job, never a long request.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from comptoir.api.errors import ApiError
from comptoir.core.importjobs import ImportKind, import_job_create, import_job_for, import_kinds
from comptoir.core.models import ImportJob
from comptoir.core.permissions import has_cap

PREFIX = "imports"
router = Router(tags=["imports"])

TRUE_WORDS = {"1", "true", "on", "yes"}


class ImportErrorOut(Schema):
    line: int
    column: str
    message: str


class ImportReportOut(Schema):
    applied: bool
    total_rows: int
    created: int
    updated: int
    unchanged: int
    deactivated: int
    file_error: str
    errors: list[ImportErrorOut]
    conflicts: list[ImportErrorOut] = []


class ImportJobOut(Schema):
    id: int
    kind: str
    filename: str
    status: str
    finished: bool
    done: int
    total: int
    percent: int
    options: dict[str, bool]
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    report: ImportReportOut | None
    rejected_rows_url: str | None
    url: str

    @staticmethod
    def resolve_report(obj: ImportJob) -> dict[str, Any] | None:
        return obj.report if obj.finished and obj.report else None

    @staticmethod
    def resolve_rejected_rows_url(obj: ImportJob) -> str | None:
        return reverse("api:import_rejected_rows", args=[obj.pk]) if obj.rejected_rows_csv else None

    @staticmethod
    def resolve_url(obj: ImportJob) -> str:
        return reverse("api:import_job", args=[obj.pk])


def import_job_from_api(
    request: HttpRequest, kind: ImportKind, upload: UploadedFile, *, partial: bool, options: dict[str, bool]
) -> Status[ImportJob]:
    """Queue `upload` for `kind` on behalf of the caller; answer 202 with the job to poll."""
    if not has_cap(request.user, kind.capability):
        raise ApiError(403, "forbidden", "You may not run this import.")
    data = upload.read()
    try:
        job = import_job_create(
            kind=kind,
            user=request.user,
            data=data,
            filename=upload.name or "upload.csv",
            options={**options, "partial": partial},
        )
    except ValidationError as exc:
        status = 413 if exc.code == "file_too_large" else 422
        raise ApiError(status, str(exc.code), " ".join(exc.messages), [{"field": "file", "message": m} for m in exc.messages]) from exc
    # The job row was just written; read it back so that an import the immediate backend already
    # ran (tests, a single-process install) reports its real state.
    return Status(202, ImportJob.objects.defer("data").get(pk=job.pk))


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in TRUE_WORDS


@router.get("/{int:job_id}", response=ImportJobOut, url_name="import_job")
def get_import(request: HttpRequest, job_id: int) -> ImportJob:
    """Where an import stands: `status`, `percent`, then its `report` once `finished`."""
    return import_job_for(request.user, job_id)


@router.get("/{int:job_id}/rejected.csv", url_name="import_rejected_rows")
def get_rejected_rows(request: HttpRequest, job_id: int) -> HttpResponse:
    """The rows a partial import left out, with their line and reason, as CSV."""
    job = import_job_for(request.user, job_id)
    if not job.rejected_rows_csv:
        raise ApiError(404, "not_found", "This import rejected no rows.")
    response = HttpResponse(job.rejected_rows_csv.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{job.pk}.csv"'
    return response


# Declared after the job's own URLs: `/{slug:kind}` would also match a job's number.
@router.post("/{slug:kind}", response={202: ImportJobOut}, url_name="import_create")
def create_import(request: HttpRequest, kind: str, file: File[UploadedFile]) -> Status[ImportJob]:
    """Queue a file for import. Form fields: `partial`, and the kind's own options (`sync` for people)."""
    import_kind = import_kinds().get(kind)
    if import_kind is None:
        raise ApiError(404, "not_found", f"No import of kind {kind!r}: choose from {', '.join(sorted(import_kinds()))}.")
    options = {name: _flag(request.POST.get(name, "")) for name, _label in import_kind.options}
    return import_job_from_api(request, import_kind, file, partial=_flag(request.POST.get("partial", "")), options=options)
