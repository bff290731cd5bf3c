"""Taking snapshots: on demand, automatically when due, and before a schema upgrade (no Qt).

A SQLite shop is copied with SQLite's online backup API; any other database is written as
a portable archive (``archive.write_portable_archive``). The manifest goes beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from moments_desk.core.safety.archive import write_portable_archive
from moments_desk.core.safety.backup import (
    AUTO,
    MANUAL,
    PRE_MIGRATION,
    BackupPolicy,
    Progress,
    Snapshot,
    copy_sqlite,
    describe,
    fingerprint,
    list_snapshots,
    thin,
    write_text_atomically,
)
from moments_desk.core.team.permissions import Action, require_owner_of_shared_shop

#: Snapshot file names sort by when they were taken: auto-20261122-203000.sqlite3
_STAMP = "%Y%m%d-%H%M%S"


def snapshot(
    engine: Engine,
    backups_dir: Path,
    kind: str = AUTO,
    *,
    label: str = "",
    now: datetime | None = None,
    progress: Progress | None = None,
    by: int | None = None,
) -> Snapshot:
    """Take a snapshot of the live database into ``backups_dir``.

    A manual one of a shared shop is for owners only (``by``: the acting profile); the
    automatic and safety copies are the app's own.
    """
    if kind == MANUAL:
        require_owner_of_shared_shop(engine, by, Action.MAKE_BACKUP, "backup")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.connect() as conn:
        manifest = describe(conn, kind, moment)
    stem = "-".join(p for p in (kind, label, moment.strftime(_STAMP)) if p)
    if engine.dialect.name == "sqlite":
        assert engine.url.database, "a snapshot needs a file database"
        path = backups_dir / f"{stem}.sqlite3"
        copy_sqlite(Path(engine.url.database), path, progress)
    else:
        path = backups_dir / f"{stem}.zip"
        write_portable_archive(engine, path, manifest, progress=progress)
    manifest_path = path.with_suffix(".json")
    write_text_atomically(manifest_path, manifest.to_json())
    return Snapshot(path, manifest)


class AutoBackup:
    """Decides when an automatic snapshot is due and takes it (called on the DB thread)."""

    def __init__(self, engine: Engine, backups_dir: Path, policy: BackupPolicy) -> None:
        self.engine = engine
        self.backups_dir = backups_dir
        self.policy = policy

    def newest(self) -> Snapshot | None:
        autos = [s for s in list_snapshots(self.backups_dir) if s.kind == AUTO]
        return autos[0] if autos else None

    def due(self, now: datetime) -> bool:
        newest = self.newest()
        return newest is None or now - newest.created_at >= timedelta(
            hours=self.policy.interval_hours
        )

    def run(self, now: datetime, *, on_exit: bool = False) -> Snapshot | None:
        """Snapshot if the data changed since the newest automatic snapshot and (unless the
        app is closing) the interval has passed. Returns the new snapshot, if any."""
        if not self.policy.enabled:
            return None
        newest = self.newest()
        if newest is not None and not on_exit and not self.due(now):
            return None
        with self.engine.connect() as conn:
            current = fingerprint(conn)
        if newest is not None and newest.manifest.fingerprint == current:
            return None
        snap = snapshot(self.engine, self.backups_dir, AUTO, now=now)
        thin(self.backups_dir, self.policy)
        return snap


def pre_migration_backup(engine: Engine, backups_dir: Path) -> Callable[[str], Path]:
    """The "before upgrade" step ``db.migrate.upgrade_to_head`` takes: a snapshot of the
    database as it is, labelled with its schema revision, before its schema changes."""

    def take(revision: str) -> Path:
        return snapshot(engine, backups_dir, PRE_MIGRATION, label=revision).path

    return take
