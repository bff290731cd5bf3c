"""Restoring a shop from a backup archive or a snapshot (no Qt).

A restore never edits the live database in place. SQLite: the new database is assembled
and checked in a temporary file beside the live one and swapped in with one rename.
PostgreSQL: everything happens in one transaction. A snapshot of the current shop is
taken first, so a restore can itself be undone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.safety.archive import (
    DATABASE_NAME,
    MEDIA_DIR,
    ArchiveError,
    ArchiveInfo,
    RestoreResult,
    _build_schema,
    _check_revision,
    _copy_rows,
    _reflect,
    _rows_from_jsonl,
    _rows_from_sqlite,
    inspect_archive,
)
from moments_desk.core.safety.backup import (
    PRE_RESTORE,
    Progress,
    fsync_dir,
)
from moments_desk.core.safety.integrity import check_sqlite_file
from moments_desk.core.safety.snapshots import snapshot
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.engine import make_engine, sqlite_url


def _restore_media(
    archive: zipfile.ZipFile | None, info: ArchiveInfo, media_root: Path
) -> tuple[int, list[str]]:
    """Put back every picture the shop lacks, after checking its hash."""
    if archive is None:
        return 0, []  # a snapshot lists pictures; they never left the media folder
    names = set(archive.namelist())
    made: set[Path] = set()
    restored = 0
    missing: list[str] = []
    for entry in info.manifest.media:
        target = media_file_path(media_root, entry.rel_path)
        member = MEDIA_DIR + entry.rel_path
        if target.is_file():
            continue
        if member not in names:
            missing.append(entry.rel_path)
            continue
        data = archive.read(member)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            missing.append(entry.rel_path)
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        # Write-then-rename per picture, one sync for all of them below: per-file fsyncs
        # and mkstemp made restoring 2,000 pictures take over ten seconds.
        part = target.with_name(target.name + ".part")
        part.write_bytes(data)
        os.replace(part, target)
        restored += 1
    if restored and hasattr(os, "sync"):
        os.sync()  # before the database that refers to them is swapped in
    return restored, missing


def _extract_database(archive: zipfile.ZipFile | None, info: ArchiveInfo, dest: Path) -> None:
    if archive is None:
        shutil.copyfile(info.path, dest)
        return
    with archive.open(DATABASE_NAME) as src, open(dest, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _assemble_sqlite(
    archive: zipfile.ZipFile | None,
    info: ArchiveInfo,
    revision: str,
    work: Path,
    progress: Progress,
) -> Path:
    """A complete, checked database at this app's schema, in ``work``."""
    from moments_desk.db.migrate import upgrade_to_head

    assembled = work / "restored.sqlite3"
    if info.portable:
        assert archive is not None
        engine = make_engine(sqlite_url(assembled))
        try:
            with engine.begin() as conn:
                _build_schema(conn, revision)
                _copy_rows(_rows_from_jsonl(archive), conn, progress)
        finally:
            engine.dispose()
    else:
        _extract_database(archive, info, assembled)
    # Every page and index; foreign keys are left to `check --full`: the archive was made
    # from a working shop, and checking them doubled the time of a restore at 50k customers.
    report = check_sqlite_file(assembled, full=True, foreign_keys=False)
    if not report.ok:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name}: the database inside is damaged ({summary})"
            ).format(name=info.path.name, summary=report.summary)
        )
    engine = make_engine(sqlite_url(assembled))
    try:
        upgrade_to_head(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return assembled


def _swap_sqlite(assembled: Path, live: Path) -> None:
    """Replace the live database with one rename. The app's engine must be disposed."""
    import sqlite3

    if live.exists():
        # Fold the WAL into the file, then drop it: an old WAL beside a new file corrupts it.
        conn = sqlite3.connect(live)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError:
            pass  # a damaged live file: the safety snapshot already holds what was readable
        finally:
            conn.close()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    with open(assembled, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(assembled, live)
    fsync_dir(live.parent)


def _restore_postgres(
    archive: zipfile.ZipFile | None,
    info: ArchiveInfo,
    revision: str,
    engine: Engine,
    work: Path,
    progress: Progress,
) -> None:
    from alembic import command

    from moments_desk.db.migrate import alembic_config

    source: Engine | None = None
    if info.portable:
        assert archive is not None
        rows_of = _rows_from_jsonl(archive)
    else:
        copy = work / DATABASE_NAME
        _extract_database(archive, info, copy)
        if not check_sqlite_file(copy, full=True).ok:
            raise ArchiveError(
                QT_TRANSLATE_NOOP("Archive", "{name}: the database inside is damaged").format(
                    name=info.path.name
                )
            )
        source = make_engine(sqlite_url(copy))
        rows_of = _rows_from_sqlite(source)
    try:
        # DDL is transactional in PostgreSQL: a failure anywhere leaves the shop as it was.
        with engine.begin() as conn:
            _reflect(conn).drop_all(conn)
            _build_schema(conn, revision)
            _copy_rows(rows_of, conn, progress)
            command.upgrade(alembic_config(conn), "head")
    finally:
        if source is not None:
            source.dispose()


def restore_archive(
    path: Path,
    engine: Engine,
    media_root: Path,
    backups_dir: Path,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> RestoreResult:
    """Replace the shop with the archive's contents.

    A snapshot of the current shop is taken first. For SQLite, ``engine`` is disposed during
    the swap; the caller opens a new one afterwards (pooled connections would still see the
    old file).
    """
    info = inspect_archive(path)
    revision = _check_revision(info)
    report: Progress = progress or (lambda _d, _t: None)
    safety = snapshot(engine, backups_dir, PRE_RESTORE, now=now)
    with contextlib.ExitStack() as stack:
        archive = None if path.suffix.lower() == ".sqlite3" else zipfile.ZipFile(path)
        if archive is not None:
            stack.enter_context(archive)
        if engine.dialect.name == "sqlite":
            assert engine.url.database
            live = Path(engine.url.database)
            for stale in live.parent.glob(".restore-*"):  # left by a restore cut short
                shutil.rmtree(stale, ignore_errors=True)
            work = stack.enter_context(
                tempfile.TemporaryDirectory(dir=live.parent, prefix=".restore-")
            )
            assembled = _assemble_sqlite(archive, info, revision, Path(work), report)
            restored, missing = _restore_media(archive, info, media_root)
            engine.dispose()
            _swap_sqlite(assembled, live)
        else:
            work = stack.enter_context(tempfile.TemporaryDirectory(prefix="md-restore-"))
            _restore_postgres(archive, info, revision, engine, Path(work), report)
            restored, missing = _restore_media(archive, info, media_root)
    return RestoreResult(info, safety.path, restored, tuple(missing))


def restore_snapshot(snapshot_path: Path, live: Path, backups_dir: Path) -> Path | None:
    """Put a SQLite snapshot from ``backups/`` back in place of a (damaged) live database.

    The damaged file is kept in ``backups/`` rather than deleted. Returns where it went.
    """
    report = check_sqlite_file(snapshot_path, full=True)
    if not report.ok:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is damaged too ({summary})").format(
                name=snapshot_path.name, summary=report.summary
            )
        )
    kept = None
    if live.exists():
        kept = backups_dir / f"damaged-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.sqlite3"
        backups_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(live, kept)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{live}{suffix}")
            if side.exists():
                shutil.copy2(side, Path(f"{kept}{suffix}"))
    with tempfile.TemporaryDirectory(dir=live.parent, prefix=".restore-") as work:
        copy = Path(work) / "restored.sqlite3"
        shutil.copy2(snapshot_path, copy)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        with open(copy, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(copy, live)
        fsync_dir(live.parent)
    return kept
