"""Importing pictures into the content-addressed media store (Pillow, no Qt).

A picture is stored once under the SHA-256 of its original bytes, normalised so every later
step (thumbnails, export for Moments) can rely on an 8-bit, upright RGB/RGBA image.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg
from moments_desk.db.models import MediaFile

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
MAX_FILE_BYTES = 60 * 1024 * 1024
JPEG_QUALITY = 92
_heif_registered = False


class ImageRejected(Exception):
    """A picture that cannot be used; ``str()`` names the file and says why."""

    def __init__(self, path: Path, reason: str, message: Msg) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP("Media", "{name}: {message}").format(name=path.name, message=message)
        )
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class StoredImage:
    sha256: str
    rel_path: str
    width: int
    height: int
    format: str
    size_bytes: int
    original_name: str
    notes: tuple[str, ...] = ()


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _heif_registered = True


def media_file_path(media_root: Path, rel_path: str) -> Path:
    return media_root.joinpath(*rel_path.split("/"))


def _open(
    source: Path, data: bytes, *, quick: bool = False, normalise: bool = True
) -> tuple[Image.Image, str, list[str]]:
    """Decode fully (so truncation is caught now, not at export) and normalise the mode.

    ``quick``: a JPEG is decoded at an eighth of its size, which still reads every byte
    of it (a damaged or cut-off one fails the same way) at a fraction of the cost.
    ``normalise=False``: only the checks, which all happen while decoding.
    """
    notes: list[str] = []
    _register_heif()
    with warnings.catch_warnings():
        # Pillow only warns between 1× and 2× MAX_IMAGE_PIXELS; a bomb is a bomb either way.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            source_format = str(image.format)
            if getattr(image, "n_frames", 1) > 1:
                notes.append(
                    QT_TRANSLATE_NOOP("Media", "animated picture: the first frame is used")
                )
                image.seek(0)
            if quick:
                image.draft(image.mode, (max(image.width // 8, 1), max(image.height // 8, 1)))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageRejected(
                source,
                "too_many_pixels",
                QT_TRANSLATE_NOOP("Media", "the picture is too large to open safely"),
            ) from error
        except UnidentifiedImageError as error:
            known = _sniff(data)
            if known:
                raise ImageRejected(
                    source,
                    "unsupported_format",
                    QT_TRANSLATE_NOOP(
                        "Media",
                        "{format} pictures are not supported; use JPEG, PNG, WebP, GIF or HEIC",
                    ).format(format=known),
                ) from error
            raise ImageRejected(
                source, "not_an_image", QT_TRANSLATE_NOOP("Media", "this file is not a picture")
            ) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise ImageRejected(
                source,
                "truncated",
                QT_TRANSLATE_NOOP("Media", "the picture is damaged or incomplete"),
            ) from error
    if not normalise:
        return image, source_format, notes
    oriented = ImageOps.exif_transpose(image)
    if oriented is not image and oriented.size != image.size:
        notes.append(QT_TRANSLATE_NOOP("Media", "rotated according to the camera's orientation"))
    image = oriented if oriented is not None else image
    if image.mode == "CMYK":
        image = image.convert("RGB")
        notes.append(QT_TRANSLATE_NOOP("Media", "CMYK converted to RGB"))
    elif image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # Scale 16-bit tones down to 8 bits; a plain convert would clip everything above 255.
        image = image.point(lambda value: value / 256).convert("L").convert("RGB")
        notes.append(QT_TRANSLATE_NOOP("Media", "16-bit picture reduced to 8-bit"))
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("LA", "PA"):
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # an alpha channel that hides nothing
    return image, source_format, notes


def check_image_data(source: Path, data: bytes, *, quick: bool = False) -> None:
    """The import's checks on bytes in memory (size, format, bombs, damage); writes nothing.

    Raises ImageRejected naming ``source``. Every check of a picture that is not stored
    yet (an upload, a restore's pictures, an import's dry run) ends here.
    """
    _check_size(source, len(data))
    _open(source, data, quick=quick, normalise=False)


def _check_size(source: Path, size: int) -> None:
    if size == 0:
        raise ImageRejected(source, "empty", QT_TRANSLATE_NOOP("Media", "the file is empty"))
    if size > MAX_FILE_BYTES:
        raise ImageRejected(
            source,
            "too_large_file",
            QT_TRANSLATE_NOOP("Media", "the file is over {mb} MB").format(
                mb=MAX_FILE_BYTES // 1024 // 1024
            ),
        )


def _sniff(data: bytes) -> str | None:
    signatures = {b"BM": "BMP", b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"%PDF": "PDF"}
    return next((name for sig, name in signatures.items() if data.startswith(sig)), None)


def check_image(source: Path, shown: Path | None = None) -> None:
    """Raise ImageRejected for a picture ``store_image`` would refuse; store nothing.

    What an import's dry run and plan use, so they refuse what the real run refuses, and
    what a restore uses on its staged pictures (``shown``: the name the seller knows).
    """
    check_image_data(shown or source, _read_checked(source, shown), quick=True)


def _read_checked(source: Path, shown: Path | None = None) -> bytes:
    """The file's bytes, once its size is known to be a picture's."""
    name = shown or source
    try:
        _check_size(name, source.stat().st_size)
        return source.read_bytes()
    except FileNotFoundError as error:
        raise ImageRejected(
            name, "missing", QT_TRANSLATE_NOOP("Media", "the file does not exist")
        ) from error
    except OSError as error:
        raise ImageRejected(
            name, "unreadable", QT_TRANSLATE_NOOP("Media", "the file cannot be read")
        ) from error


def open_picture(source: Path, max_pixels: int) -> Image.Image:
    """A picture from outside (a screenshot), checked like an imported one, no bigger than
    ``max_pixels``, decoded fully and upright; nothing is stored."""
    data = _read_checked(source)
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        width = height = 0  # _open names what is wrong with it
    if width * height > max_pixels:
        raise ImageRejected(
            source,
            "too_many_pixels",
            QT_TRANSLATE_NOOP("Media", "the picture is too large to open safely"),
        )
    image, _, _ = _open(source, data)
    return image


def store_image(source: Path, media_root: Path) -> StoredImage:
    """Copy ``source`` into the media store (once per distinct picture) and describe it."""
    return store_image_data(source, _read_checked(source), media_root)


def store_image_data(source: Path, data: bytes, media_root: Path) -> StoredImage:
    """``store_image`` for bytes already in memory (an upload): the same checks, and
    nothing is written unless the picture passes them. ``source`` only names it."""
    _check_size(source, len(data))
    digest = hashlib.sha256(data).hexdigest()
    image, source_format, notes = _open(source, data)
    keep_bytes = (
        source_format == "JPEG" and image.mode == "RGB" and not notes and _is_plain_jpeg(data)
    )
    ext = "png" if image.mode == "RGBA" else "jpg"
    rel_path = f"{digest[:2]}/{digest}.{ext}"
    target = media_file_path(media_root, rel_path)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                if keep_bytes:
                    handle.write(data)  # already an upright RGB JPEG: keep its quality
                elif ext == "png":
                    image.save(handle, "PNG", optimize=False)
                else:
                    image.save(handle, "JPEG", quality=JPEG_QUALITY, optimize=True)
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    return StoredImage(
        sha256=digest,
        rel_path=rel_path,
        width=image.width,
        height=image.height,
        format="PNG" if ext == "png" else "JPEG",
        size_bytes=target.stat().st_size,
        original_name=source.name[:255],
        notes=tuple(notes),
    )


def _is_plain_jpeg(data: bytes) -> bool:
    # Progressive or CMYK JPEGs were already re-encoded above; this keeps baseline RGB ones.
    return data[:3] == b"\xff\xd8\xff"


def register_media(session: Session, stored: StoredImage) -> MediaFile:
    existing = session.scalar(select(MediaFile).where(MediaFile.sha256 == stored.sha256))
    if existing is not None:
        return existing
    media = MediaFile(
        sha256=stored.sha256,
        rel_path=stored.rel_path,
        original_name=stored.original_name,
        width=stored.width,
        height=stored.height,
        format=stored.format,
        size_bytes=stored.size_bytes,
    )
    session.add(media)
    session.flush()
    return media
