"""The detector's regions without OpenCV: 8-connected runs joined into boxes."""

from __future__ import annotations

import numpy as np

from moments_desk.core.screenshots.engine import without_emoji
from moments_desk.core.screenshots.ppocr import _components


def test_regions_touching_at_a_corner_are_one_box_and_apart_are_two() -> None:
    mask = np.zeros((8, 12), dtype=bool)
    mask[1:3, 1:4] = True
    mask[3, 4] = True  # touches the first only diagonally
    mask[5:7, 8:11] = True
    assert sorted(_components(mask)) == [(1, 1, 4, 3), (8, 5, 10, 6)]


def test_a_vivid_emoji_is_painted_over_and_grey_or_blue_text_is_left() -> None:
    page = np.full((40, 120, 3), 247, dtype=np.uint8)
    page[10:30, 10:30] = (255, 204, 77)  # a yellow face
    page[12:28, 40:44] = (87, 107, 149)  # a stroke in WeChat's link blue
    page[12:28, 60:64] = (25, 25, 25)  # a black stroke
    cleaned = without_emoji(page)
    assert (cleaned[10:30, 10:30] == 247).all()
    assert (cleaned[12:28, 40:44] == (87, 107, 149)).all()
    assert (cleaned[12:28, 60:64] == 25).all()
