"""Uploaded pictures: checked from their content, bounded, re-encoded without metadata.

Re-encoding drops everything the camera wrote (EXIF, GPS position, comments) and anything a crafted
file could carry beyond the pixels; the type is read from the bytes, never from the file name.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


class ImageRejected(ValueError):
    pass


@dataclass(frozen=True)
class ProcessedImage:
    full: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    width: int
    height: int


def _encode(image: Image.Image, max_side: int) -> tuple[ContentFile[bytes], int, int]:
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue()), copy.width, copy.height


def process_image(
    data: bytes, *, max_side: int = 1600, thumb_side: int = 320, max_bytes: int = MAX_UPLOAD_BYTES
) -> ProcessedImage:
    if not data:
        raise ImageRejected(_("The picture is empty."))
    if len(data) > max_bytes:
        raise ImageRejected(
            _("The picture is too large (%(size)s MB; the limit is %(limit)s MB).")
            % {"size": round(len(data) / 1_048_576, 1), "limit": max_bytes // 1_048_576}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRejected(_("Only JPEG, PNG, WebP and GIF pictures are accepted."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected(
                    _("The picture has too many pixels (%(w)s × %(h)s).") % {"w": probe.width, "h": probe.height}
                )
            probe.verify()
            image: Image.Image = Image.open(io.BytesIO(data))
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(_("The picture has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(_("The file is not a picture, or it is damaged or truncated.")) from exc
    image = ImageOps.exif_transpose(image) or image
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")
    full, width, height = _encode(image, max_side)
    thumbnail, _w, _h = _encode(image, thumb_side)
    return ProcessedImage(full=full, thumbnail=thumbnail, width=width, height=height)
