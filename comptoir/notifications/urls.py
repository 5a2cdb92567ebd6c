from django.urls import path

from comptoir.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("count/", views.unread_badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
]
