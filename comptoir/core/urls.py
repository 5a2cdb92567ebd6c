from django.urls import path

from comptoir.core import views_imports

app_name = "core"

urlpatterns = [
    path("new/<slug:kind>/", views_imports.upload, name="import_upload"),
    path("<int:pk>/", views_imports.job, name="import_job"),
    path("<int:pk>/rejected.csv", views_imports.rejected_rows, name="import_rejected"),
]
