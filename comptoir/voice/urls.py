from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt

from comptoir.voice import views, views_import, views_public, views_steps, views_surveys

app_name = "voice"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public, no login: the personal link, the survey-wide link, the unsubscribe link. One-click
    # unsubscribe (RFC 8058) is POSTed by mail clients without a CSRF token; the token is the secret.
    path("s/<str:token>/", views_public.answer, name="answer"),
    path("s/<str:token>/unsubscribe/", csrf_exempt(views_public.unsubscribe), name="unsubscribe"),
    path("a/<str:token>/", views_public.anonymous, name="anonymous"),
    # The love score (customer relations, HQ, directors).
    path("", views.dashboard, name="dashboard"),
    path("breakdown/<str:dimension>/", views.breakdown, name="breakdown"),
    path("agreements/", views.agreements, name="agreements"),
    path("priorities/", views.priorities, name="priorities"),
    path("effort/", views.effort, name="effort"),
    path("accounts/", views.accounts, name="accounts"),
    # Comments: everyone, on the accounts they may see.
    path("verbatims/", views.verbatims, name="verbatims"),
    # Surveys (customer relations).
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/settings/", views_surveys.voice_settings, name="settings"),
    # Journey steps (customer relations).
    path("steps/", views_steps.steps, name="steps"),
    path("steps/<int:pk>/", views_steps.step_save, name="step"),
    path("steps/<int:pk>/move/", views_steps.step_move, name="step_move"),
    path("steps/<int:pk>/active/", views_steps.step_active, name="step_active"),
    path("steps/<int:pk>/delete/", views_steps.step_delete, name="step_delete"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/status/", views.survey_status, name="survey_status"),
    path("surveys/<int:pk>/campaign/", views.survey_campaign, name="survey_campaign"),
    path("surveys/<int:pk>/edit/", views_surveys.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/preview/", views_surveys.survey_preview, name="survey_preview"),
    path("surveys/<int:pk>/questions/", views_surveys.questions, name="questions"),
    path("surveys/<int:pk>/questions/<int:question_pk>/", views_surveys.question_save, name="question"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        views_surveys.question_delete,
        name="question_delete",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/move/",
        views_surveys.question_move,
        name="question_move",
    ),
    # Responses collected elsewhere and journey events: upload, preview, import.
    path("import/", views_import.upload, name="import"),
    path("import/confirm/", views_import.confirm, name="import_confirm"),
]
