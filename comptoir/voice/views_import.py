"""Importing responses collected elsewhere (or journey events) from a page, with a preview.

Upload → preview (each column and what it is read as, the first rows, every bad row with its line)
→ import. The file waits between the two steps in the shared cache under a random key bound to
the person who uploaded it; the import itself is the product's import job (progress page, report,
rejected rows), so the page, the API and the `import_data` command store exactly the same rows.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.core.importjobs import ImportKind, import_job_create, import_kinds
from comptoir.core.permissions import has_cap
from comptoir.core.typing import AuthedRequest
from comptoir.voice.forms import ImportForm
from comptoir.voice.import_preview import VOICE_KINDS, import_preview

PENDING_SECONDS = 3600
SHOWN_ERRORS = 200


def _kinds(user: Any) -> dict[str, ImportKind]:
    known = import_kinds()
    kinds = {
        code: known[code] for code in VOICE_KINDS if code in known and has_cap(user, known[code].capability)
    }
    if not kinds:
        raise PermissionDenied
    return kinds


def _cache_key(user: Any, key: str) -> str:
    return f"voice-import:{user.pk}:{key}"


def upload(request: AuthedRequest) -> HttpResponse:
    kinds = _kinds(request.user)
    choices = [(code, kind.label) for code, kind in kinds.items()]
    form = ImportForm(request.POST or None, request.FILES or None, kinds=choices)
    if request.method == "POST" and form.is_valid():
        kind = kinds[form.cleaned_data["kind"]]
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        preview = import_preview(kind, data, upload_file.name)
        if not preview.readable:
            form.add_error(
                "file",
                preview.file_error
                or _("Missing column(s): %(columns)s.") % {"columns": ", ".join(preview.missing)},
            )
            return render(
                request, "voice/import.html", {"form": form, "preview": preview, "kind": kind}, status=400
            )
        key = secrets.token_urlsafe(24)
        cache.set(
            _cache_key(request.user, key),
            {"kind": kind.code, "data": data, "filename": upload_file.name},
            PENDING_SECONDS,
        )
        context = {
            "kind": kind,
            "preview": preview,
            "errors": preview.errors[:SHOWN_ERRORS],
            "more_errors": max(0, len(preview.errors) - SHOWN_ERRORS),
            "key": key,
            "partial": form.cleaned_data["partial"],
            "filename": upload_file.name,
        }
        return render(request, "voice/import_preview.html", context)
    return render(request, "voice/import.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    kinds = _kinds(request.user)
    key = request.POST.get("key", "")[:64]
    pending = cache.get(_cache_key(request.user, key)) if key else None
    # One preview, one import: of two clicks on "Import", only the one that deletes the file goes on.
    if not pending or pending.get("kind") not in kinds or not cache.delete(_cache_key(request.user, key)):
        messages.error(request, _("This preview has expired or was already imported: upload the file again."))
        return redirect("voice:import")
    job = import_job_create(
        kind=kinds[pending["kind"]],
        user=request.user,
        data=pending["data"],
        filename=pending["filename"],
        options={"partial": request.POST.get("partial") == "1"},
    )
    return redirect("core:import_job", pk=job.pk)
