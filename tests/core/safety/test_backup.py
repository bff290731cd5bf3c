"""Snapshots, thinning and the automatic backup's decisions."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from moments_desk.core.safety.backup import (
    AUTO,
    PRE_MIGRATION,
    BackupPolicy,
    Manifest,
    Snapshot,
    list_snapshots,
    thin,
    to_keep,
)
from moments_desk.core.safety.snapshots import AutoBackup, pre_migration_backup, snapshot
from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from tests.core.safety.shopdata import NOW, fill_shop, row_counts


@pytest.fixture
def shop_engine(tmp_path: Path) -> Engine:
    engine = make_engine(sqlite_url(tmp_path / "shop.sqlite3"))
    upgrade_to_head(engine)
    fill_shop(engine, tmp_path / "media", tmp_path)
    return engine


def test_snapshot_is_a_complete_database_with_its_manifest(
    shop_engine: Engine, tmp_path: Path
) -> None:
    snap = snapshot(shop_engine, tmp_path / "backups", now=NOW)
    assert snap.path.name == "auto-20261122-020000.sqlite3"
    with sqlite3.connect(snap.path) as db:  # readable alone, without a WAL beside it
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    db.close()
    copy = make_engine(sqlite_url(snap.path))
    assert row_counts(copy) == row_counts(shop_engine)
    copy.dispose()
    manifest = list_snapshots(tmp_path / "backups")[0].manifest
    assert manifest.counts["customer"] == 2 and manifest.counts["media_file"] == 3
    assert len(manifest.media) == 3 and all(len(m.sha256) == 64 for m in manifest.media)
    assert manifest.created_at == NOW


def test_automatic_backup_only_when_due_and_changed(shop_engine: Engine, tmp_path: Path) -> None:
    auto = AutoBackup(shop_engine, tmp_path / "backups", BackupPolicy(interval_hours=6))
    assert auto.run(NOW) is not None  # the first one
    assert auto.run(NOW + timedelta(hours=7)) is None  # nothing changed
    with shop_engine.begin() as conn:
        conn.execute(text("UPDATE product SET stock = 9, updated_at = '2026-11-22 03:00:00'"))
    assert auto.run(NOW + timedelta(hours=1)) is None  # changed, but not due yet
    assert auto.run(NOW + timedelta(hours=1), on_exit=True) is not None  # closing: back up
    with shop_engine.begin() as conn:
        conn.execute(text("DELETE FROM customer_tag"))
        conn.execute(text("INSERT INTO tag (name) VALUES ('铁粉')"))
    assert auto.run(NOW + timedelta(hours=8)) is not None
    assert len(list_snapshots(tmp_path / "backups")) == 3


def test_disabled_policy_never_backs_up(shop_engine: Engine, tmp_path: Path) -> None:
    auto = AutoBackup(shop_engine, tmp_path / "b", BackupPolicy(enabled=False))
    assert auto.run(NOW, on_exit=True) is None


def fake(folder: Path, kind: str, when: datetime) -> Snapshot:
    path = folder / f"{kind}-{when:%Y%m%d-%H%M%S}.sqlite3"
    path.write_bytes(b"")
    manifest = Manifest(kind, when, "0.1.0", "0002", "sqlite", {}, "x")
    path.with_suffix(".json").write_text(manifest.to_json(), "utf-8")
    return Snapshot(path, manifest)


def test_thinning_keeps_days_weeks_and_months(tmp_path: Path) -> None:
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    for hours in range(0, 24 * 300, 6):  # four a day for 300 days
        fake(tmp_path, AUTO, start + timedelta(hours=hours))
    for n in range(8):
        fake(tmp_path, PRE_MIGRATION, start + timedelta(days=n))
    (tmp_path / ".auto-20260101-000000.sqlite3.x1.part").write_bytes(b"half")
    policy = BackupPolicy(keep_daily=7, keep_weekly=4, keep_monthly=6)
    removed = thin(tmp_path, policy)
    assert not list(tmp_path.glob(".*.part")), "a backup cut short is cleaned up"
    left = list_snapshots(tmp_path)
    autos = sorted(s.created_at for s in left if s.kind == AUTO)
    assert len([s for s in left if s.kind == PRE_MIGRATION]) == 5
    newest = start + timedelta(hours=24 * 300 - 6)
    assert autos[-1] == newest
    days = {t.date() for t in autos}
    assert {(newest - timedelta(days=d)).date() for d in range(7)} <= days
    months = {(t.year, t.month) for t in autos}
    assert len(months) == 6
    assert 7 <= len(autos) <= 4 + 7 + 4 + 6  # four from the last day, then one per bucket
    assert len(removed) == 1 + 1200 + 8 - len(left)
    assert not any(p.exists() or p.with_suffix(".json").exists() for p in removed)


def test_zero_everywhere_still_keeps_the_newest(tmp_path: Path) -> None:
    for day in range(3):
        fake(tmp_path, AUTO, NOW + timedelta(days=day))
    keep = to_keep(
        list_snapshots(tmp_path), BackupPolicy(keep_daily=0, keep_weekly=0, keep_monthly=0)
    )
    assert [p.name for p in keep] == ["auto-20261124-020000.sqlite3"]


def test_policy_from_prefs_ignores_nonsense() -> None:
    policy = BackupPolicy.from_dict({"interval_hours": 0, "keep_daily": -3, "keep_weekly": "x"})
    assert policy.interval_hours == 1 and policy.keep_daily == 7 and policy.keep_weekly == 4
    assert BackupPolicy.from_dict(None) == BackupPolicy()


def test_migration_backup_is_a_snapshot_with_a_manifest(tmp_path: Path) -> None:
    from alembic import command

    from moments_desk.db.migrate import alembic_config

    engine = make_engine(sqlite_url(tmp_path / "old.sqlite3"))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    result = upgrade_to_head(engine, pre_migration_backup(engine, tmp_path / "backups"))
    engine.dispose()
    assert result.backup_path is not None
    [snap] = list_snapshots(tmp_path / "backups")
    assert snap.kind == PRE_MIGRATION and snap.manifest.schema_revision == "0001"
    assert snap.path == result.backup_path
