"""Admin of the customer's voice: journey steps and the settings are data an admin maintains.

Surveys and their extra questions have their own pages (voice:surveys) for customer relations;
the admin is for one-off corrections. Responses are read-only here and deleted through the
service, so the roll-ups stay exact (a plain ORM delete would leave them counting the answer).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from comptoir.voice import services
from comptoir.voice.models import (
    Campaign,
    Invitation,
    JourneyEvent,
    JourneyStep,
    Response,
    Survey,
    SurveyQuestion,
    VoiceSettings,
)


@admin.register(JourneyStep)
class JourneyStepAdmin(admin.ModelAdmin[JourneyStep]):
    list_display = ("code", "name", "name_en", "rank", "is_active")
    list_editable = ("rank", "is_active")
    search_fields = ("code", "name", "name_en")


@admin.register(VoiceSettings)
class VoiceSettingsAdmin(admin.ModelAdmin[VoiceSettings]):
    list_display = (
        "throttle_days",
        "reminder_after_days",
        "invitation_valid_days",
        "min_responses",
        "anonymous_max_per_day",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not VoiceSettings.objects.exists()  # one row

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SurveyQuestionInline(admin.TabularInline[SurveyQuestion, Survey]):
    model = SurveyQuestion
    extra = 0
    fields = ("rank", "kind", "text", "text_en", "choices", "required")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ("name", "kind", "step", "status", "created_at")
    list_filter = ("status", "kind", "step")
    search_fields = ("name", "title")
    inlines = [SurveyQuestionInline]
    readonly_fields = ("created_by",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ("name", "survey", "invited", "skipped", "created_at")
    readonly_fields = ("survey", "invited", "skipped", "created_by")


@admin.register(JourneyEvent)
class JourneyEventAdmin(admin.ModelAdmin[JourneyEvent]):
    list_display = ("account", "step", "occurred_on", "external_ref", "invitations")
    raw_id_fields = ("account",)
    list_filter = ("step",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("survey", "contact", "status", "created_at", "sent_at", "reminded_at", "answered_at")
    list_filter = ("status", "survey")
    raw_id_fields = ("contact", "account", "campaign", "event")
    # The token is the customer's credential: never shown, never editable.
    exclude = ("token",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations come from the services (consent and throttling)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ("answered_at", "account", "step", "nps", "ces", "source")
    list_filter = ("source", "step")
    raw_id_fields = ("account", "contact", "invitation", "owner", "agreement")
    exclude = ("edit_key", "client_hash")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # answers are the customer's words; corrections come from their own page

    def delete_model(self, request: HttpRequest, obj: Response) -> None:
        services.response_delete(by=request.user, response=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Response]) -> None:
        for response in queryset:
            services.response_delete(by=request.user, response=response)  # type: ignore[arg-type]
