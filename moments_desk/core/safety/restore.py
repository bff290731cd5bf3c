"""Restoring a backup: read and check everything in a staging folder, then swap (no Qt).

A restore never edits the live database in place. SQLite: the new database is assembled
and checked in a staging folder beside the live one and swapped in with one rename; the
pictures are checked there too and moved into the media folder just before. PostgreSQL:
everything happens in one transaction. Anything hostile is refused before the first write
to the shop (see ``archive_limits``, ``archive_paths``, ``schema_check``, ``restore_steps``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from moments_desk.core.safety.archive import (
    ArchiveInfo,
    build_schema,
    check_revision,
    copy_rows,
    inspect_snapshot,
    open_zip,
    reflect,
    rows_from_jsonl,
    rows_from_sqlite,
)
from moments_desk.core.safety.archive_limits import DAMAGE, DATABASE_NAME, ArchiveContents
from moments_desk.core.safety.backup import PRE_RESTORE, Progress, fsync_dir
from moments_desk.core.safety.errors import ArchiveError
from moments_desk.core.safety.integrity import check_sqlite_file
from moments_desk.core.safety.restore_record import audit_before, record_restore
from moments_desk.core.safety.restore_steps import (
    StagedPictures,
    extract_database,
    place_pictures,
    stage_pictures,
)
from moments_desk.core.safety.schema_check import check_database_file
from moments_desk.core.safety.snapshots import snapshot
from moments_desk.core.safety.temp_files import PREFIX, sweep
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.team.permissions import Action, require_owner
from moments_desk.db.engine import make_engine, sqlite_url


@dataclass(frozen=True)
class RestoreResult:
    info: ArchiveInfo
    safety_copy: Path | None  # the snapshot of the shop as it was before the restore
    media_restored: int
    media_missing: tuple[str, ...]


#: What reading a hostile archive can raise besides ArchiveError: damaged zip data, JSON
#: that is not what we wrote, rows the database refuses.
_UNREADABLE = (
    *DAMAGE,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    RecursionError,
    SQLAlchemyError,
)


def _unreadable(name: str, error: BaseException) -> ArchiveError:
    detail = (
        str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
    )
    return ArchiveError(
        QT_TRANSLATE_NOOP("Archive", "{name}: the database inside is damaged ({summary})").format(
            name=name, summary=detail
        )
    )


def _assemble_sqlite(
    archive: zipfile.ZipFile | None,
    contents: ArchiveContents | None,
    info: ArchiveInfo,
    revision: str,
    work: Path,
    progress: Progress,
) -> Path:
    """A complete, checked database at this app's schema, in ``work``."""
    from moments_desk.db.migrate import upgrade_to_head

    name = info.path.name
    assembled = work / "restored.sqlite3"
    if archive is None:
        shutil.copyfile(info.path, assembled)
    elif contents is not None and contents.database is None:
        engine = make_engine(sqlite_url(assembled))
        try:
            with engine.begin() as conn:
                build_schema(conn, revision)
                copy_rows(rows_from_jsonl(archive, contents, name), conn, progress)
        finally:
            engine.dispose()
    else:
        assert contents is not None and contents.database is not None
        extract_database(archive, contents.database, assembled, name)
    # Every page and index; foreign keys are left to `check --full`: the archive was made
    # from a working shop, and checking them doubled the time of a restore at 50k customers.
    report = check_sqlite_file(assembled, full=True, foreign_keys=False)
    if not report.ok:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name}: the database inside is damaged ({summary})"
            ).format(name=name, summary=report.summary)
        )
    check_database_file(assembled, name)  # ours, complete at its revision, paths inside
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
    contents: ArchiveContents | None,
    info: ArchiveInfo,
    revision: str,
    engine: Engine,
    work: Path,
    progress: Progress,
    user_id: int | None,
    now: datetime | None,
) -> None:
    from alembic import command

    from moments_desk.db.migrate import alembic_config

    source: Engine | None = None
    if archive is not None and contents is not None and contents.database is None:
        rows_of = rows_from_jsonl(archive, contents, info.path.name)
    else:
        copy = work / DATABASE_NAME
        if archive is None:
            shutil.copyfile(info.path, copy)
        else:
            assert contents is not None and contents.database is not None
            extract_database(archive, contents.database, copy, info.path.name)
        if not check_sqlite_file(copy, full=True).ok:
            raise ArchiveError(
                QT_TRANSLATE_NOOP("Archive", "{name}: the database inside is damaged").format(
                    name=info.path.name
                )
            )
        revision = check_database_file(copy, info.path.name)
        source = make_engine(sqlite_url(copy))
        rows_of = rows_from_sqlite(source)
    try:
        # DDL is transactional in PostgreSQL: a failure anywhere leaves the shop as it was.
        with engine.begin() as conn:
            before = audit_before(conn)
            reflect(conn).drop_all(conn)
            build_schema(conn, revision)
            copy_rows(rows_of, conn, progress)
            command.upgrade(alembic_config(conn), "head")
            record_restore(
                conn,
                before,
                name=info.path.name,
                backup_made=info.manifest.created_at,
                user_id=user_id,
                now=now or datetime.now(UTC),
            )
    finally:
        if source is not None:
            source.dispose()


