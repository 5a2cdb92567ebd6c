"""Small helpers for feed tests: pictures made in memory, posts with sensible defaults."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from comptoir.core.models import PracticeTopic
from comptoir.feed import services
from comptoir.feed.models import Post
from comptoir.org.models import User


def jpeg_bytes(
    width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 120, 40), exif: bool = False
) -> bytes:
    image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}  # GPS info
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def topic(name: str = "Démonstration petit-déjeuner", slug: str = "demo-petit-dejeuner") -> PracticeTopic:
    found, _created = PracticeTopic.objects.get_or_create(slug=slug, defaults={"name": name})
    return found


def post(author: User, body: str = "Une démonstration petit-déjeuner chez un client", **extra: Any) -> Post:
    extra.setdefault("kind", Post.Kind.PRACTICE)
    return services.post_create(author=author, body=body, **extra)
