"""Backup archives: one .zip holding the database, the pictures and a manifest (no Qt).

Layout of an archive::

    backup.json            the manifest: date, app version, schema revision, row counts,
                           every picture with the SHA-256 of its bytes
    database.sqlite3       the database, when the shop runs on SQLite
    tables/<name>.jsonl    or every table as JSON lines (PostgreSQL shops; portable)
    media/<rel_path>       the pictures

Either form restores into SQLite or PostgreSQL: rows are read through SQLAlchemy Core from
the archived SQLite file or from the JSON lines, loaded into a database built by the
migrations at the archive's schema revision, then migrated to this version's schema.

A restore never edits the live database in place. SQLite: the new database is assembled
and checked in a temporary file beside the live one and swapped in with one rename.
PostgreSQL: everything happens in one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, MetaData, Table, bindparam, insert, text, update

from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.safety.backup import (
    MANUAL,
    PRE_RESTORE,
    Manifest,
    MediaEntry,
    Progress,
    copy_sqlite,
    describe,
    fsync_dir,
    snapshot,
    write_atomically,
)
from moments_desk.core.safety.integrity import check_sqlite_file
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.engine import make_engine, sqlite_url

MANIFEST_NAME = "backup.json"
DATABASE_NAME = "database.sqlite3"
TABLES_DIR = "tables/"
MEDIA_DIR = "media/"
_BATCH = 2000


class ArchiveError(Exception):
    """The file is not a usable backup; ``str()`` says why in the seller's terms."""


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    manifest: Manifest
    portable: bool  # tables as JSON lines rather than a SQLite file
    media_in_archive: int

    @property
    def created_at(self) -> datetime:
        return self.manifest.created_at


@dataclass(frozen=True)
class RestoreResult:
    info: ArchiveInfo
    safety_copy: Path | None  # the snapshot of the shop as it was before the restore
    media_restored: int
    media_missing: tuple[str, ...]


# ---- writing --------------------------------------------------------------------------------


def _kind_of(value: object) -> str:
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    return ""


