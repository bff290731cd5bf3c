"""The pictures a product import takes: named in a cell, or found in a folder by code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from moments_desk.core.pictures.media import ImageRejected, check_image
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, message_of

PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif"}

# What a file manager leaves in a folder of pictures: never worth a warning.
_FOLDER_NOISE = {"thumbs.db", "desktop.ini", "ehthumbs.db"}


def images_by_code(
    folder: Path | None, spreadsheet: Path
) -> tuple[dict[str, list[Path]], list[str]]:
    """The folder's pictures by lowercased name (without suffix), and a warning for each
    other file in it but the spreadsheet itself: an SVG or TIFF there is not silently
    left out."""
    if folder is None or not folder.is_dir():
        return {}, []
    found: dict[str, list[Path]] = {}
    warnings: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in PICTURE_SUFFIXES:
            found.setdefault(path.stem.lower(), []).append(path)
        elif (
            not path.name.startswith(".")
            and path.name.lower() not in _FOLDER_NOISE
            and path.resolve() != spreadsheet.resolve()
            and not path.is_dir()
        ):
            warnings.append(
                QT_TRANSLATE_NOOP(
                    "ProductImport",
                    "{name}: not a picture the shop takes (JPEG, PNG, WebP, GIF or HEIC); "
                    "it is left out",
                ).format(name=path.name)
            )
    return found, warnings


class PictureChecks:
    """Each picture checked as the real import will check it, once however often used."""

    def __init__(self) -> None:
        self._seen: dict[Path, str | None] = {}

    def problem(self, path: Path) -> str | None:
        if path not in self._seen:
            try:
                check_image(path)
            except ImageRejected as error:
                self._seen[path] = message_of(error)
            else:
                self._seen[path] = None
        return self._seen[path]


def natural_order(path: Path) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.stem)]


def exists(path: Path) -> bool:
    """False also for a name the system refuses outright (too long, say): it is not there."""
    try:
        return path.exists()
    except OSError:
        return False
