"""Back up to a file and restore from it: everything comes back, or nothing changes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.safety.archive import (
    ArchiveError,
    create_archive,
    inspect_archive,
)
from moments_desk.core.safety.backup import PRE_RESTORE, list_snapshots
from moments_desk.core.safety.integrity import check_database, missing_media
from moments_desk.core.safety.restore import restore_archive
from moments_desk.core.safety.snapshots import snapshot
from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import head_revision, upgrade_to_head
from tests.core.safety.shopdata import NOW, fill_shop, row_counts

pytestmark = pytest.mark.db


def damage(engine: Engine, media: Path) -> None:
    """What a bad afternoon looks like: rows deleted, a picture gone."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM interaction"))
        conn.execute(text("UPDATE customer SET nickname = '???'"))
    next(media.rglob("*.jpg")).unlink()


def nicknames(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(text("SELECT nickname FROM customer")).scalars())


@pytest.mark.parametrize("portable", [False, True], ids=["sqlite-file", "portable-tables"])
def test_round_trip_restores_rows_and_pictures(
    engine: Engine, tmp_path: Path, portable: bool
) -> None:
    media = tmp_path / "media"
    fill_shop(engine, media, tmp_path)
    before = row_counts(engine)
    archive = tmp_path / "out" / "backup.zip"
    archive.parent.mkdir()
    manifest = create_archive(engine, media, archive, now=NOW, portable=portable)
    assert len(manifest.media) == 3

    info = inspect_archive(archive)
    assert info.portable == (portable or engine.dialect.name != "sqlite")
    assert info.manifest.counts["customer"] == 2 and info.media_in_archive == 3
    assert info.manifest.schema_revision == head_revision()

    damage(engine, media)
    assert missing_media(engine, media)
    result = restore_archive(archive, engine, media, tmp_path / "backups")
    assert row_counts(engine) == before
    assert nicknames(engine) == ["张三", "李四"]
    assert missing_media(engine, media) == []
    assert result.media_restored == 1 and result.media_missing == ()
    assert check_database(engine, full=True).ok
    safety = [s for s in list_snapshots(tmp_path / "backups") if s.kind == PRE_RESTORE]
    assert safety and safety[0].manifest.counts["interaction"] == 0  # the shop as it was
    with engine.connect() as conn:  # referral links survive the self-reference
        assert (
            conn.execute(
                text("SELECT count(*) FROM customer WHERE referred_by_id IS NOT NULL")
            ).scalar_one()
            == 1
        )
    # New rows get fresh ids after a restore (PostgreSQL sequences moved on).
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO tag (name) VALUES ('恢复后')"))


def test_a_portable_archive_restores_into_a_sqlite_shop(engine: Engine, tmp_path: Path) -> None:
    """The same archive restores into SQLite whatever database it came from."""
    fill_shop(engine, tmp_path / "media", tmp_path)
    archive = tmp_path / "shop.zip"
    create_archive(engine, tmp_path / "media", archive, portable=True)
    target = make_engine(sqlite_url(tmp_path / "other" / "shop.sqlite3"))
    (tmp_path / "other").mkdir()
    upgrade_to_head(target)
    restore_archive(archive, target, tmp_path / "other" / "media", tmp_path / "other" / "b")
    assert row_counts(target) == row_counts(engine)
    assert missing_media(target, tmp_path / "other" / "media") == []
    target.dispose()


