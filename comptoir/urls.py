from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from django.views.static import serve

from comptoir.core import views as core_views
from comptoir.org import views as org_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", org_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        login_not_required(auth_views.PasswordResetDoneView.as_view(template_name="org/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        login_not_required(
            auth_views.PasswordResetConfirmView.as_view(template_name="org/password_reset_confirm.html")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(template_name="org/password_reset_complete.html")
        ),
        name="password_reset_complete",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("health/", org_views.health, name="health"),
    path("people/", include("comptoir.org.urls")),
    path("notifications/", include("comptoir.notifications.urls")),
    path("imports/", include("comptoir.core.urls")),
    path("customers/", include("comptoir.customers.urls")),
    path("feed/", include("comptoir.feed.urls")),
    path("quizzes/", include("comptoir.learning.urls")),
    path("voice/", include("comptoir.voice.urls")),
    path("actions/", include("comptoir.actions.urls")),
    path("projects/", include("comptoir.projects.urls")),
    path("insights/", include("comptoir.insights.urls")),
    path("api/", include("comptoir.api.urls")),
    path("admin/", admin.site.urls),
    # Uploaded pictures are served by the application (behind login) so a closed-network install
    # needs no other server; a large site puts them behind its web server or object storage.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
