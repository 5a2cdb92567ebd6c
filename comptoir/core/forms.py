from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.core.importjobs import ImportKind, check_upload_size


class DateInput(forms.DateInput):
    """A native date picker. It only understands ISO dates, whatever the interface language,
    so the value is always rendered as YYYY-MM-DD (the French format would leave it empty)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
        check_upload_size(upload.size)  # its ValidationError becomes the field's error
        return upload
