from django.contrib import admin

from comptoir.actions.models import Action, ActionKind, ClosedLoopSettings


@admin.register(ActionKind)
class ActionKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "rank", "active")


@admin.register(ClosedLoopSettings)
class ClosedLoopSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "escalation_delay_days",
        "propose_for_passives",
        "propose_for_high_effort",
        "default_due_days",
    )


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "assignee", "due_on", "created_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("author", "assignee", "account", "team")
    search_fields = ("title",)
