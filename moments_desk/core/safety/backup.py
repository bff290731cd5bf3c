"""Automatic snapshots of the shop in the data folder's ``backups/`` (no Qt).

A snapshot is one database file taken with SQLite's online backup API (consistent even while
the app writes) plus a manifest beside it: when, which schema, how many rows, a fingerprint
of the data, and the list of pictures with their hashes. Pictures are content-addressed and
never rewritten, so a snapshot lists them instead of copying gigabytes every few hours.
For PostgreSQL the snapshot is a portable archive (see ``core/archive.py``).

Automatic snapshots are thinned grandfather-father-son style: all of the last 24 hours, then
the newest of each of the last N days, weeks and months survive. Snapshots taken before a
migration or a restore are kept apart (the newest few of each).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy import types as sqltypes

from moments_desk import __version__
from moments_desk.core.safety.temp_files import PREFIX as TEMP_PREFIX
from moments_desk.core.safety.temp_files import sweep
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

Progress = Callable[[int, int], None]

AUTO = "auto"
PRE_MIGRATION = "pre-migration"
PRE_RESTORE = "pre-restore"
MANUAL = "manual"
#: Snapshots taken before a migration or restore: how many of each kind stay.
KEEP_SPECIAL = 5

#: A manifest is a few hundred bytes per picture; a bigger file is not one of ours.
MAX_MANIFEST_FILE_BYTES = 16 * 1024 * 1024

#: Row counts shown to the seller before a restore ("1,204 customers, 310 products ...").
COUNTED_TABLES = ("customer", "product", "sales_order", "post", "interaction", "media_file")


@dataclass
class BackupPolicy:
    """How often and how many automatic snapshots; kept in prefs.json under "backup"."""

    enabled: bool = True
    interval_hours: int = 6
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 6

    @classmethod
    def from_dict(cls, raw: object, *, shared: bool = False) -> BackupPolicy:
        """``shared``: the shop lives in a team's PostgreSQL database. Automatic copies are
        then off unless this laptop's seller turned them on: each would put every customer's
        phone and address in one laptop's folder, and the server's own backups (pg_dump, see
        docs/team.md) are the team's backups."""
        policy = cls(enabled=not shared)
        if isinstance(raw, dict):
            for name, default in asdict(policy).items():
                value = raw.get(name, default)
                if isinstance(value, type(default)) and not (
                    isinstance(value, int) and not isinstance(value, bool) and value < 0
                ):
                    setattr(policy, name, value)
        policy.interval_hours = max(1, policy.interval_hours)
        return policy

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MediaEntry:
    rel_path: str
    sha256: str
    size_bytes: int


@dataclass
class Manifest:
    kind: str
    created_at: datetime
    app_version: str
    schema_revision: str | None
    dialect: str
    counts: dict[str, int]
    fingerprint: str
    media: list[MediaEntry] = field(default_factory=list)

    def to_json(self) -> str:
        raw = asdict(self)
        raw["created_at"] = self.created_at.astimezone(UTC).isoformat()
        raw["format"] = "moments-desk-manifest/1"
        return json.dumps(raw, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, data: str) -> Manifest:
        raw = json.loads(data)
        if not isinstance(raw, dict) or raw.get("format") != "moments-desk-manifest/1":
            raise ValueError(QT_TRANSLATE_NOOP("Backup", "not a Moments Desk backup manifest"))
        created = datetime.fromisoformat(raw["created_at"])
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        if not 1970 <= created.year <= 9000:  # shown in local time: year 1 or 9999 overflow
            raise ValueError(QT_TRANSLATE_NOOP("Backup", "not a Moments Desk backup manifest"))
        return cls(
            kind=str(raw["kind"]),
            created_at=created,
            app_version=str(raw["app_version"]),
            schema_revision=raw.get("schema_revision"),
            dialect=str(raw.get("dialect", "sqlite")),
            counts={str(k): int(v) for k, v in dict(raw.get("counts", {})).items()},
            fingerprint=str(raw.get("fingerprint", "")),
            media=[MediaEntry(**m) for m in raw.get("media", [])],
        )


@dataclass(frozen=True)
class Snapshot:
    path: Path
    manifest: Manifest

    @property
    def created_at(self) -> datetime:
        return self.manifest.created_at

    @property
    def kind(self) -> str:
        return self.manifest.kind


def _schema_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def read_counts(conn: Connection) -> dict[str, int]:
    """Row counts by raw SQL, so they work on any schema revision."""
    names = set(inspect(conn).get_table_names())
    return {
        table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        for table in COUNTED_TABLES
        if table in names
    }


