from django.urls import path

from comptoir.org import views

app_name = "org"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.my_profile, name="me"),
    path("<int:pk>/", views.profile, name="profile"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/options/", views.team_options, name="team_options"),
]
