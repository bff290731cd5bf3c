"""Screenshots read by the real OCR engine, and pictures refused before it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bench.wechat_posts import expected_json, random_post
from bench.wechat_screens import Style, screens_of
from moments_desk.core.pictures.media import ImageRejected
from moments_desk.core.screenshots.reading import (
    MAX_FILES,
    ReadingCancelled,
    read_images,
    read_screenshots,
)

SCREENS = Path(__file__).resolve().parents[2] / "screens"
ASSET = SCREENS / "wechat-phone.png"


def test_a_phone_screenshot_gives_the_likes_in_order_and_every_comment_exactly() -> None:
    reading = read_screenshots([ASSET])
    truth = json.loads((SCREENS / "wechat-phone.json").read_text(encoding="utf-8"))
    assert reading.as_json() == truth
    assert reading.seller == "悦己服饰" and reading.time == "2小时前"


@pytest.mark.slow
def test_overlapping_dark_screenshots_of_a_long_post_merge_without_duplicates() -> None:
    import random

    truth = random_post(random.Random(3), 70, 14)
    screens = screens_of(truth, Style(dark=True))
    assert len(screens) >= 2
    reading = read_images([s.image for s in screens])
    want = [name.replace(" ", "") for name in expected_json(truth)["likes"]]  # type: ignore[attr-defined]
    got = [like.name.replace(" ", "") for like in reading.likes]
    assert len(got) == len(set(got))  # the overlap was read twice, kept once
    right = [name for name in got if name in want]
    assert len(right) >= 0.97 * len(want)
    assert right == [name for name in want if name in right]  # in like order
    assert len(reading.comments) == len(truth.comments)


def test_reading_stops_when_cancelled_before_the_next_screenshot() -> None:
    image = Image.new("RGB", (600, 800), "white")
    with pytest.raises(ReadingCancelled):
        read_images([image, image], cancelled=lambda: True)


def test_what_is_not_a_screenshot_is_refused_with_a_sentence(tmp_path: Path) -> None:
    text = tmp_path / "likes.png"
    text.write_text("not a picture", encoding="utf-8")
    with pytest.raises(ImageRejected, match=r"likes\.png: this file is not a picture"):
        read_screenshots([text])
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (120, 90), "white").save(tiny)
    with pytest.raises(ImageRejected, match=r"tiny\.png: the picture is too small"):
        read_screenshots([tiny])
    huge = tmp_path / "huge.png"
    Image.new("1", (8000, 6000), 1).save(huge)  # 48 MP, a few kB on disk
    with pytest.raises(ImageRejected, match=r"huge\.png: the picture is too large to open"):
        read_screenshots([huge])
    with pytest.raises(ValueError, match="too many"):
        read_screenshots([ASSET] * (MAX_FILES + 1))


def test_start_up_does_not_load_the_ocr_engine() -> None:
    probe = (
        "import sys, moments_desk.app, moments_desk.ui.main_window, "
        "moments_desk.ui.tracking.page, moments_desk.cli.commands;"
        "print(sorted(m for m in ('onnxruntime', 'numpy', 'cv2', 'rapidocr_onnxruntime')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip() == "[]"
