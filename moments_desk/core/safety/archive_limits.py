"""What a backup archive may hold, checked from its zip headers before anything is written.

Every entry: a safe name (see ``archive_paths``), a plain file or folder (no links, devices
or encrypted entries), a compression zipfile reads without surprises, a declared size under
the cap for its kind. The manifest is size-capped before it is parsed; every picture it lists
has a safe path and the same size in the zip headers as in the manifest. Reading afterwards
goes through ``copy_entry``, which streams and stops at the first byte past the declared
size, so a header that lies cannot make an entry grow.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Protocol

from moments_desk.core.pictures.media import MAX_FILE_BYTES
from moments_desk.core.safety.archive_paths import is_safe_name, printable, unsafe_name
from moments_desk.core.safety.backup import Manifest
from moments_desk.core.safety.errors import ArchiveError
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

MANIFEST_NAME = "backup.json"
DATABASE_NAME = "database.sqlite3"
TABLES_DIR = "tables/"
MEDIA_DIR = "media/"

_MB = 1024 * 1024
#: ~80,000 pictures' worth of description; parsing it costs about ten times this in memory.
MAX_MANIFEST_BYTES = 16 * _MB
#: Forty times the 50,000-customer benchmark shop (92 MB).
MAX_DATABASE_BYTES = 4096 * _MB
#: A database or table file over ``_RATIO_FLOOR`` that deflates better than this is a bomb:
#: real shops deflate about 3:1, zeros about 1000:1.
MAX_RATIO = 100
_RATIO_FLOOR = 64 * _MB
#: All of tables/*.jsonl together (JSON is about twice the size of the SQLite file).
MAX_TABLES_BYTES = 2 * MAX_DATABASE_BYTES
#: The importers' limit for one picture.
MAX_PICTURE_BYTES = MAX_FILE_BYTES
MAX_ENTRIES = 200_000
#: One row of tables/*.jsonl: long notes fit, a line without end does not.
MAX_LINE_BYTES = 16 * _MB
_CHUNK = 1 << 20
_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
#: Windows' FILE_ATTRIBUTE_REPARSE_POINT: a link or junction made on Windows.
_REPARSE_POINT = 0x400
#: Errors from reading damaged compressed data, as zipfile and zlib raise them.
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


@dataclass(frozen=True)
class ArchiveContents:
    """The checked headers of an archive: what a restore may read, and nothing else."""

    manifest: Manifest
    database: zipfile.ZipInfo | None
    tables: dict[str, zipfile.ZipInfo]  # entry name → entry
    pictures: dict[str, zipfile.ZipInfo]  # the manifest's rel_path → its media/ entry
    unpacked_bytes: int  # everything a restore may write, by the headers

    @property
    def portable(self) -> bool:
        return self.database is None


def too_large(archive_name: str, entry: str, size: int, limit: int) -> ArchiveError:
    return ArchiveError(
        QT_TRANSLATE_NOOP(
            "Archive", "{name} is refused: {entry} is too large ({size} MB; at most {limit} MB)"
        ).format(
            name=archive_name,
            entry=printable(entry),
            size=f"{size / _MB:,.1f}",
            limit=f"{limit // _MB:,}",
        )
    )


def _bomb(archive_name: str, info: zipfile.ZipInfo) -> ArchiveError:
    return ArchiveError(
        QT_TRANSLATE_NOOP(
            "Archive",
            "{name} is refused: {entry} is too large for its compressed size "
            "({size} MB from {packed} MB)",
        ).format(
            name=archive_name,
            entry=printable(info.filename),
            size=f"{info.file_size / _MB:,.1f}",
            packed=f"{info.compress_size / _MB:,.1f}",
        )
    )


def damaged(archive_name: str, entry: str, detail: str) -> ArchiveError:
    return ArchiveError(
        QT_TRANSLATE_NOOP("Archive", "{name} is refused: {entry} is damaged ({detail})").format(
            name=archive_name, entry=printable(entry), detail=detail
        )
    )


def _check_entry(info: zipfile.ZipInfo, archive_name: str) -> None:
    entry = info.filename
    name = entry[:-1] if info.is_dir() else entry
    if not is_safe_name(name):
        raise unsafe_name(archive_name, entry)
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
    if kind == stat.S_IFLNK or (info.create_system == 0 and info.external_attr & _REPARSE_POINT):
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} is refused: “{entry}” is a link, not a file"
            ).format(name=archive_name, entry=printable(entry))
        )
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} is refused: “{entry}” is a device or pipe, not a file"
            ).format(name=archive_name, entry=printable(entry))
        )
    if info.flag_bits & 0x1:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} is refused: “{entry}” is encrypted with a password"
            ).format(name=archive_name, entry=printable(entry))
        )
    if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _bomb(archive_name, info)
    if info.compress_type not in _READABLE:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive",
                "{name} is refused: “{entry}” is compressed in a way Moments Desk does not read",
            ).format(name=archive_name, entry=printable(entry))
        )


def read_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, archive_name: str, limit: int
) -> bytes:
    """A small entry's bytes, read no further than ``limit`` and its declared size."""
    if info.file_size > limit:
        raise too_large(archive_name, info.filename, info.file_size, limit)
    buffer = io.BytesIO()
    copy_entry(archive, info, buffer, archive_name)
    return buffer.getvalue()


