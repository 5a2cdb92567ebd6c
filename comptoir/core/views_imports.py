from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from comptoir.core.forms import ImportUploadForm
from comptoir.core.htmx import is_htmx
from comptoir.core.importjobs import ImportKind, import_job_create, import_job_for, import_kinds
from comptoir.core.permissions import has_cap
from comptoir.core.typing import AuthedRequest


def _kind_for(request: AuthedRequest, code: str) -> ImportKind:
    kind = import_kinds().get(code)
    if kind is None:
        raise Http404
    if not has_cap(request.user, kind.capability):
        raise PermissionDenied
    return kind


def upload(request: AuthedRequest, kind: str) -> HttpResponse:
    import_kind = _kind_for(request, kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None, kind=import_kind)
    if request.method == "POST" and form.is_valid():
        options = {name: form.cleaned_data.get(name, False) for name, _label in import_kind.options}
        options["partial"] = form.cleaned_data["partial"]
        upload_file = form.cleaned_data["file"]
        job = import_job_create(
            kind=import_kind, user=request.user, data=upload_file.read(), filename=upload_file.name, options=options
        )
        return redirect("core:import_job", pk=job.pk)
    return render(
        request, "core/import_upload.html", {"form": form, "kind": import_kind}, status=400 if form.errors else 200
    )


def job(request: AuthedRequest, pk: int) -> HttpResponse:
    import_job = import_job_for(request.user, pk)
    template = "core/_import_progress.html" if is_htmx(request) else "core/import_job.html"
    return render(request, template, {"job": import_job})


def rejected_rows(request: AuthedRequest, pk: int) -> HttpResponse:
    import_job = import_job_for(request.user, pk)
    if not import_job.rejected_rows_csv:
        raise Http404
    response = HttpResponse(import_job.rejected_rows_csv.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{import_job.pk}.csv"'
    return response