def test_restoring_a_snapshot_file(engine: Engine, tmp_path: Path) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("snapshots of PostgreSQL shops are portable archives, tested above")
    fill_shop(engine, tmp_path / "media", tmp_path)
    snap = snapshot(engine, tmp_path / "backups", now=NOW)
    damage(engine, tmp_path / "media")
    info = inspect_archive(snap.path)
    assert info.manifest.counts["interaction"] == 1
    restore_archive(snap.path, engine, tmp_path / "media", tmp_path / "backups")
    assert nicknames(engine) == ["张三", "李四"]


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_files_that_are_not_backups_are_refused_by_name(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.zip"
    text_file.write_text("hello")
    with pytest.raises(ArchiveError, match=r"notes\.zip is damaged or not a zip"):
        inspect_archive(text_file)
    with pytest.raises(ArchiveError, match=r"no backup\.json"):
        inspect_archive(make_zip(tmp_path / "photos.zip", {"a.jpg": b"x"}))
    with pytest.raises(ArchiveError, match="unreadable"):
        inspect_archive(make_zip(tmp_path / "odd.zip", {"backup.json": b"{]"}))
    with pytest.raises(ArchiveError, match="does not exist"):
        inspect_archive(tmp_path / "gone.zip")


def test_a_backup_from_a_newer_version_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    fill_shop(engine, tmp_path / "media", tmp_path)
    archive = tmp_path / "b.zip"
    create_archive(engine, tmp_path / "media", archive)
    with zipfile.ZipFile(archive) as src:
        members = {n: src.read(n) for n in src.namelist()}
    manifest = json.loads(members["backup.json"])
    manifest["schema_revision"] = "9999"
    members["backup.json"] = json.dumps(manifest).encode()
    newer = make_zip(tmp_path / "newer.zip", members)
    before = row_counts(engine)
    with pytest.raises(ArchiveError, match="newer Moments Desk"):
        restore_archive(newer, engine, tmp_path / "media", tmp_path / "backups")
    assert row_counts(engine) == before


def test_a_damaged_database_inside_the_archive_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL archives hold tables, not a database file")
    fill_shop(engine, tmp_path / "media", tmp_path)
    archive = tmp_path / "b.zip"
    create_archive(engine, tmp_path / "media", archive)
    with zipfile.ZipFile(archive) as src:
        members = {n: src.read(n) for n in src.namelist()}
    db = bytearray(members["database.sqlite3"])
    db[4096 * 2 : 4096 * 4] = b"\xff" * 8192
    members["database.sqlite3"] = bytes(db)
    broken = make_zip(tmp_path / "broken.zip", members)
    damage(engine, tmp_path / "media")
    before = row_counts(engine)
    with pytest.raises(ArchiveError, match="damaged"):
        restore_archive(broken, engine, tmp_path / "media", tmp_path / "backups")
    assert row_counts(engine) == before
    assert check_database(engine, full=True).ok
    assert not list((Path(str(engine.url.database)).parent).glob(".moments-desk-tmp-*"))


def test_check_lists_missing_pictures(engine: Engine, tmp_path: Path) -> None:
    fill_shop(engine, tmp_path / "media", tmp_path)
    assert missing_media(engine, tmp_path / "media") == []
    with engine.connect() as conn:
        rel = conn.execute(text("SELECT rel_path FROM media_file ORDER BY id")).scalars().first()
    assert rel is not None
    media_file_path(tmp_path / "media", rel).unlink()
    [gone] = missing_media(engine, tmp_path / "media")
    assert gone.rel_path == rel and gone.original_name == "p0.jpg"


def test_a_snapshot_without_its_manifest_is_described_from_the_file(tmp_path: Path) -> None:
    import sqlite3

    engine = make_engine(sqlite_url(tmp_path / "shop.sqlite3"))
    upgrade_to_head(engine)
    fill_shop(engine, tmp_path / "media", tmp_path)
    snap = snapshot(engine, tmp_path / "backups", now=NOW)
    engine.dispose()
    snap.path.with_suffix(".json").unlink()
    info = inspect_archive(snap.path)
    assert info.manifest.counts["customer"] == 2
    assert info.manifest.schema_revision == head_revision()
    with sqlite3.connect(snap.path) as db:  # looking did not switch it to WAL
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    db.close()


def test_a_restore_is_recorded_and_announced_to_the_other_laptops(
    engine: Engine, tmp_path: Path
) -> None:
    """The audit rows written since the backup survive it, the restore itself is recorded,
    and another laptop's poll hears it."""
    from datetime import timedelta

    from moments_desk.core.shared import change_feed, uow
    from moments_desk.core.team import audit
    from moments_desk.db.engine import make_session_factory

    media = tmp_path / "media"
    fill_shop(engine, media, tmp_path)
    archive = tmp_path / "backup.zip"
    create_archive(engine, media, archive, now=NOW)
    sessions = make_session_factory(engine)
    uow.write(
        sessions,
        lambda s: audit.record(
            s, None, "create", "order", 99, "店主一分钟前录的订单", at=NOW + timedelta(minutes=1)
        ),
    )
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        theirs = make_session_factory(other)
        mark = uow.read(theirs, change_feed.start)
        restore_archive(
            archive, engine, media, tmp_path / "backups", now=NOW + timedelta(minutes=2)
        )
        news, _ = uow.read(theirs, lambda s: change_feed.since(s, mark))
    finally:
        other.dispose()
    if engine.dialect.name == "postgresql":
        assert news.restored
    else:
        engine.dispose()  # the swapped file is read by new connections
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, summary FROM audit_log ORDER BY at, id")).all()
    assert ("create", "店主一分钟前录的订单") in [tuple(r) for r in rows]
    assert rows[-1][0] == "restore" and "backup.zip" in rows[-1][1]
