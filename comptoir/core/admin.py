from django.contrib import admin

from comptoir.core.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ["kind", "filename", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    exclude = ["data"]
    readonly_fields = ["kind", "filename", "options", "status", "done", "total", "report", "rejected_rows_csv", "created_by", "finished_at"]
