"""Preparing pictures for a Moments post: size, watermark, price tag, 九宫格 and collages."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

POSITIONS = ("top_left", "top_right", "bottom_left", "bottom_right", "center")
#: Cells per row/column for 1..9 pictures, as a square collage.
_LAYOUTS = {
    1: (1, 1),
    2: (2, 1),
    3: (3, 1),
    4: (2, 2),
    5: (3, 2),
    6: (3, 2),
    7: (3, 3),
    8: (3, 3),
    9: (3, 3),
}

FontT = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class ExportSettings:
    long_side: int = 1080
    jpeg_quality: int = 90
    watermark_text: str = ""
    watermark_position: str = "bottom_right"
    watermark_opacity: float = 0.6
    price_tag: str = ""
    #: When exporting a product's pictures, put its price on them (as price_tag).
    show_price: bool = False

    def __post_init__(self) -> None:
        if self.long_side not in (1080, 2048):
            raise ValueError(
                QT_TRANSLATE_NOOP("ImageExport", "long side must be 1080 or 2048 pixels")
            )
        if self.watermark_position not in POSITIONS:
            raise ValueError(
                QT_TRANSLATE_NOOP(
                    "ImageExport", "unknown watermark position {watermark_position}"
                ).format(watermark_position=self.watermark_position)
            )
        if not 50 <= self.jpeg_quality <= 100:
            raise ValueError(
                QT_TRANSLATE_NOOP("ImageExport", "JPEG quality must be between 50 and 100")
            )


@lru_cache(maxsize=1)
def find_cjk_font() -> Path | None:
    """A font file that draws Simplified Chinese, from the usual places on each system."""
    candidates = [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "C:/Windows/Fonts/msyh.ttc",
        "C:/Windows/Fonts/simhei.ttf",
        "/System/Library/Fonts/PingFang.ttc",
        "/System/Library/Fonts/STHeiti Medium.ttc",
    ]
    if sys.platform.startswith("linux"):
        candidates += sorted(glob.glob("/usr/share/fonts/**/*CJK*SC*.otf", recursive=True))
        candidates += sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK*.ttc", recursive=True))
    return next((Path(c) for c in candidates if Path(c).exists()), None)


@lru_cache(maxsize=32)
def _font(size: int) -> FontT:
    path = find_cjk_font()
    if path is None:
        return ImageFont.load_default(size)
    if path.suffix.lower() == ".ttc":
        # A .ttc holds several faces; pick the Simplified-Chinese one where it is named.
        for index in range(10):
            try:
                face = ImageFont.truetype(str(path), size, index=index)
            except OSError:
                break
            family = " ".join(part or "" for part in face.getname())
            if " SC" in family or "SC " in family or "YaHei" in family or "PingFang" in family:
                return face
        return ImageFont.truetype(str(path), size, index=0)
    return ImageFont.truetype(str(path), size)


def _load(source: Path, long_side: int | None = None) -> Image.Image:
    with Image.open(source) as image:
        if long_side is not None:
            # A JPEG decodes at 1/2, 1/4 or 1/8 scale almost for free; Pillow keeps both sides
            # at least ``long_side``, so the LANCZOS resize that follows still has more
            # pixels than it keeps (a 12 MP photo decodes 4× faster).
            image.draft("RGB", (long_side, long_side))
        upright = ImageOps.exif_transpose(image) or image
        return upright.convert("RGB")


def _fit(image: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(image.size)
    if scale >= 1:
        return image  # never upscale: a blurry big picture is worse than a sharp small one
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _corner(
    box: tuple[int, int], canvas: tuple[int, int], position: str, margin: int
) -> tuple[int, int]:
    width, height = box
    cw, ch = canvas
    x = {"left": margin, "right": cw - width - margin}
    y = {"top": margin, "bottom": ch - height - margin}
    if position == "center":
        return (cw - width) // 2, (ch - height) // 2
    vertical, horizontal = position.split("_")
    return x[horizontal], y[vertical]


def _decorate(image: Image.Image, settings: ExportSettings) -> Image.Image:
    if not settings.watermark_text and not settings.price_tag:
        return image
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = max(base.size)
    margin = max(8, unit // 40)
    if settings.watermark_text:
        font = _font(max(12, unit * 35 // 1000))
        left, top, right, bottom = (
            int(v) for v in draw.textbbox((0, 0), settings.watermark_text, font=font)
        )
        x, y = _corner((right - left, bottom - top), base.size, settings.watermark_position, margin)
        alpha = round(255 * min(max(settings.watermark_opacity, 0.0), 1.0))
        shadow = max(1, unit // 600)
        # A soft dark shadow keeps white text readable on light photos too.
        draw.text(
            (x - left + shadow, y - top + shadow),
            settings.watermark_text,
            font=font,
            fill=(0, 0, 0, alpha // 2),
        )
        draw.text(
            (x - left, y - top), settings.watermark_text, font=font, fill=(255, 255, 255, alpha)
        )
    if settings.price_tag:
        font = _font(max(14, unit * 45 // 1000))
        left, top, right, bottom = (
            int(v) for v in draw.textbbox((0, 0), settings.price_tag, font=font)
        )
        pad = max(6, unit // 90)
        width, height = right - left + 2 * pad, bottom - top + 2 * pad
        tag_position = "top_left" if settings.watermark_position != "top_left" else "top_right"
        x, y = _corner((width, height), base.size, tag_position, margin)
        draw.rounded_rectangle(
            (x, y, x + width, y + height), radius=height // 3, fill=(232, 74, 62, 235)
        )
        draw.text(
            (x + pad - left, y + pad - top),
            settings.price_tag,
            font=font,
            fill=(255, 255, 255, 255),
        )
    return Image.alpha_composite(base, layer).convert("RGB")


def _save(image: Image.Image, target: Path, settings: ExportSettings) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "JPEG", quality=settings.jpeg_quality, optimize=True)


def export_for_moments(source: Path, target: Path, settings: ExportSettings) -> None:
    image = _load(source, settings.long_side)
    _save(_decorate(_fit(image, settings.long_side), settings), target, settings)


#: How a picture that is not square becomes the 九宫格's square: which part is kept, or all
#: of it on a white ground ("whole"). A 3:4 phone photo loses a quarter in the crops.
NINE_GRID_CROPS = ("top", "centre", "bottom", "whole")


def _square(image: Image.Image, crop: str = "centre") -> Image.Image:
    side = min(image.size) if crop != "whole" else max(image.size)
    if crop == "whole":
        return ImageOps.pad(image, (side, side), Image.Resampling.LANCZOS, color="#FFFFFF")
    along = {"top": 0.0, "centre": 0.5, "bottom": 1.0}[crop]
    # "top" keeps the top of a portrait picture, or the left of a landscape one.
    return ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS, centering=(along, along))


def split_nine_grid(
    source: Path,
    target_dir: Path,
    settings: ExportSettings,
    stem: str = "grid",
    crop: str = "centre",
) -> list[Path]:
    """九宫格: one picture cut into 3×3 squares, numbered 1–9 in posting (reading) order.

    ``crop`` (one of ``NINE_GRID_CROPS``) says which square of a non-square picture is cut.
    """
    if crop not in NINE_GRID_CROPS:
        raise ValueError(f"unknown crop {crop!r}")
    square = _square(_load(source), crop)
    tile = square.width // 3
    square = square.crop((0, 0, tile * 3, tile * 3))
    side = min(tile, settings.long_side)
    paths = []
    for index in range(9):
        row, column = divmod(index, 3)
        piece = square.crop((column * tile, row * tile, (column + 1) * tile, (row + 1) * tile))
        if piece.width != side:
            piece = piece.resize((side, side), Image.Resampling.LANCZOS)
        if index == 8:  # the watermark and price sit on the last tile, where eyes end
            piece = _decorate(piece, settings)
        target = target_dir / f"{stem}-{index + 1}.jpg"
        _save(piece, target, settings)
        paths.append(target)
    return paths


def compose_collage(
    sources: Sequence[Path],
    target: Path,
    settings: ExportSettings,
    gap: int = 6,
    background: str = "#FFFFFF",
) -> None:
    """Up to nine pictures in one square picture, each cell filled (centre-cropped)."""
    if not 1 <= len(sources) <= 9:
        raise ValueError(QT_TRANSLATE_NOOP("ImageExport", "a collage takes 1 to 9 pictures"))
    columns, rows = _LAYOUTS[len(sources)]
    side = settings.long_side
    cell_w = (side - gap * (columns - 1)) // columns
    cell_h = (side - gap * (rows - 1)) // rows if rows > 1 else side if columns == 1 else cell_w
    height = cell_h * rows + gap * (rows - 1)
    canvas = Image.new("RGB", (side, height), background)
    for index, source in enumerate(sources):
        row, column = divmod(index, columns)
        cell = ImageOps.fit(_load(source), (cell_w, cell_h), Image.Resampling.LANCZOS)
        canvas.paste(cell, (column * (cell_w + gap), row * (cell_h + gap)))
    _save(_decorate(canvas, settings), target, settings)


def export_pictures(
    sources: Sequence[Path], target_dir: Path, settings: ExportSettings, stem: str
) -> list[Path]:
    """A post's pictures, resized and marked, numbered 1–9 in posting order.

    Pillow releases the GIL while it decodes, resizes and encodes, so the pictures are
    exported on one thread per core (nine 12 MP photos take seconds each otherwise).
    """
    paths = [target_dir / f"{stem}-{index}.jpg" for index in range(1, len(sources[:9]) + 1)]
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        # list() re-raises the first failure here, after every worker has finished.
        list(
            pool.map(
                lambda pair: export_for_moments(pair[0], pair[1], settings),
                zip(sources[:9], paths, strict=True),
            )
        )
    return paths
