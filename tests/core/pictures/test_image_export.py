"""Pictures prepared for Moments: size limits, watermark, 九宫格 order, collages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from moments_desk.core.pictures.image_export import (
    ExportSettings,
    compose_collage,
    export_for_moments,
    export_pictures,
    split_nine_grid,
)
from tests.images import load_image, pixel


def picture(path: Path, size: tuple[int, int], colour: str = "#88AACC") -> Path:
    Image.new("RGB", size, colour).save(path, "JPEG", quality=95)
    return path


@pytest.mark.parametrize(
    ("long_side", "source", "expected"),
    [
        (1080, (4000, 3000), (1080, 810)),
        (2048, (4000, 3000), (2048, 1536)),
        (1080, (800, 600), (800, 600)),  # never upscaled
    ],
)
def test_long_side_limit(
    tmp_path: Path, long_side: int, source: tuple[int, int], expected: tuple[int, int]
) -> None:
    target = tmp_path / "out.jpg"
    export_for_moments(
        picture(tmp_path / "in.jpg", source), target, ExportSettings(long_side=long_side)
    )
    assert load_image(target).size == expected


def test_watermark_marks_only_its_corner(tmp_path: Path) -> None:
    source = picture(tmp_path / "in.jpg", (1000, 1000), "#336699")
    plain, marked = tmp_path / "plain.jpg", tmp_path / "marked.jpg"
    export_for_moments(source, plain, ExportSettings())
    export_for_moments(
        source,
        marked,
        ExportSettings(watermark_text="小棉袄的衣橱 wx:mianao", watermark_opacity=1.0),
    )
    a, b = load_image(plain).convert("L"), load_image(marked).convert("L")
    corner = (600, 900, 1000, 1000)
    opposite = (0, 0, 400, 100)

    def diff(box: tuple[int, int, int, int]) -> int:
        pairs = zip(a.crop(box).tobytes(), b.crop(box).tobytes(), strict=True)
        return sum(abs(x - y) for x, y in pairs)

    assert diff(corner) > 1000
    assert diff(opposite) < 200


def test_price_tag_is_drawn(tmp_path: Path) -> None:
    source = picture(tmp_path / "in.jpg", (1000, 1000), "#FFFFFF")
    target = tmp_path / "tag.jpg"
    export_for_moments(source, target, ExportSettings(price_tag="¥129"))
    corner = load_image(target).convert("RGB").crop((0, 0, 250, 150))
    red = sum(
        1 for r, g, b in zip(*(iter(corner.tobytes()),) * 3, strict=True) if r > 180 and g < 120
    )
    assert red > 2000  # the red label sits in the top-left corner


def test_nine_grid_tiles_in_reading_order(tmp_path: Path) -> None:
    colours = [
        "#FF0000",
        "#00FF00",
        "#0000FF",
        "#FFFF00",
        "#FF00FF",
        "#00FFFF",
        "#800000",
        "#008000",
        "#000080",
    ]
    source = Image.new("RGB", (900, 900))
    for index, colour in enumerate(colours):
        row, column = divmod(index, 3)
        source.paste(colour, (column * 300, row * 300, (column + 1) * 300, (row + 1) * 300))
    path = tmp_path / "big.png"
    source.save(path)
    tiles = split_nine_grid(path, tmp_path / "grid", ExportSettings(), stem="QZ-01")
    assert [t.name for t in tiles] == [f"QZ-01-{i}.jpg" for i in range(1, 10)]
    for tile, colour in zip(tiles, colours, strict=True):
        image = load_image(tile).convert("RGB")
        assert image.size == (300, 300)
        expected = pixel(Image.new("RGB", (1, 1), colour), (0, 0))
        got = pixel(image, (150, 150))
        assert all(abs(g - e) < 40 for g, e in zip(got, expected, strict=True)), (tile, got)


@pytest.mark.parametrize(("count", "cells"), [(1, 1), (2, 2), (4, 4), (6, 6), (9, 9)])
def test_collage_layouts(tmp_path: Path, count: int, cells: int) -> None:
    sources = [picture(tmp_path / f"{i}.jpg", (600, 800)) for i in range(count)]
    target = tmp_path / "collage.jpg"
    compose_collage(sources, target, ExportSettings())
    assert load_image(target).width == 1080


def test_collage_refuses_zero_or_ten(tmp_path: Path) -> None:
    sources = [picture(tmp_path / f"{i}.jpg", (60, 60)) for i in range(10)]
    for bad in ([], sources):
        with pytest.raises(ValueError, match="1 to 9"):
            compose_collage(bad, tmp_path / "x.jpg", ExportSettings())


def test_only_wechat_sizes_are_offered() -> None:
    with pytest.raises(ValueError, match="1080 or 2048"):
        ExportSettings(long_side=4000)


def test_export_pictures_numbered_in_posting_order(tmp_path: Path) -> None:
    sources = [picture(tmp_path / f"{i}.jpg", (3000, 2000)) for i in range(3)]
    paths = export_pictures(sources, tmp_path / "out", ExportSettings(long_side=2048), "QZ-01")
    assert [p.name for p in paths] == ["QZ-01-1.jpg", "QZ-01-2.jpg", "QZ-01-3.jpg"]
    assert load_image(paths[0]).size == (2048, 1365)


@pytest.mark.parametrize(
    ("crop", "first", "last"),
    [
        ("top", "#FF0000", "#00FF00"),  # rows 0–600: from the red head to the green middle
        ("centre", "#FF0000", "#0000FF"),  # rows 100–700
        ("bottom", "#00FF00", "#0000FF"),  # rows 200–800
        ("whole", "#FFFFFF", "#FFFFFF"),  # all of it, white at the sides
    ],
)
def test_nine_grid_of_a_3_by_4_photo_keeps_the_part_chosen(
    tmp_path: Path, crop: str, first: str, last: str
) -> None:
    """A phone photo 600×800: red top 200 px, green middle, blue bottom 200 px."""
    source = Image.new("RGB", (600, 800), "#00FF00")
    source.paste("#FF0000", (0, 0, 600, 200))
    source.paste("#0000FF", (0, 600, 600, 800))
    path = tmp_path / "phone.png"
    source.save(path)
    tiles = split_nine_grid(path, tmp_path / crop, ExportSettings(), stem="p", crop=crop)
    top_left = load_image(tiles[0]).convert("RGB").getpixel((5, 5))
    last_tile = load_image(tiles[8]).convert("RGB")
    bottom_right = last_tile.getpixel((last_tile.width - 5, last_tile.height - 5))
    for got, colour in ((top_left, first), (bottom_right, last)):
        expected = Image.new("RGB", (1, 1), colour).getpixel((0, 0))
        assert isinstance(got, tuple) and isinstance(expected, tuple)
        assert all(abs(g - e) < 40 for g, e in zip(got, expected, strict=True)), (crop, got)
