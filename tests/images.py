"""Picture helpers for tests."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def load_image(path: Path) -> Image.Image:
    """Open, decode and close: tests must not leave files open (warnings are errors)."""
    with Image.open(path) as image:
        image.load()
        return image.copy()


def _noise_jpeg(size: tuple[int, int] = (300, 200)) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def hostile_images(folder: Path) -> dict[str, Path]:
    """Pictures a seller's phone, supplier or a bad download produces, by what is wrong.

    Every one must be either accepted (perhaps with a note) or rejected with a message.
    """
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}

    def save(name: str, image: Image.Image, fmt: str, **options: object) -> None:
        path = folder / name
        image.save(path, fmt, **options)
        made[name] = path

    def write(name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        made[name] = path

    jpeg = _noise_jpeg()
    write("truncated.jpg", jpeg[: len(jpeg) // 2])
    write("zero-byte.jpg", b"")
    write("header-only.png", b"\x89PNG\r\n\x1a\n")
    save("bomb.png", Image.new("1", (20000, 20000)), "PNG")  # 400 MP from a few KB
    save("png-named.jpg", Image.new("RGB", (80, 60), "teal"), "PNG")
    write("text-named.jpg", "这不是图片，是一段文字。".encode() * 40)
    save("cmyk.jpg", Image.new("CMYK", (80, 60), (0, 128, 255, 0)), "JPEG")
    save("sixteen-bit.png", Image.new("I;16", (80, 60), 40000), "PNG")
    frames = [Image.new("RGB", (40, 30), c) for c in ("red", "green", "blue")]
    frames[0].save(
        folder / "animated.gif", "GIF", save_all=True, append_images=frames[1:], duration=100
    )
    made["animated.gif"] = folder / "animated.gif"
    palette = Image.new("P", (40, 30), 0)
    palette.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    palette.paste(1, (10, 10, 30, 20))
    save("palette-transparent.png", palette, "PNG", transparency=0)
    save("scan.bmp", Image.new("RGB", (40, 30), "white"), "BMP")
    save("scan.tif", Image.new("RGB", (40, 30), "white"), "TIFF")
    save("grey-alpha.png", Image.new("LA", (40, 30), (128, 100)), "PNG")
    save("tiny.jpg", Image.new("RGB", (1, 1), "black"), "JPEG")
    save("panorama.jpg", Image.new("RGB", (8000, 10), "grey"), "JPEG")
    return made


def pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    """The channels of one pixel (Pillow types ``getpixel`` loosely: float, tuple or None)."""
    value = image.getpixel(xy)
    assert isinstance(value, tuple), f"{image.mode} image: one channel at {xy}"
    return value
