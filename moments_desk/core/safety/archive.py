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
Restoring itself is ``core/safety/restore.py``; this module writes archives and reads them
(every header and the manifest checked first, see ``core/safety/archive_limits.py``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, MetaData, Table, bindparam, insert, text, update

from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.safety.archive_limits import (
    DATABASE_NAME as DATABASE_NAME,
)
from moments_desk.core.safety.archive_limits import (
    MANIFEST_NAME as MANIFEST_NAME,
)
from moments_desk.core.safety.archive_limits import (
    MEDIA_DIR as MEDIA_DIR,
)
from moments_desk.core.safety.archive_limits import (
    TABLES_DIR as TABLES_DIR,
)
from moments_desk.core.safety.archive_limits import (
    ArchiveContents,
    bounded_lines,
    scan_archive,
)
from moments_desk.core.safety.archive_paths import printable
from moments_desk.core.safety.backup import (
    MANUAL,
    Manifest,
    MediaEntry,
    Progress,
    copy_sqlite,
    describe,
    read_manifest_file,
    write_atomically,
)
from moments_desk.core.safety.errors import ArchiveError as ArchiveError
from moments_desk.core.safety.integrity import check_sqlite_file, read_only_uri
from moments_desk.core.safety.schema_check import check_database_file
from moments_desk.core.safety.temp_files import PREFIX, writing_outside
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.team.permissions import Action, require_owner_of_shared_shop

_BATCH = 2000


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    manifest: Manifest
    portable: bool  # tables as JSON lines rather than a SQLite file
    media_in_archive: int

    @property
    def created_at(self) -> datetime:
        return self.manifest.created_at


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
    if not isinstance(value, str):
        raise ValueError(f"a {kind} that is not text")
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    return time.fromisoformat(value)


def reflect(conn: Connection) -> MetaData:
    meta = MetaData()
    meta.reflect(bind=conn)
    return meta


# Tables that are not the shop's data: the schema stamp, the change log (news for the
# laptops of this moment; a restore writes its own entry) and the team's copy of the
# pictures (an archive holds them as files; laptops upload them again after a restore).
_NOT_DATA = frozenset({"alembic_version", "change_log", "shared_picture", "shared_picture_chunk"})


def _data_tables(meta: MetaData) -> list[Table]:
    return [t for t in meta.sorted_tables if t.name not in _NOT_DATA]


def _write_tables(conn: Connection, archive: zipfile.ZipFile, tick: Callable[[], None]) -> None:
    for table in _data_tables(reflect(conn)):
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
    data_dir: Path | None = None,
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
                # The copy holds every customer: it is made in the data folder, under the
                # known prefix, never beside the target (a USB stick, a shared folder).
                work_dir = data_dir or Path(engine.url.database).parent
                with tempfile.TemporaryDirectory(dir=work_dir, prefix=PREFIX) as work:
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

    if data_dir is None:
        write_atomically(target, write)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        with writing_outside(data_dir, target.parent) as prefix:
            write_atomically(target, write, prefix=prefix)
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
    data_dir: Path | None = None,
    by: int | None = None,
) -> Manifest:
    """Back up the database and every picture into one .zip at ``target``.

    A shared shop is backed up by owners only (``by``: the acting profile; refused and
    audited before anything is read).

    ``portable`` writes the tables as JSON lines even for a SQLite shop (PostgreSQL shops
    always get them). Temporary files are kept in ``data_dir`` (default: the folder holding
    ``media_root``) or, for the archive itself, beside ``target`` under a prefix that the
    next backup and the next start remove if this one is cut short.
    """
    require_owner_of_shared_shop(engine, by, Action.MAKE_BACKUP, "backup")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.connect() as conn:
        manifest = describe(conn, MANUAL, moment)
    folder = data_dir or media_root.parent
    return _archive(engine, target, manifest, media_root, progress, portable, folder)


def write_portable_archive(
    engine: Engine, target: Path, manifest: Manifest, *, progress: Progress | None = None
) -> Manifest:
    """Tables only (pictures listed, not copied): the automatic snapshot of a PostgreSQL shop."""
    return _archive(engine, target, manifest, None, progress)


# ---- reading --------------------------------------------------------------------------------


