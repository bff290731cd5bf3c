"""Building hostile backups from a real one: a shop, its archive, and ways to bend them.

A ``Live`` shop sits in ``<tmp>/home/shop`` so that anything a restore writes outside the
data folder lands somewhere a test can look (``<tmp>/home``, ``<tmp>``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from moments_desk.core.safety.backup import fingerprint
from moments_desk.db.engine import DB_FILENAME, make_engine, sqlite_url

#: (zip entry, bytes, compression, unix mode or None for a plain file)
Entry = tuple[str, bytes, int, int | None]


@dataclass
class Live:
    """The shop a hostile backup is restored into."""

    root: Path  # the test's tmp_path: everything outside ``data`` must stay as it was
    data: Path
    engine: Engine

    @property
    def media(self) -> Path:
        return self.data / "media"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def database(self) -> Path:
        return self.data / DB_FILENAME

    def state(self) -> str:
        with self.engine.connect() as conn:
            return fingerprint(conn)


def copy_shop(template: Path, root: Path) -> Live:
    data = root / "home" / "shop"
    shutil.copytree(template, data)
    return Live(root, data, make_engine(sqlite_url(data / DB_FILENAME)))


def files_under(root: Path, *, skip: Path | None = None) -> dict[str, int]:
    """Every file (and link) below ``root`` with its size, except inside ``skip``."""
    found: dict[str, int] = {}
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        if skip is not None and (here == skip or skip in here.parents):
            dirs.clear()
            continue
        for name in names + [d for d in dirs if (here / d).is_symlink()]:
            path = here / name
            found[str(path.relative_to(root))] = path.lstat().st_size
    return found


def read_members(archive: Path) -> list[Entry]:
    with zipfile.ZipFile(archive) as src:
        return [(i.filename, src.read(i), i.compress_type, None) for i in src.infolist()]


def write_zip(path: Path, entries: list[Entry]) -> Path:
    with zipfile.ZipFile(path, "w") as out:
        for name, data, compression, mode in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 22, 10, 0, 0))
            info.compress_type = compression
            if mode is not None:
                info.create_system = 3  # unix, so external_attr carries the file type
                info.external_attr = mode << 16
            out.writestr(info, data)
    return path


def manifest_of(entries: list[Entry]) -> dict[str, Any]:
    [raw] = [data for name, data, _, _ in entries if name == "backup.json"]
    parsed: dict[str, Any] = json.loads(raw)
    return parsed


def replace_member(entries: list[Entry], name: str, data: bytes) -> list[Entry]:
    return [(n, data if n == name else d, c, m) for n, d, c, m in entries]


def with_manifest(entries: list[Entry], change: Callable[[dict[str, Any]], None]) -> list[Entry]:
    manifest = manifest_of(entries)
    change(manifest)
    return replace_member(entries, "backup.json", json.dumps(manifest).encode())


def add_picture(
    entries: list[Entry], rel_path: str, data: bytes, member: str | None = None
) -> list[Entry]:
    """A picture listed in the manifest (with its true hash and size) and stored in the zip."""

    def listed(manifest: dict[str, Any]) -> None:
        manifest["media"].append(
            {
                "rel_path": rel_path,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size_bytes": len(data),
            }
        )

    changed = with_manifest(entries, listed)
    return [*changed, (member or f"media/{rel_path}", data, zipfile.ZIP_DEFLATED, None)]


def patch_declared_size(path: Path, name: str, size: int) -> None:
    """Make both zip headers of ``name`` claim ``size`` uncompressed bytes (the data stays)."""
    raw = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, size_at, name_len_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        start = 0
        while (found := raw.find(signature, start)) >= 0:
            start = found + 4
            (length,) = struct.unpack_from("<H", raw, found + name_len_at)
            if raw[found + name_at : found + name_at + length] == encoded:
                struct.pack_into("<I", raw, found + size_at, size)
    path.write_bytes(bytes(raw))


def flip_byte_in_member(path: Path, name: str, offset: int = 100) -> None:
    """Damage the stored bytes of ``name`` without touching its headers (a CRC error)."""
    with zipfile.ZipFile(path) as src:
        info = src.getinfo(name)
    raw = bytearray(path.read_bytes())
    (name_len, extra_len) = struct.unpack_from("<HH", raw, info.header_offset + 26)
    data_at = info.header_offset + 30 + name_len + extra_len
    raw[data_at + min(offset, info.compress_size - 1)] ^= 0xFF
    path.write_bytes(bytes(raw))


def alter_database(entries: list[Entry], work: Path, sql: list[str]) -> list[Entry]:
    """The archive with its ``database.sqlite3`` changed by ``sql``."""
    [db_bytes] = [d for n, d, _, _ in entries if n == "database.sqlite3"]
    copy = work / "altered.sqlite3"
    copy.unlink(missing_ok=True)
    copy.write_bytes(db_bytes)
    conn = sqlite3.connect(copy)
    try:
        for statement in sql:
            conn.execute(statement)
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()
    return replace_member(entries, "database.sqlite3", copy.read_bytes())


def foreign_sqlite(path: Path) -> Path:
    """Another program's database: a notes app."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('shopping list')")
        conn.commit()
    finally:
        conn.close()
    return path


def customer_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM customer")).scalar_one())