def copy_entry(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: IO[bytes],
    archive_name: str,
    digest: Digest | None = None,
) -> int:
    """Stream an entry into ``target`` (and ``digest``); refuse it as damaged when it grows
    past its declared size or its bytes fail their CRC. Returns the bytes copied."""
    copied = 0
    try:
        with archive.open(info) as source:
            while block := source.read(_CHUNK):
                copied += len(block)
                if copied > info.file_size:
                    raise damaged(
                        archive_name,
                        info.filename,
                        QT_TRANSLATE_NOOP("Archive", "it is larger than its zip header says"),
                    )
                if digest is not None:
                    digest.update(block)
                target.write(block)
    except DAMAGE as error:
        detail = (
            QT_TRANSLATE_NOOP("Archive", "its bytes fail their checksum")
            if "CRC" in str(error)
            else QT_TRANSLATE_NOOP("Archive", "its compressed bytes are broken")
        )
        raise damaged(archive_name, info.filename, detail) from error
    if copied != info.file_size:
        raise damaged(
            archive_name,
            info.filename,
            QT_TRANSLATE_NOOP("Archive", "it is shorter than its zip header says"),
        )
    return copied


def bounded_lines(handle: IO[bytes], archive_name: str, entry: str) -> Iterator[bytes]:
    """The lines of a JSON-lines entry, refusing one longer than ``MAX_LINE_BYTES``."""
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES:
            raise too_large(archive_name, entry, len(line), MAX_LINE_BYTES)
        yield line


def _manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, archive_name: str) -> Manifest:
    raw = read_entry(archive, info, archive_name, MAX_MANIFEST_BYTES)
    try:
        return Manifest.from_json(raw.decode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name}: the backup description is unreadable").format(
                name=archive_name
            )
        ) from error


def _check_pictures(manifest: Manifest, archive_name: str) -> None:
    if len(manifest.media) > MAX_ENTRIES:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is refused: it lists too many pictures").format(
                name=archive_name
            )
        )
    seen: set[str] = set()
    for entry in manifest.media:
        rel, digest, size = entry.rel_path, entry.sha256, entry.size_bytes
        well_formed = (
            isinstance(rel, str)
            and isinstance(digest, str)
            and len(digest) == 64
            and all(c in "0123456789abcdef" for c in digest)
            and isinstance(size, int)
            and not isinstance(size, bool)
            and size >= 0
        )
        if not well_formed:
            raise ArchiveError(
                QT_TRANSLATE_NOOP("Archive", "{name}: the backup description is unreadable").format(
                    name=archive_name
                )
            )
        if not is_safe_name(rel):
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "Archive",
                    "{name} is refused: the picture path “{entry}” in backup.json is unsafe "
                    "(it could write outside the media folder)",
                ).format(name=archive_name, entry=printable(rel))
            )
        if size > MAX_PICTURE_BYTES:
            raise too_large(archive_name, MEDIA_DIR + rel, size, MAX_PICTURE_BYTES)
        if rel.casefold() in seen:
            raise ArchiveError(
                QT_TRANSLATE_NOOP("Archive", "{name} is refused: “{entry}” appears twice").format(
                    name=archive_name, entry=printable(MEDIA_DIR + rel)
                )
            )
        seen.add(rel.casefold())


def scan_archive(archive: zipfile.ZipFile, archive_name: str) -> ArchiveContents:
    """Check every header and the manifest; raise ArchiveError at the first problem."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is refused: it holds too many files").format(
                name=archive_name
            )
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_entry(info, archive_name)
        key = info.filename.rstrip("/").casefold()
        if key in by_name:
            raise ArchiveError(
                QT_TRANSLATE_NOOP("Archive", "{name} is refused: “{entry}” appears twice").format(
                    name=archive_name, entry=printable(info.filename)
                )
            )
        by_name[key] = info
    manifest_info = by_name.get(MANIFEST_NAME)
    if manifest_info is None:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} is not a Moments Desk backup (no {MANIFEST_NAME})"
            ).format(name=archive_name, MANIFEST_NAME=MANIFEST_NAME)
        )
    manifest = _manifest(archive, manifest_info, archive_name)
    _check_pictures(manifest, archive_name)

    files = [i for i in infos if not i.is_dir()]
    database = next((i for i in files if i.filename == DATABASE_NAME), None)
    if database is not None and database.file_size > MAX_DATABASE_BYTES:
        raise too_large(archive_name, DATABASE_NAME, database.file_size, MAX_DATABASE_BYTES)
    tables = {
        i.filename: i
        for i in files
        if i.filename.startswith(TABLES_DIR) and i.filename.endswith(".jsonl")
    }
    table_bytes = sum(i.file_size for i in tables.values())
    if database is None and table_bytes > MAX_TABLES_BYTES:
        raise too_large(archive_name, TABLES_DIR, table_bytes, MAX_TABLES_BYTES)
    if database is None and not tables:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} holds no database").format(name=archive_name)
        )
    listed = {entry.rel_path: entry for entry in manifest.media}
    pictures: dict[str, zipfile.ZipInfo] = {}
    for info in files:
        if not info.filename.startswith(MEDIA_DIR):
            continue
        rel = info.filename[len(MEDIA_DIR) :]
        entry = listed.get(rel)
        if entry is None:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "Archive", "{name} is refused: {entry} is not listed in backup.json"
                ).format(name=archive_name, entry=printable(info.filename))
            )
        if info.file_size > MAX_PICTURE_BYTES:
            raise too_large(archive_name, info.filename, info.file_size, MAX_PICTURE_BYTES)
        if info.file_size != entry.size_bytes:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "Archive",
                    "{name} is refused: the size of {entry} ({size} bytes) differs from "
                    "backup.json ({listed} bytes)",
                ).format(
                    name=archive_name,
                    entry=printable(info.filename),
                    size=info.file_size,
                    listed=entry.size_bytes,
                )
            )
        pictures[rel] = info
    unpacked = (database.file_size if database else table_bytes) + sum(
        i.file_size for i in pictures.values()
    )
    return ArchiveContents(manifest, database, tables, pictures, unpacked)
