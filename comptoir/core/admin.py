from django.contrib import admin

from comptoir.core.models import ImportJob, PracticeTopic


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ["kind", "filename", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    exclude = ["data"]
    readonly_fields = ["kind", "filename", "options", "status", "done", "total", "report", "rejected_rows_csv", "created_by", "finished_at"]


@admin.register(PracticeTopic)
class PracticeTopicAdmin(admin.ModelAdmin[PracticeTopic]):
    list_display = ["name", "name_en", "slug", "active", "order"]
    list_editable = ["active", "order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_en"]
