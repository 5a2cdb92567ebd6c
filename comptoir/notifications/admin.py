from django.contrib import admin

from comptoir.notifications.models import KindPreference, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["recipient", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "actor"]


@admin.register(KindPreference)
class KindPreferenceAdmin(admin.ModelAdmin[KindPreference]):
    list_display = ["user", "kind", "email"]
    raw_id_fields = ["user"]
