"""The demo shop's product photos, drawn with Pillow when the demo is created.

Nothing is bundled: each garment is drawn from its name (colour word + kind) as a soft studio
shot in 3:4, the shape a phone takes, so the 九宫格 crop choice has something to show.
Drawn at twice the size and scaled down, so edges are smooth.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from sqlalchemy import Connection, insert, select

from moments_desk.core.pictures.media import StoredImage, store_image
from moments_desk.db.models import MediaFile, ProductImage

Point = tuple[float, float]
RGB = tuple[int, int, int]
#: the stored size (3:4 portrait, like a phone photo) and the drawing scale
WIDTH, HEIGHT, SCALE = 600, 800, 2

COLOURS: dict[str, RGB] = {
    "奶白色": (240, 233, 218),
    "燕麦色": (214, 196, 168),
    "雾霾蓝": (138, 160, 182),
    "焦糖色": (176, 112, 62),
    "黑色": (48, 46, 48),
    "酒红色": (122, 36, 52),
    "浅杏色": (232, 206, 176),
    "墨绿色": (46, 84, 66),
    "香芋紫": (176, 158, 196),
    "米咖色": (190, 164, 134),
    "藏青色": (40, 52, 86),
    "豆沙粉": (206, 150, 150),
    "燕灰色": (160, 158, 156),
    "奶茶色": (196, 164, 132),
    "牛油果绿": (160, 176, 98),
}
BACKDROPS: tuple[RGB, ...] = ((246, 242, 236), (238, 236, 232), (242, 236, 230), (234, 238, 236))


def colour_of(name: str) -> RGB:
    return next((rgb for word, rgb in COLOURS.items() if name.startswith(word)), (200, 190, 180))


def _shade(rgb: RGB, factor: float) -> RGB:
    return (
        max(0, min(255, int(rgb[0] * factor))),
        max(0, min(255, int(rgb[1] * factor))),
        max(0, min(255, int(rgb[2] * factor))),
    )


def _line_colour(rgb: RGB) -> RGB:
    # Seams a little darker on light cloth, a little lighter on dark cloth.
    return _shade(rgb, 0.78) if sum(rgb) > 240 else _shade(rgb, 1.6)


class _Canvas:
    """Shapes go into a mask drawn at twice the size (smooth once halved); seams likewise."""

    def __init__(self, backdrop: RGB) -> None:
        self.backdrop = backdrop
        self.w, self.h = WIDTH * SCALE, HEIGHT * SCALE
        self.mask = Image.new("L", (self.w, self.h), 0)
        self.seams = Image.new("L", (self.w, self.h), 0)

    def p(self, x: float, y: float) -> Point:
        return (x * self.w, y * self.h)

    def poly(self, points: list[Point]) -> None:
        ImageDraw.Draw(self.mask).polygon([self.p(x, y) for x, y in points], fill=255)

    def ellipse(self, box: tuple[float, float, float, float], fill: int = 255) -> None:
        x0, y0 = self.p(box[0], box[1])
        x1, y1 = self.p(box[2], box[3])
        ImageDraw.Draw(self.mask).ellipse((x0, y0, x1, y1), fill=fill)

    def rect(
        self, box: tuple[float, float, float, float], radius: float = 0, fill: int = 255
    ) -> None:
        x0, y0 = self.p(box[0], box[1])
        x1, y1 = self.p(box[2], box[3])
        ImageDraw.Draw(self.mask).rounded_rectangle(
            (x0, y0, x1, y1), radius=radius * self.w, fill=fill
        )

    def line(self, points: list[Point], width: float = 0.004) -> None:
        scaled = [self.p(x, y) for x, y in points]
        ImageDraw.Draw(self.seams).line(scaled, fill=255, width=max(2, int(width * self.w)))

    def dot(self, x: float, y: float, r: float = 0.008) -> None:
        cx, cy = self.p(x, y)
        radius = r * self.w
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        ImageDraw.Draw(self.seams).ellipse(box, fill=255)

    def finish(self, cloth: RGB) -> Image.Image:
        size = (WIDTH, HEIGHT)
        image = Image.new("RGB", size, self.backdrop)
        floor = (0, int(HEIGHT * 0.8), WIDTH, HEIGHT)
        ImageDraw.Draw(image).rectangle(floor, fill=_shade(self.backdrop, 0.94))
        mask = self.mask.reduce(SCALE)
        # Smooth things (the shadow, the light) are worked out at a quarter of the size.
        small = (WIDTH // 4, HEIGHT // 4)
        shadow = mask.reduce(4)
        shadow = shadow.filter(ImageFilter.GaussianBlur(small[0] * 0.02))
        moved = Image.new("L", small, 0)
        moved.paste(shadow, (int(small[0] * 0.012) + 1, int(small[0] * 0.018) + 1))
        moved = moved.point(lambda v: int(v * 0.55)).resize(size, Image.Resampling.BILINEAR)
        image.paste(_shade(self.backdrop, 0.82), (0, 0, *size), moved)
        # The cloth lit from the upper left, then its seams and buttons.
        image.paste(_lit(cloth), (0, 0), mask)
        image.paste(_line_colour(cloth), (0, 0, *size), self.seams.reduce(SCALE))
        return image


_LIGHTS: dict[tuple[int, int], Image.Image] = {}
_LIT: dict[RGB, Image.Image] = {}


def _lit(cloth: RGB) -> Image.Image:
    """Cloth of this colour lit from the upper left (cached: the demo repeats colours)."""
    if cloth not in _LIT:
        small = (WIDTH // 4, HEIGHT // 4)
        _LIT[cloth] = Image.composite(
            Image.new("RGB", small, _shade(cloth, 1.1)),
            Image.new("RGB", small, _shade(cloth, 0.86)),
            _light(small),
        ).resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    return _LIT[cloth]


def _light(size: tuple[int, int]) -> Image.Image:
    """A diagonal gradient, bright at the top left (cached: every picture has the same)."""
    if size not in _LIGHTS:
        gradient = Image.linear_gradient("L").rotate(45).resize(size)
        _LIGHTS[size] = gradient.point(lambda v: 255 - v)
    return _LIGHTS[size]


def _dress(c: _Canvas, kind: str) -> None:
    c.poly([(0.4, 0.2), (0.6, 0.2), (0.63, 0.42), (0.78, 0.78), (0.22, 0.78), (0.37, 0.42)])
    if "吊带" in kind:
        c.line([(0.41, 0.2), (0.43, 0.12)], 0.006)
        c.line([(0.59, 0.2), (0.57, 0.12)], 0.006)
    else:
        c.poly([(0.4, 0.2), (0.3, 0.24), (0.27, 0.33), (0.36, 0.34), (0.39, 0.27)])
        c.poly([(0.6, 0.2), (0.7, 0.24), (0.73, 0.33), (0.64, 0.34), (0.61, 0.27)])
        c.ellipse((0.45, 0.17, 0.55, 0.23), 0)
    c.line([(0.37, 0.42), (0.63, 0.42)])
    if "衬衫" in kind:
        for y in (0.25, 0.3, 0.35):
            c.dot(0.5, y)


def _top(c: _Canvas, kind: str) -> None:
    c.poly([(0.38, 0.2), (0.62, 0.2), (0.68, 0.26), (0.68, 0.66), (0.32, 0.66), (0.32, 0.26)])
    if "背心" not in kind:
        c.poly([(0.38, 0.2), (0.25, 0.27), (0.17, 0.6), (0.24, 0.62), (0.32, 0.36)])
        c.poly([(0.62, 0.2), (0.75, 0.27), (0.83, 0.6), (0.76, 0.62), (0.68, 0.36)])
        c.line([(0.17, 0.575), (0.24, 0.595)], 0.006)
        c.line([(0.83, 0.575), (0.76, 0.595)], 0.006)
    c.ellipse((0.44, 0.17, 0.56, 0.24), 0)
    c.line([(0.32, 0.62), (0.68, 0.62)], 0.005)
    if "开衫" in kind:
        c.line([(0.5, 0.24), (0.5, 0.66)])
        for y in (0.3, 0.38, 0.46, 0.54):
            c.dot(0.515, y, 0.007)


def _coat(c: _Canvas, kind: str) -> None:
    short = "短款" in kind or "夹克" in kind
    bottom = 0.6 if short else 0.8
    c.poly([(0.38, 0.16), (0.62, 0.16), (0.7, 0.23), (0.72, bottom), (0.28, bottom), (0.3, 0.23)])
    c.poly([(0.38, 0.16), (0.24, 0.24), (0.16, 0.62), (0.24, 0.64), (0.31, 0.34)])
    c.poly([(0.62, 0.16), (0.76, 0.24), (0.84, 0.62), (0.76, 0.64), (0.69, 0.34)])
    c.line([(0.5, 0.3), (0.5, bottom)])
    c.line([(0.42, 0.16), (0.5, 0.32), (0.58, 0.16)], 0.006)
    if "羽绒" in kind:
        for y in (0.26, 0.34, 0.42, 0.5):
            c.line([(0.3, y), (0.7, y)], 0.003)
    else:
        for y in (0.38, 0.46) if short else (0.4, 0.5, 0.6):
            c.dot(0.53, y, 0.009)


def _skirt(c: _Canvas, kind: str) -> None:
    if "鱼尾" in kind:
        c.poly([(0.38, 0.22), (0.62, 0.22), (0.64, 0.6), (0.74, 0.8), (0.26, 0.8), (0.36, 0.6)])
    else:
        c.poly([(0.38, 0.22), (0.62, 0.22), (0.76, 0.74), (0.24, 0.74)])
    c.rect((0.375, 0.2, 0.625, 0.245), 0.01)
    if "百褶" in kind:
        for n in range(1, 8):
            top = 0.38 + n * 0.03
            c.line([(top, 0.25), (0.24 + n * 0.065, 0.74)], 0.003)


def _trousers(c: _Canvas, kind: str) -> None:
    wide = 0.05 if "阔腿" in kind else 0.0
    c.poly([(0.36, 0.16), (0.64, 0.16), (0.67 + wide, 0.8), (0.53, 0.8), (0.5, 0.36)])
    c.poly([(0.36, 0.16), (0.5, 0.36), (0.47, 0.8), (0.33 - wide, 0.8)])
    c.rect((0.355, 0.14, 0.645, 0.185), 0.008)
    c.line([(0.5, 0.19), (0.5, 0.34)], 0.003)


def _accessory(c: _Canvas, kind: str) -> None:
    if "围巾" in kind:
        c.rect((0.3, 0.18, 0.46, 0.78), 0.03)
        c.rect((0.44, 0.2, 0.7, 0.36), 0.03)
        for n in range(8):
            c.line([(0.31 + n * 0.02, 0.78), (0.31 + n * 0.02, 0.81)], 0.003)
    elif "耳环" in kind:
        for x in (0.38, 0.62):
            c.ellipse((x - 0.07, 0.4, x + 0.07, 0.5))
            c.line([(x, 0.32), (x, 0.4)], 0.004)
    elif "帽" in kind:
        c.ellipse((0.22, 0.36, 0.78, 0.62))
        c.ellipse((0.47, 0.32, 0.53, 0.38))
    elif "腰带" in kind:
        c.rect((0.14, 0.46, 0.86, 0.54), 0.02)
        c.line([(0.58, 0.44), (0.68, 0.44), (0.68, 0.56), (0.58, 0.56), (0.58, 0.44)], 0.006)
    else:  # 发箍
        c.ellipse((0.26, 0.3, 0.74, 0.7))
        c.ellipse((0.3, 0.34, 0.7, 0.74), 0)
        c.rect((0.2, 0.52, 0.8, 0.8), fill=0)


def _bag(c: _Canvas, kind: str) -> None:
    if "腋下" in kind:
        c.rect((0.22, 0.4, 0.78, 0.64), 0.12)
        c.line([(0.3, 0.42), (0.5, 0.2), (0.7, 0.42)], 0.01)
    elif "链条" in kind:
        c.rect((0.26, 0.42, 0.74, 0.7), 0.03)
        c.line([(0.26, 0.5), (0.74, 0.5)], 0.004)
        for n in range(9):
            c.dot(0.3 + n * 0.05, 0.38 - 0.12 * (1 - ((n - 4) / 4) ** 2), 0.01)
    else:  # 托特包, 帆布包
        c.poly([(0.24, 0.38), (0.76, 0.38), (0.72, 0.76), (0.28, 0.76)])
        c.line([(0.36, 0.38), (0.4, 0.2), (0.6, 0.2), (0.64, 0.38)], 0.012)


SHAPES: dict[str, Callable[[_Canvas, str], None]] = {
    "连衣裙": _dress,
    "针织衫": _top,
    "外套": _coat,
    "半身裙": _skirt,
    "裤装": _trousers,
    "配饰": _accessory,
    "包包": _bag,
}


def product_picture(name: str, category: str, variant: int = 0) -> Image.Image:
    """The garment named ``name`` (colour word first), as a 3:4 studio photo.

    Variant 0 is the cover; variant 1 the same piece on another backdrop, a little closer.
    """
    canvas = _Canvas(BACKDROPS[(variant + len(name)) % len(BACKDROPS)])
    SHAPES.get(category, _top)(canvas, name)
    picture = canvas.finish(colour_of(name))
    if variant % 2 == 1:
        # Closer: the middle of the piece fills the frame, as a detail shot would.
        box = (int(WIDTH * 0.12), int(HEIGHT * 0.1), int(WIDTH * 0.88), int(HEIGHT * 0.86))
        picture = picture.crop(box).resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    return picture


def lifestyle_picture(index: int) -> Image.Image:
    """Still lifes for the lifestyle posts: a cup, flowers in a vase, a stack of books."""
    rng = random.Random(index)
    backdrop = BACKDROPS[index % len(BACKDROPS)]
    canvas = _Canvas(backdrop)
    kind = index % 3
    if kind == 0:  # a cup of coffee on its saucer
        canvas.ellipse((0.22, 0.6, 0.78, 0.72))
        canvas.rect((0.32, 0.38, 0.68, 0.66), 0.06)
        canvas.ellipse((0.64, 0.44, 0.76, 0.56))
        canvas.ellipse((0.67, 0.47, 0.73, 0.53), 0)
        colour: RGB = (236, 228, 214)
    elif kind == 1:  # a vase of flowers
        canvas.rect((0.42, 0.5, 0.58, 0.78), 0.04)
        for n in range(5):
            x = 0.3 + n * 0.1 + rng.uniform(-0.02, 0.02)
            y = 0.22 + rng.uniform(0, 0.1)
            canvas.ellipse((x - 0.06, y - 0.05, x + 0.06, y + 0.05))
            canvas.line([(x, y + 0.05), (0.5, 0.52)], 0.004)
        colour = (214, 150, 150)
    else:  # books
        for n in range(3):
            top = 0.5 + n * 0.09
            canvas.rect((0.22 + n * 0.03, top, 0.76 - n * 0.02, top + 0.08), 0.01)
        colour = (150, 170, 160)
    return canvas.finish(colour)


def store_drawn(picture: Image.Image, name: str, folder: Path, media_root: Path) -> StoredImage:
    """Save a drawn picture as a JPEG and put it in the media store like any photo."""
    path = folder / name
    picture.save(path, "JPEG", quality=88)
    return store_image(path, media_root)


@dataclass(frozen=True)
class DemoPictures:
    #: product id → media ids, cover first
    products: dict[int, list[int]]
    #: the lifestyle still lifes' media ids
    lifestyle: list[int]


def add_demo_pictures(
    conn: Connection,
    media_root: Path,
    products: Sequence[tuple[int, str, str]],
    tick: Callable[[], None],
) -> DemoPictures:
    """Draw every product (id, name, category) and a few still lifes; rows go in ``conn``.

    Every third product also gets a closer second picture. Files land in the media store
    first; if the demo is cancelled they stay unused there, like any unlinked picture.
    """
    media: list[dict[str, object]] = []
    by_product: dict[int, list[str]] = {}
    lifestyle: list[str] = []
    with tempfile.TemporaryDirectory(prefix="md-demo-") as scratch:
        folder = Path(scratch)
        for count, (product_id, name, category) in enumerate(products):
            variants = (0, 1) if product_id % 3 == 0 else (0,)
            for variant in variants:
                stored = store_drawn(
                    product_picture(name, category, variant),
                    f"{product_id}-{variant + 1}.jpg",
                    folder,
                    media_root,
                )
                media.append(_row(stored))
                by_product.setdefault(product_id, []).append(stored.sha256)
            if count % 20 == 19:
                tick()
        for index in range(3):
            stored = store_drawn(lifestyle_picture(index), f"life-{index}.jpg", folder, media_root)
            media.append(_row(stored))
            lifestyle.append(stored.sha256)
    unique = list({str(row["sha256"]): row for row in media}.values())
    conn.execute(insert(MediaFile), unique)
    ids: dict[str, int] = {
        sha: i for sha, i in conn.execute(select(MediaFile.sha256, MediaFile.id))
    }
    conn.execute(
        insert(ProductImage),
        [
            {"product_id": product_id, "media_id": ids[sha], "position": position}
            for product_id, hashes in by_product.items()
            for position, sha in enumerate(hashes)
        ],
    )
    return DemoPictures(
        {p: [ids[sha] for sha in hashes] for p, hashes in by_product.items()},
        [ids[sha] for sha in lifestyle],
    )


def _row(stored: StoredImage) -> dict[str, object]:
    return {
        "sha256": stored.sha256,
        "rel_path": stored.rel_path,
        "original_name": stored.original_name,
        "width": stored.width,
        "height": stored.height,
        "format": stored.format,
        "size_bytes": stored.size_bytes,
    }
