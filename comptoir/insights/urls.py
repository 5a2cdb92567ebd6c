from django.urls import path

from comptoir.insights import views, views_digest

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("participation/", views.participation, name="participation"),
    path("attention/", views.attention_page, name="attention"),
    path("practices/", views.practices_page, name="practices"),
    path("recommendations/", views.recommendations_page, name="recommendations"),
    path("digest/", views_digest.settings_page, name="digest_settings"),
    path("digest/unsubscribe/<str:token>/", views_digest.unsubscribe, name="digest_unsubscribe"),
]
