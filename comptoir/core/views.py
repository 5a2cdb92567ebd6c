from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comptoir.core.navigation import home_sections


def home(request: HttpRequest) -> HttpResponse:
    """Each person's home: the sections the apps contribute for them (actions, agreements, feed...)."""
    return render(request, "core/home.html", {"sections": home_sections(request)})
