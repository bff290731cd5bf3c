"""The media store: every kind of picture a seller's phone or supplier produces."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from moments_desk.core.pictures import media
from moments_desk.core.pictures.media import ImageRejected, media_file_path, store_image
from moments_desk.core.pictures.thumbnails import thumbnail
from tests.images import load_image, pixel


def photo(
    path: Path,
    size: tuple[int, int] = (400, 300),
    mode: str = "RGB",
    fmt: str = "JPEG",
    **save: object,
) -> Path:
    image = Image.new(mode, size, "orange" if mode in ("RGB", "RGBA", "CMYK") else 128)
    image.save(path, fmt, **save)
    return path


def stored_image(root: Path, rel: str) -> Image.Image:
    return load_image(media_file_path(root, rel))


def test_same_picture_twice_is_stored_once(tmp_path: Path) -> None:
    source = photo(tmp_path / "a.jpg")
    copy = tmp_path / "copy-of-a.jpg"
    copy.write_bytes(source.read_bytes())
    first = store_image(source, tmp_path / "media")
    second = store_image(copy, tmp_path / "media")
    assert first.sha256 == second.sha256 and first.rel_path == second.rel_path
    assert len(list((tmp_path / "media").rglob("*.jpg"))) == 1


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise, as phones record portrait shots
    source = photo(tmp_path / "portrait.jpg", (400, 300), exif=exif)
    stored = store_image(source, tmp_path / "media")
    assert (stored.width, stored.height) == (300, 400)
    assert any("orientation" in note for note in stored.notes)


def test_cmyk_becomes_rgb(tmp_path: Path) -> None:
    stored = store_image(photo(tmp_path / "print.jpg", mode="CMYK"), tmp_path / "media")
    assert stored_image(tmp_path / "media", stored.rel_path).mode == "RGB"
    assert any("CMYK" in note for note in stored.notes)


def test_16_bit_keeps_its_tones(tmp_path: Path) -> None:
    source = tmp_path / "deep.png"
    Image.new("I;16", (64, 64), 32768).save(source)
    stored = store_image(source, tmp_path / "media")
    pixel = stored_image(tmp_path / "media", stored.rel_path).convert("L").getpixel((5, 5))
    assert pixel == 128  # mid grey stays mid grey, not clipped to white


def test_palette_transparency_stays_transparent(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    image = Image.new("P", (50, 50), 0)
    image.putpalette([255, 255, 255, 255, 0, 0] + [0] * 762)
    image.paste(1, (10, 10, 40, 40))
    image.save(source, transparency=0)
    stored = store_image(source, tmp_path / "media")
    assert stored.format == "PNG"
    assert pixel(stored_image(tmp_path / "media", stored.rel_path), (0, 0))[3] == 0


def test_animated_gif_uses_first_frame(tmp_path: Path) -> None:
    source = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (40, 40), c) for c in ("red", "blue")]
    frames[0].save(source, save_all=True, append_images=frames[1:])
    stored = store_image(source, tmp_path / "media")
    assert any("first frame" in note for note in stored.notes)
    assert pixel(stored_image(tmp_path / "media", stored.rel_path).convert("RGB"), (5, 5))[0] > 200


def test_webp_and_heic(tmp_path: Path) -> None:
    webp = store_image(photo(tmp_path / "a.webp", fmt="WEBP"), tmp_path / "media")
    assert webp.width == 400
    import pillow_heif

    pillow_heif.register_heif_opener()
    heic = store_image(photo(tmp_path / "iphone.heic", fmt="HEIF"), tmp_path / "media")
    assert (heic.width, heic.height) == (400, 300)


def test_png_named_jpg_is_accepted(tmp_path: Path) -> None:
    stored = store_image(photo(tmp_path / "wrong.jpg", fmt="PNG"), tmp_path / "media")
    assert stored.width == 400


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.jpg", b"", "empty"),
        ("notes.jpg", "这不是图片".encode() * 50, "not_an_image"),
        ("scan.bmp", None, "unsupported_format"),
        ("half.jpg", "truncated", "truncated"),
        ("bomb.png", "bomb", "too_many_pixels"),
    ],
)
def test_hostile_files_are_rejected_with_the_file_named(
    tmp_path: Path, name: str, content: object, reason: str
) -> None:
    path = tmp_path / name
    if content is None:
        Image.new("RGB", (20, 20)).save(path, "BMP")
    elif content == "truncated":
        buffer = io.BytesIO()
        Image.effect_noise((600, 600), 64).convert("RGB").save(buffer, "JPEG")
        path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    elif content == "bomb":
        Image.new("1", (20000, 20000)).save(path)  # a few KB on disk, 400 MP in memory
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(ImageRejected) as raised:
        store_image(path, tmp_path / "media")
    assert raised.value.reason == reason
    assert name in str(raised.value)
    assert not list((tmp_path / "media").rglob("*.jpg")) if (tmp_path / "media").exists() else True


def test_missing_and_oversized(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImageRejected, match="does not exist"):
        store_image(tmp_path / "gone.jpg", tmp_path / "media")
    monkeypatch.setattr(media, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImageRejected) as raised:
        store_image(photo(tmp_path / "big.jpg"), tmp_path / "media")
    assert raised.value.reason == "too_large_file"


def test_thumbnails_are_cached(tmp_path: Path) -> None:
    stored = store_image(photo(tmp_path / "a.jpg", (4000, 3000)), tmp_path / "media")
    first = thumbnail(tmp_path / "media", tmp_path / "thumbs", stored.rel_path, 256)
    stamp = first.stat().st_mtime_ns
    again = thumbnail(tmp_path / "media", tmp_path / "thumbs", stored.rel_path, 256)
    assert again == first and again.stat().st_mtime_ns == stamp
    assert max(load_image(first).size) <= 256
