"""The on-device OCR engine (PP-OCRv4 through onnxruntime), loaded on first use.

Nothing here is imported at start-up: onnxruntime, numpy and OpenCV cost a second and
~150 MB, paid only when a seller reads her first screenshot. Pictures never leave the
laptop: the models ship inside the rapidocr-onnxruntime wheel (and the frozen bundle).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from PIL import Image

#: The engine shrinks a picture whose longer side exceeds this; taller screenshots are read
#: in overlapping tiles instead, so text keeps its size (a long screenshot stays readable).
MAX_SIDE = 2000
_lock = threading.Lock()
_engine: Any = None


@dataclass(frozen=True)
class TextBox:
    """One run of text the engine found, in the picture's pixels."""

    left: float
    top: float
    right: float
    bottom: float
    text: str
    score: float
    #: share of the ink drawn in a blue link colour (WeChat's names), 0..1
    link: float = 0.0
    #: the first characters are in the link colour (a comment's or like's name)
    starts_link: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


class EngineMissing(RuntimeError):
    """The OCR engine is not installed (a source checkout without the OCR extras)."""


def engine() -> Any:
    """The shared engine; the first call loads the models (about a second)."""
    global _engine
    with _lock:
        if _engine is None:
            from moments_desk.core.screenshots.ppocr import PaddleOcr

            try:
                _engine = PaddleOcr()
            except (ImportError, FileNotFoundError) as error:  # depends on the install
                raise EngineMissing(str(error)) from error
        return _engine


def recognise(image: Image.Image) -> list[tuple[list[list[float]], str, float]]:
    """The engine alone on an RGB picture: (quad, text, score) per box. The bench's baseline."""
    import numpy as np

    return _engine_boxes(np.asarray(image.convert("RGB")))


def _engine_boxes(rgb: Any) -> list[tuple[list[list[float]], str, float]]:
    import numpy as np

    found: list[tuple[list[list[float]], str, float]] = engine()(np.ascontiguousarray(rgb))
    return found


def without_emoji(rgb: Any) -> Any:
    """The picture with vivid blobs (emoji, avatars, photos) painted over with the page.

    The engine reads an emoji as a stray glyph ("?", "+r", "！") glued to the name beside
    it; WeChat's text is black, grey or blue-grey, never vivid, so nothing read is lost.
    """
    import numpy as np

    from moments_desk.core.screenshots.ppocr import _components

    spread = rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2)
    vivid = spread > 90
    if not vivid.any():
        return rgb
    for _ in range(2):  # a 5×5 dilation
        grown = vivid.copy()
        grown[1:] |= vivid[:-1]
        grown[:-1] |= vivid[1:]
        grown[:, 1:] |= vivid[:, :-1]
        grown[:, :-1] |= vivid[:, 1:]
        vivid = grown
    cleaned = rgb.copy()
    height, width = rgb.shape[:2]
    for left, top, right, bottom in _components(vivid):
        w, h = right - left + 1, bottom - top + 1
        if w * h < 12:
            continue
        grow = 2  # with the dilation, 4 px past the blob: its faint rim, not the letters
        x0, y0 = max(0, left - grow), max(0, top - grow)
        x1, y1 = min(width, left + w + grow), min(height, top + h + grow)
        ring = np.concatenate(
            [rgb[y0, x0:x1], rgb[y1 - 1, x0:x1], rgb[y0:y1, x0], rgb[y0:y1, x1 - 1]]
        )
        cleaned[y0:y1, x0:x1] = np.median(ring, axis=0).astype(rgb.dtype)
    return cleaned


def read_boxes(image: Image.Image, top: int = 0) -> list[TextBox]:
    """Text boxes with the colour of their ink; ``top`` shifts a tile's boxes into place."""
    import numpy as np

    rgb = without_emoji(np.asarray(image.convert("RGB")))
    boxes = []
    for quad, text, score in _engine_boxes(rgb):
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        left, right = max(0.0, min(xs)), min(float(image.width), max(xs))
        upper, lower = max(0.0, min(ys)), min(float(image.height), max(ys))
        link, starts = _ink(rgb, int(left), int(upper), int(right), int(lower))
        boxes.append(
            TextBox(left, upper + top, right, lower + top, str(text), float(score), link, starts)
        )
    return boxes


def _ink(rgb: Any, left: int, top: int, right: int, bottom: int) -> tuple[float, bool]:
    """How much of the box's ink is link-blue, and whether its first glyph is."""
    import numpy as np

    crop = rgb[top:bottom, left:right].astype(np.int16)
    if crop.size == 0:
        return 0.0, False
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    background = np.median(border, axis=0)
    distance = np.abs(crop - background).sum(axis=2)
    spread = crop.max(axis=2) - crop.min(axis=2)
    # Emoji are vivid (spread > 90); names and text are blue-grey, grey or black.
    ink = (distance > 90) & (spread <= 90)
    if not ink.any():
        return 0.0, False
    r, g, b = crop[..., 0], crop[..., 1], crop[..., 2]
    # Blue ink: the blue channel stands above red and green (WeChat's #576B95 and the dark
    # mode's #7D90A9); black, grey and white text have the three alike.
    blue = ink & (b - r > 22) & (b - g > 8)
    share = float(blue.sum() / ink.sum())
    columns = np.flatnonzero(ink.any(axis=0))
    first = int(columns[0])
    head = slice(first, first + max(1, bottom - top))
    head_ink = ink[:, head].sum()
    starts = bool(head_ink and blue[:, head].sum() / head_ink > 0.5)
    return share, starts
