"""Backup and restore at scale: the big shop plus 2,000 small JPEG pictures.

Baselines, measured in the same run on the same files:
- snapshot: SQLite's backup API copying the whole file in one step (no manifest, no fsync);
- archive: zipfile writing the same database copy and pictures (no hashing, no manifest);
- restore: unzipping that archive (no checks, no migration, no swap);
- start-up quick_check and the automatic backup's change fingerprint have no baseline.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from sqlalchemy import insert

from bench.common import Result, median_ms
from moments_desk.core.pictures.media import store_image
from moments_desk.core.safety.archive import create_archive
from moments_desk.core.safety.backup import fingerprint
from moments_desk.core.safety.integrity import check_sqlite_file
from moments_desk.core.safety.restore import restore_archive
from moments_desk.core.safety.snapshots import snapshot
from moments_desk.db.engine import DB_FILENAME, make_engine, sqlite_url
from moments_desk.db.models import MediaFile


def add_pictures(folder: Path, count: int) -> int:
    """``count`` distinct 480×480 JPEGs stored and registered like imported pictures."""
    engine = make_engine(sqlite_url(folder / DB_FILENAME))
    media = folder / "media"
    rows = []
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as work:
        for n in range(count):
            source = Path(work) / f"photo-{n}.jpg"
            image = Image.new("RGB", (480, 480), ((n * 7) % 256, (n * 13) % 256, n % 256))
            image.paste((255, 255, 255), (n % 400, 40, n % 400 + 80, 120))
            image.save(source, "JPEG", quality=85)
            stored = store_image(source, media)
            rows.append(
                {
                    "sha256": stored.sha256,
                    "rel_path": stored.rel_path,
                    "original_name": stored.original_name,
                    "width": stored.width,
                    "height": stored.height,
                    "format": stored.format,
                    "size_bytes": stored.size_bytes,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    with engine.begin() as conn:
        conn.execute(insert(MediaFile), rows)
    engine.dispose()
    return sum(r["size_bytes"] for r in rows)  # type: ignore[misc]


def run(shop: Path, pictures: int, repeat: int) -> list[Result]:
    repeat = max(1, min(repeat, 3))
    results: list[Result] = []
    with tempfile.TemporaryDirectory(dir=shop.parent) as folder:
        data = Path(folder) / "shop"
        data.mkdir()
        shutil.copy(shop / DB_FILENAME, data / DB_FILENAME)
        picture_bytes = add_pictures(data, pictures)
        db_bytes = (data / DB_FILENAME).stat().st_size
        engine = make_engine(sqlite_url(data / DB_FILENAME))
        backups = Path(folder) / "backups"
        note = f"db {db_bytes / 1e6:.0f} MB, {pictures:,} pictures {picture_bytes / 1e6:.0f} MB"

        def raw_copy() -> None:
            src = sqlite3.connect(data / DB_FILENAME)
            dst = sqlite3.connect(Path(folder) / "raw-copy.sqlite3")
            src.backup(dst)
            dst.close()
            src.close()

        raw_ms = median_ms(raw_copy, repeat)
        snap_ms = median_ms(lambda: snapshot(engine, backups), repeat)
        results.append(
            Result(
                "automatic snapshot (db + manifest)", snap_ms, "sqlite3 backup API", raw_ms, note
            )
        )

        archive = Path(folder) / "backup.zip"
        plain = Path(folder) / "plain.zip"

        def plain_zip() -> None:
            with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as out:
                out.write(Path(folder) / "raw-copy.sqlite3", "database.sqlite3")
                for path in sorted((data / "media").rglob("*.jpg")):
                    out.write(path, f"media/{path.name}", zipfile.ZIP_STORED)

        zip_ms = median_ms(plain_zip, repeat)
        archive_ms = median_ms(lambda: create_archive(engine, data / "media", archive), repeat)
        size = archive.stat().st_size / 1e6
        results.append(
            Result(
                "back up to .zip (db + pictures)",
                archive_ms,
                "zipfile, same files",
                zip_ms,
                f"{size:.0f} MB archive",
            )
        )

        def unzip() -> None:
            target = Path(folder) / "unzipped"
            shutil.rmtree(target, ignore_errors=True)
            with zipfile.ZipFile(plain) as src:
                src.extractall(target)

        unzip_ms = median_ms(unzip, repeat)

        def restore() -> None:
            shutil.rmtree(data / "media", ignore_errors=True)  # every picture comes back
            restore_archive(archive, engine, data / "media", backups)

        restore_ms = median_ms(restore, repeat)
        results.append(
            Result(
                "restore from .zip (check, migrate, swap)",
                restore_ms,
                "unzip same files",
                unzip_ms,
                "pictures restored too",
            )
        )

        started = time.perf_counter()
        ok = check_sqlite_file(data / DB_FILENAME).ok
        quick_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        ok = ok and check_sqlite_file(data / DB_FILENAME, full=True).ok
        full_ms = (time.perf_counter() - started) * 1000
        assert ok, "the restored shop must pass its checks"
        results.append(Result("quick_check at start", quick_ms))
        results.append(Result("full integrity_check + foreign keys", full_ms))
        with engine.connect() as conn:
            results.append(
                Result(
                    "change fingerprint (auto-backup decision)",
                    median_ms(lambda: fingerprint(conn), repeat),
                )
            )
        engine.dispose()
    return results
