"""The steps of a restore that read from the archive, each refusing hostile content (no Qt).

Everything is written into a staging folder (``.moments-desk-tmp-restore-…`` in the data
folder) and checked there; the caller moves it into place only once every step has passed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from moments_desk.core.pictures.media import ImageRejected, check_image
from moments_desk.core.safety.archive_limits import (
    MEDIA_DIR,
    ArchiveContents,
    copy_entry,
)
from moments_desk.core.safety.archive_paths import path_inside, printable
from moments_desk.core.safety.backup import Manifest
from moments_desk.core.safety.errors import ArchiveError
from moments_desk.core.safety.schema_check import SQLITE_HEADER, not_a_database
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg, message_of

_HEADER_BYTES = 100


class _CheckedHeader:
    """A file writer that refuses a database whose first 100 bytes are not a SQLite header
    matching the declared size, before the rest of it is written."""

    def __init__(self, target: IO[bytes], declared: int, name: str) -> None:
        self.target = target
        self.declared = declared
        self.name = name
        self.head = b""

    def write(self, block: bytes) -> int:
        if len(self.head) < _HEADER_BYTES:
            self.head += block[: _HEADER_BYTES - len(self.head)]
            if len(self.head) == _HEADER_BYTES:
                self._check()
        return self.target.write(block)

    def _check(self) -> None:
        head = self.head
        if not head.startswith(SQLITE_HEADER):
            raise not_a_database(self.name)
        (page_size,) = struct.unpack_from(">H", head, 16)
        page_size = 65536 if page_size == 1 else page_size
        changes, pages = struct.unpack_from(">II", head, 24)
        (valid_for,) = struct.unpack_from(">I", head, 92)
        sound = page_size >= 512 and page_size & (page_size - 1) == 0
        if sound and changes == valid_for:  # the page count in the header is current
            sound = pages * page_size == self.declared
        elif sound:
            sound = self.declared % page_size == 0
        if not sound:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "Archive",
                    "{name} is refused: the database inside does not match its own header",
                ).format(name=self.name)
            )


def extract_database(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, name: str
) -> None:
    """Stream the archive's database to ``dest``, its header checked before the rest."""
    with open(dest, "wb") as handle:
        checked = _CheckedHeader(handle, info.file_size, name)
        copy_entry(archive, info, checked, name)  # type: ignore[arg-type]
        if len(checked.head) < _HEADER_BYTES:
            raise not_a_database(name)


@dataclass(frozen=True)
class StagedPictures:
    moves: list[tuple[Path, Path]]  # (checked file in the staging folder, where it goes)
    missing: list[str]


def _checked(staged: Path, member: str, name: str) -> None:
    try:
        check_image(staged, Path(member))
    except ImageRejected as error:
        said = message_of(error)
        # The importer's sentence names the file; here the entry is named already.
        reason = said.params.get("message", said) if isinstance(said, Msg) else said
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive",
                "{name} is refused: {entry} is not a picture Moments Desk can use ({reason})",
            ).format(name=name, entry=printable(member), reason=reason)
        ) from error


def stage_pictures(
    archive: zipfile.ZipFile,
    contents: ArchiveContents,
    manifest: Manifest,
    media_root: Path,
    staging: Path,
    name: str,
) -> StagedPictures:
    """Copy every picture the shop lacks into ``staging``, checking its size, hash and that
    it is a picture the importers would take.

    The zip is read in order on this thread; the pictures are decoded on a few others while
    it goes on (Pillow decodes without the GIL), which keeps a restore of thousands of
    pictures close to the time of unzipping them.
    """
    targets = [(e, path_inside(media_root, e.rel_path, name)) for e in manifest.media]
    moves: list[tuple[Path, Path]] = []
    missing: list[str] = []
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers, thread_name_prefix="picture-check") as pool:
        checks: list[Future[None]] = []
        try:
            for index, (entry, target) in enumerate(targets):
                if target.is_file():
                    continue  # content-addressed: the same name holds the same picture
                info = contents.pictures.get(entry.rel_path)
                if info is None:
                    missing.append(entry.rel_path)
                    continue
                staged = staging / f"picture-{index}"
                digest = hashlib.sha256()
                with open(staged, "wb") as handle:
                    copy_entry(archive, info, handle, name, digest)
                member = MEDIA_DIR + entry.rel_path
                if digest.hexdigest() != entry.sha256:
                    raise ArchiveError(
                        QT_TRANSLATE_NOOP(
                            "Archive",
                            "{name} is refused: {entry} does not match its description in "
                            "backup.json",
                        ).format(name=name, entry=printable(member))
                    )
                checks.append(pool.submit(_checked, staged, member, name))
                moves.append((staged, target))
            for check in checks:
                check.result()  # the first refused picture, in archive order
        finally:
            for check in checks:
                check.cancel()
    return StagedPictures(moves, missing)


def place_pictures(moves: list[tuple[Path, Path]]) -> None:
    """Move checked pictures into the media folder, then one sync for all of them."""
    made: set[Path] = set()
    for staged, target in moves:
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.replace(staged, target)
        except OSError:
            shutil.move(staged, target)  # the staging folder is on another disk
    if moves and hasattr(os, "sync"):
        os.sync()  # before the database that refers to them is swapped in