def _encode(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _decode(value: object, kind: str) -> object:
    if value is None or not kind:
        return value
    assert isinstance(value, str)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    return time.fromisoformat(value)


def _reflect(conn: Connection) -> MetaData:
    meta = MetaData()
    meta.reflect(bind=conn)
    return meta


def _data_tables(meta: MetaData) -> list[Table]:
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def _write_tables(conn: Connection, archive: zipfile.ZipFile, tick: Callable[[], None]) -> None:
    for table in _data_tables(_reflect(conn)):
        columns = [c.name for c in table.columns]
        kinds = [""] * len(columns)
        with archive.open(f"{TABLES_DIR}{table.name}.jsonl", "w", force_zip64=True) as raw:
            lines: list[list[object]] = []
            result = conn.execute(table.select().order_by(*table.primary_key.columns))
            for row in result:
                for i, value in enumerate(row):
                    if value is not None and not kinds[i]:
                        kinds[i] = _kind_of(value)
                lines.append([_encode(v) for v in row])
            header = {"table": table.name, "columns": columns, "kinds": kinds}
            raw.write((json.dumps(header, ensure_ascii=False) + "\n").encode())
            for line in lines:
                raw.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
        tick()


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _archive(
    engine: Engine,
    target: Path,
    manifest: Manifest,
    media_root: Path | None,
    progress: Progress | None,
    portable: bool = False,
) -> Manifest:
    media = manifest.media if media_root is not None else []
    total = len(media) + 30
    done = 0

    def tick(step: int = 1) -> None:
        nonlocal done
        done += step
        if progress is not None:
            progress(min(done, total), total)

    archived_media: list[MediaEntry] = []

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            if engine.dialect.name == "sqlite" and engine.url.database and not portable:
                with tempfile.TemporaryDirectory(dir=target.parent) as work:
                    copy = Path(work) / DATABASE_NAME
                    copy_sqlite(Path(engine.url.database), copy)
                    archive.write(copy, DATABASE_NAME)
                tick(10)
            else:
                with engine.connect() as conn:
                    _write_tables(conn, archive, tick)
            for entry in media:
                assert media_root is not None
                source = media_file_path(media_root, entry.rel_path)
                if not source.is_file():
                    tick()
                    continue  # listed as missing by the check; a backup still goes ahead
                # Pictures are already compressed: storing them is faster and no larger.
                archive.write(source, MEDIA_DIR + entry.rel_path, zipfile.ZIP_STORED)
                archived_media.append(
                    MediaEntry(entry.rel_path, _hash_file(source), source.stat().st_size)
                )
                tick()
            final = Manifest(**{**manifest.__dict__, "media": archived_media})
            archive.writestr(MANIFEST_NAME, final.to_json())

    write_atomically(target, write)
    if progress is not None:
        progress(total, total)
    return Manifest(**{**manifest.__dict__, "media": archived_media})


def create_archive(
    engine: Engine,
    media_root: Path,
    target: Path,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    portable: bool = False,
) -> Manifest:
    """Back up the database and every picture into one .zip at ``target``.

    ``portable`` writes the tables as JSON lines even for a SQLite shop (PostgreSQL shops
    always get them).
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.connect() as conn:
        manifest = describe(conn, MANUAL, moment)
    return _archive(engine, target, manifest, media_root, progress, portable)


def write_portable_archive(
    engine: Engine, target: Path, manifest: Manifest, *, progress: Progress | None = None
) -> Manifest:
    """Tables only (pictures listed, not copied): the automatic snapshot of a PostgreSQL shop."""
    return _archive(engine, target, manifest, None, progress)


# ---- reading --------------------------------------------------------------------------------


def _inspect_snapshot(path: Path) -> ArchiveInfo:
    """A snapshot from ``backups/``: the SQLite file with its manifest beside it."""
    from sqlalchemy import create_engine

    if not path.is_file():
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} does not exist").format(name=path.name)
        )
    report = check_sqlite_file(path, full=False)
    if not report.ok:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is damaged or not a database ({summary})").format(
                name=path.name, summary=report.summary
            )
        )
    try:
        manifest = Manifest.from_json(path.with_suffix(".json").read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        # A plain engine: the app's would switch the snapshot to WAL mode just by opening it.
        engine = create_engine(sqlite_url(path))
        try:
            with engine.connect() as conn:
                stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                manifest = describe(conn, MANUAL, stamp)
        finally:
            engine.dispose()
    return ArchiveInfo(path, manifest, False, 0)


def inspect_archive(path: Path) -> ArchiveInfo:
    """What a backup (a .zip archive or a .sqlite3 snapshot) holds, changing nothing.

    Raises ArchiveError with a reason the seller can act on.
    """
    if path.suffix.lower() == ".sqlite3":
        return _inspect_snapshot(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST_NAME not in names:
                raise ArchiveError(
                    QT_TRANSLATE_NOOP(
                        "Archive", "{name} is not a Moments Desk backup (no {MANIFEST_NAME})"
                    ).format(name=path.name, MANIFEST_NAME=MANIFEST_NAME)
                )
            manifest = Manifest.from_json(archive.read(MANIFEST_NAME).decode("utf-8"))
    except FileNotFoundError as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} does not exist").format(name=path.name)
        ) from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is damaged or not a zip archive: {error}").format(
                name=path.name, error=error
            )
        ) from error
    except (ValueError, KeyError, TypeError) as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name}: the backup description is unreadable").format(
                name=path.name
            )
        ) from error
    portable = DATABASE_NAME not in names
    if portable and not any(n.startswith(TABLES_DIR) for n in names):
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} holds no database").format(name=path.name)
        )
    media = sum(1 for n in names if n.startswith(MEDIA_DIR) and not n.endswith("/"))
    return ArchiveInfo(path, manifest, portable, media)


def _read_jsonl(handle: IO[bytes]) -> tuple[str, list[str], list[str], Iterator[list[Any]]]:
    header = json.loads(handle.readline())

    def rows() -> Iterator[list[Any]]:
        for line in handle:
            if line.strip():
                yield json.loads(line)

    return str(header["table"]), list(header["columns"]), list(header["kinds"]), rows()


def _copy_rows(
    rows_of: Callable[[Table], Iterator[dict[str, Any]]], target: Connection, tick: Progress
) -> None:
    """Load every table of ``target`` (already at the source's revision) from ``rows_of``."""
    tables = _data_tables(_reflect(target))
    for index, table in enumerate(tables):
        self_refs = [
            fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name
        ]
        deferred: list[dict[str, Any]] = []
        batch: list[dict[str, Any]] = []
        for row in rows_of(table):
            if self_refs and any(row.get(c) is not None for c in self_refs):
                deferred.append({"_pk": row["id"], **{c: row[c] for c in self_refs}})
                row = {**row, **dict.fromkeys(self_refs)}
            batch.append(row)
            if len(batch) >= _BATCH:
                target.execute(insert(table), batch)
                batch = []
        if batch:
            target.execute(insert(table), batch)
        if deferred:
            stmt = update(table).where(table.c.id == bindparam("_pk"))
            target.execute(stmt, deferred)
        tick(index + 1, len(tables))
    if target.dialect.name == "postgresql":
        for table in tables:
            if "id" in table.c and table.c.id.autoincrement and len(table.primary_key) == 1:
                target.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )


def _rows_from_sqlite(source: Engine) -> Callable[[Table], Iterator[dict[str, Any]]]:
    def rows_of(table: Table) -> Iterator[dict[str, Any]]:
        with source.connect() as conn:
            meta = _reflect(conn)
            if table.name not in meta.tables:
                return
            src = meta.tables[table.name]
            wanted = [c for c in src.columns if c.name in table.c]
            for row in conn.execute(src.select().with_only_columns(*wanted)):
                yield dict(row._mapping)

    return rows_of


def _rows_from_jsonl(archive: zipfile.ZipFile) -> Callable[[Table], Iterator[dict[str, Any]]]:
    def rows_of(table: Table) -> Iterator[dict[str, Any]]:
        name = f"{TABLES_DIR}{table.name}.jsonl"
        if name not in archive.namelist():
            return
        with archive.open(name) as handle:
            _, columns, kinds, rows = _read_jsonl(handle)
            keep = [(i, c, kinds[i]) for i, c in enumerate(columns) if c in table.c]
            for row in rows:
                yield {c: _decode(row[i], kind) for i, c, kind in keep}

    return rows_of


def _build_schema(conn: Connection, revision: str) -> None:
    from alembic import command

    from moments_desk.db.migrate import alembic_config

    command.upgrade(alembic_config(conn), revision)


def _check_revision(info: ArchiveInfo) -> str:
    from moments_desk.db.migrate import HEAD_REVISION, known_revisions

    revision = info.manifest.schema_revision
    if revision == HEAD_REVISION:
        return revision  # the usual case, without importing Alembic
    if revision is None or revision not in known_revisions():
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive",
                "{name} was made by a newer Moments Desk (data format {revision}); "
                "update the app first",
            ).format(name=info.path.name, revision=revision)
        )
    return revision


# ---- restoring ------------------------------------------------------------------------------


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