def _record_in_sqlite(
    live: Engine, assembled: Path, info: ArchiveInfo, user_id: int | None, now: datetime
) -> None:
    """The SQLite swap's counterpart of the PostgreSQL transaction's record: the live shop's
    newer audit rows and the restore entry go into the assembled file before it moves."""
    try:
        with live.connect() as conn:
            before = audit_before(conn)
    except SQLAlchemyError:  # a damaged shop being replaced: its log is in the safety copy
        before = []
    target = make_engine(sqlite_url(assembled))
    try:
        with target.begin() as conn:
            record_restore(
                conn,
                before,
                name=info.path.name,
                backup_made=info.manifest.created_at,
                user_id=user_id,
                now=now,
            )
        with target.connect() as conn:  # only the main file is swapped in
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        target.dispose()


def _check_free_space(folder: Path, needed: int, name: str) -> None:
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} needs {needed} MB of free disk space; {free} MB are free"
            ).format(name=name, needed=f"{needed / 2**20:,.0f}", free=f"{free / 2**20:,.0f}")
        )


def restore_archive(
    path: Path,
    engine: Engine,
    media_root: Path,
    backups_dir: Path,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
    by: int | None = None,
) -> RestoreResult:
    """Replace the shop with the archive's contents.

    Everything is read, written and checked in a staging folder first; only then is a
    snapshot of the current shop taken, the pictures moved into place and the database
    swapped. A refused archive leaves nothing behind. For SQLite, ``engine`` is disposed
    during the swap; the caller opens a new one afterwards (pooled connections would still
    see the old file).
    """
    with Session(engine) as session:
        # ``by``: the acting profile; an assistant is refused before anything is read.
        require_owner(session, by, Action.RESTORE_BACKUP, "backup")
    report: Progress = progress or (lambda _d, _t: None)
    sqlite_shop = engine.dialect.name == "sqlite"
    live = Path(str(engine.url.database)) if sqlite_shop else None
    data_dir = live.parent if live is not None else media_root.parent
    with contextlib.ExitStack() as stack:
        archive: zipfile.ZipFile | None = None
        contents: ArchiveContents | None = None
        if path.suffix.lower() == ".sqlite3":
            info = inspect_snapshot(path)
            needed = path.stat().st_size
        else:
            archive, contents = open_zip(path)
            stack.enter_context(archive)
            info = ArchiveInfo(path, contents.manifest, contents.portable, len(contents.pictures))
            needed = contents.unpacked_bytes
        revision = check_revision(info)
        _check_free_space(
            data_dir, needed + (live.stat().st_size if live and live.exists() else 0), path.name
        )
        sweep(data_dir)  # what a restore cut short left
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=data_dir, prefix=PREFIX)))
        try:
            if live is not None:
                assembled = _assemble_sqlite(archive, contents, info, revision, work, report)
            staged = StagedPictures([], [])
            if archive is not None and contents is not None:
                staged = stage_pictures(
                    archive, contents, info.manifest, media_root, work, path.name
                )
        except _UNREADABLE as error:
            raise _unreadable(path.name, error) from error
        safety = snapshot(engine, backups_dir, PRE_RESTORE, now=now)
        if live is None:
            try:  # one transaction: a failure leaves the shop as it was
                _restore_postgres(archive, contents, info, revision, engine, work, report, by, now)
            except _UNREADABLE as error:
                raise _unreadable(path.name, error) from error
        else:
            _record_in_sqlite(engine, assembled, info, by, now or datetime.now(UTC))
        place_pictures(staged.moves)
        if live is not None:
            engine.dispose()
            _swap_sqlite(assembled, live)
    return RestoreResult(info, safety.path, len(staged.moves), tuple(staged.missing))


def restore_snapshot(snapshot_path: Path, live: Path, backups_dir: Path) -> Path | None:
    """Put a SQLite snapshot back in place of a (damaged) live database.

    The snapshot must be a complete Moments Desk database (any known revision: the next
    start migrates it). The damaged file is kept in ``backups/`` rather than deleted.
    Returns where it went.
    """
    check_database_file(snapshot_path, snapshot_path.name)
    report = check_sqlite_file(snapshot_path, full=True, read_only=True)
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
    sweep(live.parent)
    with tempfile.TemporaryDirectory(dir=live.parent, prefix=PREFIX) as work:
        copy = Path(work) / "restored.sqlite3"
        shutil.copy2(snapshot_path, copy)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        with open(copy, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(copy, live)
        fsync_dir(live.parent)
    return kept
