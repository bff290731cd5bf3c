"""Reading screenshots of a post: checked like any outside picture, then OCR, then layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from moments_desk.core.pictures.media import ImageRejected, open_picture
from moments_desk.core.screenshots.engine import MAX_SIDE, TextBox, read_boxes
from moments_desk.core.screenshots.layout import Line, Page, group_lines, read_page, whole_lines
from moments_desk.core.screenshots.parse import Reading, merge_blocks, read_block
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

#: A phone's long screenshot (长截图) of 200 likers is about 1440 × 12,000.
MAX_PIXELS = 40_000_000
MAX_FILES = 30
MIN_SIDE = 200


class ReadingCancelled(Exception):
    """The seller cancelled; nothing was read."""


def load_screenshot(path: Path) -> Image.Image:
    """The picture at ``path`` as RGB, or ``ImageRejected`` with a sentence for the seller."""
    image = open_picture(path, MAX_PIXELS)
    if min(image.size) < MIN_SIDE:
        raise ImageRejected(
            path,
            "too_small",
            QT_TRANSLATE_NOOP(
                "Screenshots", "the picture is too small to be a screenshot ({width}×{height})"
            ).format(width=image.width, height=image.height),
        )
    return image.convert("RGB")


def _tiles(image: Image.Image) -> list[tuple[int, Image.Image]]:
    """Overlapping tiles of a tall picture, so the engine never shrinks its text."""
    limit = max(MAX_SIDE, int(image.width * 2.3))
    if image.height <= limit or image.width > MAX_SIDE:
        return [(0, image)]
    step = int(limit * 0.8)
    tiles = []
    top = 0
    while True:
        bottom = min(image.height, top + limit)
        tiles.append((top, image.crop((0, top, image.width, bottom))))
        if bottom >= image.height:
            return tiles
        top += step


def read_lines(image: Image.Image, source: int) -> list[Line]:
    """The whole lines of one screenshot, tiles joined (a line read twice is kept once)."""
    lines: list[Line] = []
    for top, tile in _tiles(image):
        boxes: list[TextBox] = read_boxes(tile, top)
        for line in whole_lines(group_lines(boxes, source), tile.height + top):
            if line.top - top <= 2:
                continue
            if any(abs(line.middle - kept.middle) < line.height / 2 for kept in lines):
                continue
            lines.append(line)
    lines.sort(key=lambda line: line.middle)
    return whole_lines(lines, image.height)


def read_images(
    images: Sequence[Image.Image],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Reading:
    """Read screenshots of one post (in the order taken) into one result."""
    pages: list[Page] = []
    for number, image in enumerate(images):
        if cancelled is not None and cancelled():
            raise ReadingCancelled()
        if progress is not None:
            progress(number, len(images))
        pages.append(read_page(read_lines(image, number), number))
    if progress is not None:
        progress(len(images), len(images))
    likes, comments = read_block(merge_blocks(pages))
    header = next((page for page in pages if page.has_header), None)
    return Reading(
        tuple(likes),
        tuple(comments),
        seller=header.seller if header else None,
        post_text=header.post_text if header else "",
        time=header.time if header else None,
        empty=tuple(page.source for page in pages if not page.block),
    )


def read_screenshots(
    paths: Sequence[Path],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Reading:
    """Check every file first (a refused one stops everything), then read them in order."""
    if len(paths) > MAX_FILES:
        raise ValueError(
            QT_TRANSLATE_NOOP(
                "Screenshots", "{count} screenshots at once is too many; choose at most {limit}."
            ).format(count=len(paths), limit=MAX_FILES)
        )
    images = [load_screenshot(path) for path in paths]
    return read_images(images, progress, cancelled)
