"""Thumbnail of a 12 MP JPEG: the app's cached path against plain Pillow draft+thumbnail."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PIL import Image

from bench.common import Result, median_ms
from moments_desk.core.pictures.media import store_image
from moments_desk.core.pictures.thumbnails import thumbnail


def run(repeat: int) -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="md-bench-img-"))
    try:
        source = folder / "photo.jpg"
        noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
        gradient = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
        Image.blend(noise, gradient, 0.5).save(source, "JPEG", quality=90)
        stored = store_image(source, folder / "media")
        cache = folder / "thumbs"

        def app() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            thumbnail(folder / "media", cache, stored.rel_path, 256)

        def plain() -> None:
            with Image.open(folder / "media" / stored.rel_path) as image:
                image.draft("RGB", (256, 256))
                image.thumbnail((256, 256))
                image.convert("RGB").save(folder / "plain.jpg", "JPEG", quality=85)

        plain_ms = median_ms(plain, repeat)
        app_ms = median_ms(app, repeat)
        store_ms = median_ms(lambda: store_image(source, folder / f"m{id(object())}"), 3)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Result("thumbnail of 12 MP JPEG", app_ms, "Pillow draft()+thumbnail()", plain_ms),
        Result("store 12 MP JPEG in media", store_ms, note="hash, verify, copy"),
    ]