def fingerprint(conn: Connection) -> str:
    """Changes whenever a row is added, removed or edited (in practice).

    Row counts and sums of integer keys catch inserts and deletes in every table, link tables
    included; the newest ``updated_at`` catches edits. An edit that keeps every count and key
    and skips ``updated_at`` would be missed; every write path of the app sets it.
    """
    insp = inspect(conn)
    parts = []
    for table in sorted(insp.get_table_names()):
        columns = {c["name"]: c["type"] for c in insp.get_columns(table)}
        keys = insp.get_pk_constraint(table).get("constrained_columns") or []
        exprs = ["count(*)"] + [
            f"sum({k})" for k in keys if isinstance(columns.get(k), sqltypes.Integer)
        ]
        if "updated_at" in columns:
            exprs.append("max(updated_at)")
        row = conn.execute(text(f"SELECT {', '.join(exprs)} FROM {table}")).one()
        parts.append(f"{table}:{'|'.join(str(v) for v in row)}")
    import hashlib

    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def media_entries(conn: Connection) -> list[MediaEntry]:
    if not inspect(conn).has_table("media_file"):
        return []
    rows = conn.execute(
        text("SELECT rel_path, sha256, size_bytes FROM media_file ORDER BY id")
    ).all()
    return [MediaEntry(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def describe(conn: Connection, kind: str, now: datetime) -> Manifest:
    return Manifest(
        kind=kind,
        created_at=now,
        app_version=__version__,
        schema_revision=_schema_revision(conn),
        dialect=conn.dialect.name,
        counts=read_counts(conn),
        fingerprint=fingerprint(conn),
        media=media_entries(conn),
    )


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    target: Path,
    writer: Callable[[Path], None],
    *,
    durable: bool = True,
    prefix: str = TEMP_PREFIX,
) -> None:
    """Write into a temporary file beside ``target``, fsync it, then rename it into place.

    The temporary file is named ``<prefix><target name>.…part`` so that a run cut short
    leaves something the next run recognises and removes (see ``core/safety/temp_files``).
    ``durable=False`` skips the fsyncs, for many small files followed by one ``os.sync()``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f"{prefix}{target.name}.", suffix=".part"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(target: Path, content: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(content, "utf-8")

    write_atomically(target, write)


def copy_sqlite(source: Path, target: Path, progress: Progress | None = None) -> None:
    """A consistent copy of a live SQLite database (committed data, WAL included)."""

    def write(tmp: Path) -> None:
        tmp.unlink()
        src = sqlite3.connect(source)
        dst = sqlite3.connect(tmp)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=256, progress=step)
            # A backup is read by itself, perhaps on another machine: no WAL beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            src.close()

    write_atomically(target, write)


def read_manifest_file(path: Path) -> Manifest | None:
    """The manifest in ``path``, or None when it is missing, oversized or unreadable."""
    try:
        if path.stat().st_size > MAX_MANIFEST_FILE_BYTES:
            return None
        return Manifest.from_json(path.read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def list_snapshots(backups_dir: Path) -> list[Snapshot]:
    """Every snapshot with a readable manifest, newest first."""
    found = []
    if not backups_dir.is_dir():
        return []
    for manifest_path in backups_dir.glob("*.json"):
        manifest = read_manifest_file(manifest_path)
        if manifest is None:
            continue
        for suffix in (".sqlite3", ".zip"):
            data = manifest_path.with_suffix(suffix)
            if data.is_file():
                found.append(Snapshot(data, manifest))
                break
    return sorted(found, key=lambda s: s.created_at, reverse=True)


def to_keep(snapshots: list[Snapshot], policy: BackupPolicy) -> set[Path]:
    """Which snapshots survive thinning: every automatic one of the last 24 hours, then the
    newest per day, week and month; the newest few of each other kind."""
    autos = sorted((s for s in snapshots if s.kind == AUTO), key=lambda s: s.created_at)
    keep: set[Path] = set()
    buckets: list[tuple[int, Callable[[datetime], object]]] = [
        (policy.keep_daily, lambda t: t.date()),
        (policy.keep_weekly, lambda t: t.isocalendar()[:2]),
        (policy.keep_monthly, lambda t: (t.year, t.month)),
    ]
    for count, bucket_of in buckets:
        newest: dict[object, Snapshot] = {}
        for snap in autos:
            newest[bucket_of(snap.created_at)] = snap  # ascending: the last one wins
        for bucket in sorted(newest, key=lambda b: newest[b].created_at, reverse=True)[:count]:
            keep.add(newest[bucket].path)
    if autos:
        # Everything from the last day stays: a mistake made this afternoon can still be
        # undone from this morning's snapshot.
        recent = autos[-1].created_at - timedelta(days=1)
        keep.update(s.path for s in autos if s.created_at > recent)
    for kind in {s.kind for s in snapshots if s.kind != AUTO}:
        special = sorted((s for s in snapshots if s.kind == kind), key=lambda s: s.created_at)
        keep.update(s.path for s in special[-KEEP_SPECIAL:])
    return keep


def thin(backups_dir: Path, policy: BackupPolicy) -> list[Path]:
    """Delete snapshots the policy no longer keeps; returns what was deleted."""
    snapshots = list_snapshots(backups_dir)
    keep = to_keep(snapshots, policy)
    removed = []
    # Half-written files of a backup cut short (a crash, a full disk); only one Moments Desk
    # holds the data folder's lock, so none of these is being written now.
    removed += sweep(backups_dir)
    for leftover in backups_dir.glob(".*.part"):  # named before the known prefix
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    for snap in snapshots:
        if snap.path not in keep:
            snap.path.unlink(missing_ok=True)
            snap.path.with_suffix(".json").unlink(missing_ok=True)
            removed.append(snap.path)
    return removed


def newest_good_snapshot(backups_dir: Path) -> Snapshot | None:
    """The newest SQLite snapshot that passes a full integrity check."""
    from moments_desk.core.safety.integrity import check_sqlite_file

    for snap in list_snapshots(backups_dir):
        if snap.path.suffix == ".sqlite3" and check_sqlite_file(snap.path, full=True).ok:
            return snap
    return None
