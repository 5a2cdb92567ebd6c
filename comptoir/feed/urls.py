from django.urls import URLPattern, URLResolver

app_name = "feed"

urlpatterns: list[URLPattern | URLResolver] = []
