from django.contrib import admin

from comptoir.projects.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "started_on", "ended_on")
    list_filter = ("status",)
    raw_id_fields = ("created_by", "facilitator")
