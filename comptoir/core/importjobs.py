"""Import kinds, and running an uploaded file as a background job with visible progress.

An app offers an import by shipping an `importer.py` with `KINDS: list[ImportKind]`; the upload
page, the progress page, the API helper and the `import_data` command then serve it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from comptoir.core import clock
from comptoir.core.extensions import app_modules
from comptoir.core.imports import Importer, ImportReport, ProgressCallback, run_import
from comptoir.core.models import ImportJob
from comptoir.core.permissions import Cap, has_cap
from comptoir.core.tables import TableFileError, read_table


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: Any
    make: Callable[[dict[str, Any]], Importer[Any]]
    capability: Cap = Cap.IMPORT_DATA
    options: tuple[tuple[str, Any], ...] = ()  # extra boolean options offered (name, label)
    template_columns: tuple[str, ...] = ()
    header_rows: int = 1


def import_kinds() -> dict[str, ImportKind]:
    kinds: dict[str, ImportKind] = {}
    for module in app_modules("importer"):
        for kind in getattr(module, "KINDS", []):
            kinds[kind.code] = kind
    return kinds


def import_file(
    kind: ImportKind,
    data: bytes,
    filename: str,
    *,
    partial: bool = False,
    options: dict[str, Any] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Read and import one file synchronously (the command, the API and the job all come here)."""
    try:
        table = read_table(data, filename, header_rows=kind.header_rows)
    except TableFileError as exc:
        return ImportReport(file_error=str(exc))
    return run_import(kind.make(options or {}), table, partial=partial, progress=progress)


def check_upload_size(size: int) -> None:
    """Refuse at once, before queueing, a file that is empty or larger than the import limit."""
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s bytes; the limit is %(limit)s bytes).")
            % {"size": size, "limit": settings.IMPORT_MAX_BYTES},
            code="file_too_large",
        )


def import_job_for(viewer: Any, pk: int) -> ImportJob:
    """An import job as `viewer` may see it: its uploader's, or any for those who may run its kind.

    Anyone else gets a 404 (not a 403, which would confirm that the job exists). The uploaded file
    itself is not loaded: a page or an API call polling the progress never reads megabytes.
    """
    job = ImportJob.objects.defer("data").filter(pk=pk).first()
    if job is None:
        raise Http404
    kind = import_kinds().get(job.kind)
    if job.created_by_id != viewer.pk and not (kind and has_cap(viewer, kind.capability)):
        raise Http404
    return job


def import_job_create(*, kind: ImportKind, user: Any, data: bytes, filename: str, options: dict[str, Any]) -> ImportJob:
    """Store the upload and queue its import on the task worker once the transaction commits.

    The page and the API both come here, so an upload never runs in the web request: a file of
    15,000 people is checked and written by the worker while the uploader watches the progress.
    """
    from comptoir.core.tasks import run_import_job

    check_upload_size(len(data))
    job = ImportJob.objects.create(kind=kind.code, filename=filename[:255], data=data, options=options, created_by=user)
    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    return job


def import_job_run(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job  # a job re-delivered after a crash is not imported twice
    kind = import_kinds()[job.kind]
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        report = import_file(
            kind,
            bytes(job.data),
            job.filename,
            partial=bool(job.options.get("partial")),
            options=job.options,
            progress=progress,
        )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, finished_at=clock.now())
        raise
    job.report = report.as_dict()
    job.rejected_rows_csv = report.rejected_rows_csv
    job.status = ImportJob.Status.DONE if report.applied else ImportJob.Status.REJECTED
    job.finished_at = clock.now()
    job.done = job.total = max(report.total_rows, 1)
    job.save(update_fields=["report", "rejected_rows_csv", "status", "finished_at", "done", "total"])
    _tell_uploader(job, report)
    return job


def _tell_uploader(job: ImportJob, report: ImportReport) -> None:
    from django.urls import reverse

    from comptoir.notifications.services import notify

    with translation.override(job.created_by.language):
        title = (
            _("Import of %(file)s finished: %(summary)s")
            if report.applied
            else _("Import of %(file)s rejected: %(summary)s")
        ) % {"file": job.filename, "summary": report.summary()}
    with transaction.atomic():
        notify(
            recipient=job.created_by,
            kind="import_finished",
            title=title,
            url=reverse("core:import_job", args=[job.pk]),
        )
