from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.core.importjobs import ImportKind


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    partial = forms.BooleanField(
        label=_("Import the good rows and give me the bad ones back as a file"), required=False
    )

    def __init__(self, *args: Any, kind: ImportKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in kind.options:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.kind = kind

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        from django.conf import settings

        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s bytes; the limit is %(limit)s bytes)."),
                params={"size": upload.size, "limit": settings.IMPORT_MAX_BYTES},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
