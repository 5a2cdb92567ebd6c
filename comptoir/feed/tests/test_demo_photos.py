"""The demo's pictures: drawn from a seed, the same every time, different from one seed to the next,
and real pictures that the upload checks accept."""

from __future__ import annotations

import hashlib
import io
import random

from django.core.files.storage import default_storage
from PIL import Image

from comptoir.core.images import process_image
from comptoir.feed import demo
from comptoir.feed.demo_photos import THUMB, picture


def test_the_same_seed_draws_the_same_picture() -> None:
    assert picture(7).full == picture(7).full
    assert picture(7).thumbnail == picture(7).thumbnail


def test_forty_seeds_draw_forty_different_pictures_in_several_scenes_and_palettes() -> None:
    pictures = [picture(seed) for seed in range(40)]
    assert len({hashlib.sha256(p.full).hexdigest() for p in pictures}) == 40
    # Different scenes and palettes, not the same picture with noise: the average colours differ.
    means = set()
    for drawn in pictures:
        pixel = Image.open(io.BytesIO(drawn.thumbnail)).resize((1, 1)).getpixel((0, 0))
        assert isinstance(pixel, tuple)
        means.add(tuple(c // 16 for c in pixel))
    assert len(means) >= 12


def test_a_picture_is_a_jpeg_with_its_thumbnail_that_the_upload_checks_accept() -> None:
    drawn = picture(3)
    full = Image.open(io.BytesIO(drawn.full))
    thumb = Image.open(io.BytesIO(drawn.thumbnail))
    assert (full.format, full.size) == ("JPEG", (drawn.width, drawn.height))
    assert (thumb.format, thumb.size) == ("JPEG", THUMB)
    assert process_image(drawn.full).width == drawn.width


def test_the_demo_saves_a_pool_of_distinct_pictures() -> None:
    # The root conftest points MEDIA_ROOT at this test's own directory.
    pool = demo._photos(random.Random(1), 6)
    assert len(pool) == 6
    contents = {default_storage.open(name).read() for name, _thumb, _w, _h in pool}
    assert len(contents) == 6
    assert all(default_storage.exists(thumb) for _name, thumb, _w, _h in pool)
