from django.urls import path

from comptoir.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.new, name="new"),
    path("metrics/", views.metrics, name="metrics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