def inspect_snapshot(path: Path) -> ArchiveInfo:
    """A bare SQLite file (a snapshot from ``backups/``, or any file the seller picked)."""
    from sqlalchemy import create_engine

    if not path.is_file():
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} does not exist").format(name=path.name)
        )
    # Ours, complete and sound before anything else reads it: another program's file or a
    # newer app's is refused here, opened read-only.
    check_database_file(path, path.name)
    report = check_sqlite_file(path, full=False, read_only=True)
    if not report.ok:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is damaged or not a database ({summary})").format(
                name=path.name, summary=report.summary
            )
        )
    manifest = read_manifest_file(path.with_suffix(".json"))
    if manifest is None:
        # Read-only and immutable: the app's engine would switch the snapshot to WAL mode
        # just by opening it, and a plain one would leave a -wal beside a WAL-mode file.
        uri = read_only_uri(path)
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
        try:
            with engine.connect() as conn:
                stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                manifest = describe(conn, MANUAL, stamp)
        finally:
            engine.dispose()
    return ArchiveInfo(path, manifest, False, 0)


def open_zip(path: Path) -> tuple[zipfile.ZipFile, ArchiveContents]:
    """The archive opened and every header and the manifest checked (see archive_limits)."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} does not exist").format(name=path.name)
        ) from error
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is damaged or not a zip archive: {error}").format(
                name=path.name, error=error
            )
        ) from error
    try:
        return archive, scan_archive(archive, path.name)
    except BaseException:
        archive.close()
        raise


def inspect_archive(path: Path) -> ArchiveInfo:
    """What a backup (a .zip archive or a .sqlite3 file) holds, changing nothing.

    Raises ArchiveError with a reason the seller can act on.
    """
    if path.suffix.lower() == ".sqlite3":
        return inspect_snapshot(path)
    archive, contents = open_zip(path)
    archive.close()
    return ArchiveInfo(path, contents.manifest, contents.portable, len(contents.pictures))


def _read_jsonl(
    handle: IO[bytes], archive_name: str, entry: str
) -> tuple[str, list[str], list[str], Iterator[list[Any]]]:
    lines = bounded_lines(handle, archive_name, entry)
    header = json.loads(next(lines, b"{}"))

    def rows() -> Iterator[list[Any]]:
        for line in lines:
            if line.strip():
                yield json.loads(line)

    return str(header["table"]), list(header["columns"]), list(header["kinds"]), rows()


def copy_rows(
    rows_of: Callable[[Table], Iterator[dict[str, Any]]], target: Connection, tick: Progress
) -> None:
    """Load every table of ``target`` (already at the source's revision) from ``rows_of``."""
    tables = _data_tables(reflect(target))
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


def rows_from_sqlite(source: Engine) -> Callable[[Table], Iterator[dict[str, Any]]]:
    def rows_of(table: Table) -> Iterator[dict[str, Any]]:
        with source.connect() as conn:
            meta = reflect(conn)
            if table.name not in meta.tables:
                return
            src = meta.tables[table.name]
            wanted = [c for c in src.columns if c.name in table.c]
            for row in conn.execute(src.select().with_only_columns(*wanted)):
                yield dict(row._mapping)

    return rows_of


def rows_from_jsonl(
    archive: zipfile.ZipFile, contents: ArchiveContents, archive_name: str
) -> Callable[[Table], Iterator[dict[str, Any]]]:
    def rows_of(table: Table) -> Iterator[dict[str, Any]]:
        name = f"{TABLES_DIR}{table.name}.jsonl"
        info = contents.tables.get(name)
        if info is None:
            return
        with archive.open(info) as handle:
            _, columns, kinds, rows = _read_jsonl(handle, archive_name, name)
            keep = [(i, c, kinds[i]) for i, c in enumerate(columns) if c in table.c]
            for row in rows:
                yield {c: _decode(row[i], kind) for i, c, kind in keep}

    return rows_of


def build_schema(conn: Connection, revision: str) -> None:
    from alembic import command

    from moments_desk.db.migrate import alembic_config

    command.upgrade(alembic_config(conn), revision)


def check_revision(info: ArchiveInfo) -> str:
    from moments_desk.db.migrate import HEAD_REVISION, known_revisions

    revision = info.manifest.schema_revision
    if revision == HEAD_REVISION:
        return revision  # the usual case, without importing Alembic
    if not isinstance(revision, str) or revision not in known_revisions():
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive",
                "{name} was made by a newer Moments Desk (data format {revision}); "
                "update the app first",
            ).format(name=info.path.name, revision=printable(str(revision)))
        )
    return revision
