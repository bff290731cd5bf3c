"""Picture helpers for tests."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def load_image(path: Path) -> Image.Image:
    """Open, decode and close: tests must not leave files open (warnings are errors)."""
    with Image.open(path) as image:
        image.load()
        return image.copy()
