"""Pictures for the demo's posts, drawn from code: varied, deterministic, fast, no file to ship.

Each picture is a small scene of the trade (a counter with cups, a point-of-sale display, a breakfast
table, a machine with its stickers, a tasting, a shop front, a results board), in its own palette,
with a caption naming a place and what was done. The same seed always draws the same picture, so
the demo is reproducible; a few milliseconds each, so the demo can afford hundreds of them.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from comptoir.core.text import strip_accents

WIDTH, HEIGHT = 800, 600
THUMB = (320, 240)
Color = tuple[int, int, int]
Draw = ImageDraw.ImageDraw

# Palettes of the trade: coffee browns, café greens, hotel blues, bakery creams, brand reds.
PALETTES: list[tuple[Color, Color, Color, Color]] = [
    ((233, 221, 200), (111, 78, 55), (60, 40, 30), (214, 69, 65)),
    ((210, 228, 214), (46, 94, 78), (24, 48, 40), (242, 183, 5)),
    ((214, 226, 240), (40, 70, 120), (22, 34, 60), (230, 126, 34)),
    ((248, 236, 214), (176, 120, 60), (90, 58, 30), (46, 134, 171)),
    ((236, 214, 214), (150, 40, 50), (70, 20, 28), (250, 220, 120)),
    ((225, 225, 225), (80, 80, 88), (30, 30, 36), (0, 150, 136)),
    ((240, 228, 246), (106, 76, 147), (50, 36, 72), (255, 170, 90)),
    ((222, 236, 206), (98, 130, 52), (50, 66, 26), (200, 60, 90)),
]
PLACES = [
    "Hôtel des Terreaux", "Brasserie du Port", "Café de la Place", "Boulangerie Saint-Jean", "Mutuelle du Nord",
    "Cabinet Lenoir", "Épicerie Delmas", "Le Comptoir étoilé", "Hôtel de la Gare", "Torréfaction Albert",
    "Coworking Quai Ouest", "Cave Vigneronne", "Cafétéria Technopole", "Bar de la Plage", "Fournil & Co",
    "Traiteur Lemaire", "Salon de thé Rose", "Bistrot des Halles", "Résidence Belvédère", "Restaurant Le Cèdre",
]  # fmt: skip
SUBJECTS = [
    "Démo petit-déjeuner", "Présentoir en caisse", "Stickers mousseur", "Dégustation à l'aveugle",
    "Essai de la machine", "Formation nettoyage", "Tasses sérigraphiées", "Fiche recette", "Gamme bio",
    "Nouvelle machine", "Mise en avant", "Signature du contrat",
]  # fmt: skip


@dataclass(frozen=True)
class DemoPicture:
    full: bytes
    thumbnail: bytes
    width: int
    height: int


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: no font file to find on the machine, the same look everywhere.
    return ImageFont.load_default(size=size)


def _backdrop(rng: random.Random, wall: Color, floor: Color) -> Image.Image:
    """A wall lit from one side and a floor (or counter top) below the horizon."""
    dark = tuple(max(0, c - 45) for c in wall)
    image = Image.new("RGB", (WIDTH, HEIGHT), wall)
    draw = ImageDraw.Draw(image)
    # The light as bands of plain colour: a tenth of the cost of a smooth gradient, the same look.
    bands, vertical, reverse = 40, rng.random() < 0.5, rng.random() < 0.5
    for band in range(bands):
        t = band / (bands - 1)
        t = 1 - t if reverse else t
        color = tuple(round(d + (w - d) * t) for d, w in zip(dark, wall, strict=True))
        if vertical:
            box = (0, band * HEIGHT // bands, WIDTH, (band + 1) * HEIGHT // bands)
        else:
            box = (band * WIDTH // bands, 0, (band + 1) * WIDTH // bands, HEIGHT)
        draw.rectangle(box, fill=color)  # type: ignore[arg-type]
    horizon = rng.randrange(HEIGHT * 55 // 100, HEIGHT * 72 // 100)
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=floor)
    return image


def _cup(draw: Draw, x: int, y: int, size: int, cup: Color, coffee: Color) -> None:
    draw.ellipse((x - size // 2 - 10, y + size - 8, x + size // 2 + 10, y + size + 10), fill=(245, 245, 245))
    draw.rounded_rectangle((x - size // 2, y, x + size // 2, y + size), radius=size // 5, fill=cup)
    draw.ellipse((x - size // 2, y - size // 8, x + size // 2, y + size // 8), fill=coffee)
    draw.arc(
        (x + size // 2 - 8, y + size // 5, x + size // 2 + size // 3, y + size * 3 // 5),
        -90,
        90,
        fill=cup,
        width=6,
    )


def _machine(draw: Draw, x: int, y: int, body: Color, accent: Color) -> None:
    draw.rounded_rectangle((x, y, x + 170, y + 230), radius=18, fill=body)
    draw.rectangle((x + 25, y + 25, x + 145, y + 80), fill=(30, 30, 30))
    draw.rectangle((x + 35, y + 35, x + 100, y + 50), fill=accent)
    draw.rectangle((x + 60, y + 120, x + 110, y + 140), fill=(60, 60, 60))
    draw.rectangle((x + 40, y + 200, x + 130, y + 215), fill=(90, 90, 90))
    for i in range(3):
        draw.ellipse((x + 30 + i * 40, y + 90, x + 50 + i * 40, y + 110), fill=accent)


def _counter(draw: Draw, rng: random.Random, p: tuple[Color, Color, Color, Color]) -> None:
    _machine(draw, rng.randrange(40, 300), rng.randrange(150, 230), p[2], p[3])
    for _cup_n in range(rng.randrange(2, 6)):
        _cup(
            draw,
            rng.randrange(420, 760),
            rng.randrange(330, 420),
            rng.randrange(40, 70),
            (250, 250, 250),
            p[1],
        )


def _display(draw: Draw, rng: random.Random, p: tuple[Color, Color, Color, Color]) -> None:
    x = rng.randrange(180, 420)
    draw.polygon([(x, 120), (x + 220, 120), (x + 250, 470), (x - 30, 470)], fill=p[1])
    draw.rectangle((x + 20, 140, x + 200, 200), fill=p[3])
    for shelf in range(3):
        y = 240 + shelf * 75
        draw.rectangle((x - 10, y + 50, x + 230, y + 58), fill=p[2])
        for box in range(rng.randrange(3, 7)):
            bx = x + box * 36
            color = rng.choice([p[3], (250, 250, 250), p[0]])
            draw.rectangle((bx, y + 50 - rng.randrange(25, 48), bx + 28, y + 50), fill=color, outline=p[2])


def _breakfast(draw: Draw, rng: random.Random, p: tuple[Color, Color, Color, Color]) -> None:
    draw.ellipse((90, 300, 710, 560), fill=(250, 248, 240), outline=p[1], width=6)
    for _item in range(rng.randrange(4, 8)):
        x, y = rng.randrange(160, 620), rng.randrange(340, 480)
        if rng.random() < 0.5:
            _cup(draw, x, y - 30, rng.randrange(36, 56), p[3], p[2])
        else:  # a croissant, roughly
            draw.chord(
                (x - 40, y - 20, x + 40, y + 30),
                180,
                360,
                fill=(214, 160, 80),
                outline=(160, 100, 40),
                width=3,
            )


def _stickers(draw: Draw, rng: random.Random, p: tuple[Color, Color, Color, Color]) -> None:
    x = rng.randrange(200, 360)
    _machine(draw, x, 140, p[2], p[3])
    for _sticker in range(rng.randrange(2, 5)):
        sx, sy = x + rng.randrange(-40, 150), 140 + rng.randrange(60, 200)
        draw.rounded_rectangle((sx, sy, sx + 70, sy + 45), radius=8, fill=rng.choice([p[3], (255, 240, 120)]))
        draw.line((sx + 10, sy + 15, sx + 60, sy + 15), fill=p[2], width=4)
        draw.line((sx + 10, sy + 28, sx + 45, sy + 28), fill=p[2], width=4)


def _tasting(draw: Draw, rng: random.Random, p: tuple[Color, Color, Color, Color]) -> None:
    rows = rng.randrange(2, 4)
    for row in range(rows):
        for col in range(rng.randrange(4, 7)):
            _cup(
                draw, 140 + col * 100 + row * 30, 300 + row * 80, 42, (250, 250, 250), p[1 + (col + row) % 2]
            )
    draw.rounded_rectangle((560, 120, 760, 260), radius=12, fill=(250, 250, 250), outline=p[2], width=4)
    for line in range(4):
        draw.line((580, 150 + line * 28, 740 - rng.randrange(0, 60), 150 + line * 28), fill=p[1], width=6)


def _storefront(draw: Draw, rng: random.Random, p: tuple[Color, Color, Color, Color]) -> None:
    draw.rectangle((60, 80, 740, 470), fill=p[2])
    draw.rectangle((60, 80, 740, 160), fill=p[3])
    for pane in range(3):
        x = 90 + pane * 215
        draw.rectangle((x, 190, x + 190, 440), fill=(200, 225, 240))
        draw.line((x, 440, x + 190, 190), fill=(235, 245, 250), width=8)
    stripes = rng.randrange(6, 12)
    for s in range(stripes):
        x = 60 + s * 680 // stripes
        draw.polygon(
            [(x, 160), (x + 680 // stripes, 160), (x + 680 // stripes - 10, 200), (x - 10, 200)],
            fill=p[3] if s % 2 else (250, 250, 250),
        )


def _results(draw: Draw, rng: random.Random, p: tuple[Color, Color, Color, Color]) -> None:
    draw.rectangle((90, 90, 710, 470), fill=(252, 252, 250), outline=p[2], width=6)
    bars = rng.randrange(4, 8)
    level = rng.randrange(60, 120)
    for b in range(bars):
        level = min(330, level + rng.randrange(-10, 60))
        x = 130 + b * 540 // bars
        draw.rectangle((x, 440 - level, x + 540 // bars - 24, 440), fill=p[3] if b == bars - 1 else p[1])
    draw.line((120, 440, 690, 440), fill=p[2], width=4)


SCENES: list[Callable[[Draw, random.Random, tuple[Color, Color, Color, Color]], None]] = [
    _counter, _display, _breakfast, _stickers, _tasting, _storefront, _results,
]  # fmt: skip


def _caption(draw: Draw, rng: random.Random, palette: tuple[Color, Color, Color, Color]) -> None:
    # Pillow's bundled font has no accented letters: the caption is written without accents rather
    # than with holes, and no font has to be found on the machine.
    place, subject = strip_accents(rng.choice(PLACES)), strip_accents(rng.choice(SUBJECTS))
    draw.rectangle((0, HEIGHT - 86, WIDTH, HEIGHT), fill=palette[2])
    draw.text((24, HEIGHT - 78), subject, fill=(255, 255, 255), font=_font(34))
    draw.text((24, HEIGHT - 36), place, fill=palette[0], font=_font(22))


def picture(seed: int) -> DemoPicture:
    """The demo picture number `seed`: a scene, a palette and a caption drawn from the seed."""
    rng = random.Random(seed)
    palette = rng.choice(PALETTES)
    image = _backdrop(rng, palette[0], palette[1] if rng.random() < 0.5 else palette[0])
    draw = ImageDraw.Draw(image)
    rng.choice(SCENES)(draw, rng, palette)
    _caption(draw, rng, palette)
    full = io.BytesIO()
    image.save(full, format="JPEG", quality=78)
    # A box reduction by an integer factor first: a clean thumbnail at a fraction of LANCZOS's cost.
    thumb = io.BytesIO()
    image.reduce(WIDTH // THUMB[0]).resize(THUMB).save(thumb, format="JPEG", quality=75)
    return DemoPicture(full.getvalue(), thumb.getvalue(), WIDTH, HEIGHT)
