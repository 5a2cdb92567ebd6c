from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether the request comes from htmx and wants a partial, not a whole page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
