"""Databases that are not this shop's kind: another program's, a newer app's, a cut-down one.

Inside a .zip or as a bare .sqlite3, each is refused with a sentence and never swapped in;
on the command line the exit code is not 0 and the shop still starts afterwards.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from moments_desk.core.safety.archive import ArchiveError
from moments_desk.core.safety.restore import restore_archive, restore_snapshot
from moments_desk.core.safety.snapshots import snapshot
from tests.app.test_startup_cli import run_app
from tests.core.safety.hostile import (
    Entry,
    Live,
    alter_database,
    customer_count,
    files_under,
    foreign_sqlite,
    with_manifest,
    write_zip,
)
from tests.core.safety.test_hostile_archives import archive_path, assert_refused

pytestmark = pytest.mark.db


def test_another_programs_database_in_a_backup_is_refused(
    live: Live, good: list[Entry], tmp_path: Path
) -> None:
    notes = foreign_sqlite(tmp_path / "notes.sqlite3").read_bytes()
    entries = [(n, notes if n == "database.sqlite3" else d, c, m) for n, d, c, m in good]
    assert_refused(live, write_zip(archive_path(live), entries), "not a Moments Desk database")


def test_a_database_from_a_newer_app_is_refused_even_if_the_manifest_hides_it(
    live: Live, good: list[Entry], tmp_path: Path
) -> None:
    entries = alter_database(good, tmp_path, ["UPDATE alembic_version SET version_num = '9999'"])
    assert_refused(live, write_zip(archive_path(live), entries), "newer Moments Desk")


def test_a_database_missing_a_table_is_refused_by_name(
    live: Live, good: list[Entry], tmp_path: Path
) -> None:
    entries = alter_database(good, tmp_path, ["DROP TABLE customer_tag"])
    message = assert_refused(live, write_zip(archive_path(live), entries), "incomplete")
    assert "customer_tag" in message


def test_a_database_missing_a_column_is_refused_by_name(
    live: Live, good: list[Entry], tmp_path: Path
) -> None:
    entries = alter_database(good, tmp_path, ["ALTER TABLE customer DROP COLUMN remark"])
    message = assert_refused(live, write_zip(archive_path(live), entries), "incomplete")
    assert "customer.remark" in message


def test_a_database_with_a_trigger_of_its_own_is_refused(
    live: Live, good: list[Entry], tmp_path: Path
) -> None:
    trigger = "CREATE TRIGGER wipe AFTER INSERT ON sales_order BEGIN DELETE FROM customer; END"
    entries = alter_database(good, tmp_path, [trigger])
    assert_refused(live, write_zip(archive_path(live), entries), "wipe")


def test_pictures_the_database_points_outside_the_media_folder_are_refused(
    live: Live, good: list[Entry], tmp_path: Path
) -> None:
    entries = alter_database(
        good, tmp_path, ["UPDATE media_file SET rel_path = '../../prefs.json' WHERE id = 1"]
    )
    assert_refused(live, write_zip(archive_path(live), entries), "unsafe|outside")


def test_a_manifest_that_lies_about_the_revision_does_not_matter(
    live: Live, good: list[Entry]
) -> None:
    """The database's own revision decides; a manifest saying 0001 changes nothing."""
    entries = with_manifest(good, lambda m: m.update(schema_revision="0001"))
    restore_archive(write_zip(archive_path(live), entries), live.engine, live.media, live.backups)
    assert customer_count(live.engine) == 2


@pytest.mark.parametrize("revision", ["0001", "0002", "0005"])
def test_an_older_revision_snapshot_still_restores(
    live: Live, tmp_path: Path, revision: str
) -> None:
    """A stored shop of an earlier release passes the schema check of its own revision
    (built by the migrations) and is migrated to head."""
    old = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).parents[2] / "db" / "fixtures" / f"rev_{revision}.sqlite3", old)
    restore_archive(old, live.engine, live.media, live.backups)
    with sqlite3.connect(live.database) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] != revision
    db.close()


def test_an_older_revision_missing_a_column_of_its_own_is_refused(
    live: Live, tmp_path: Path
) -> None:
    old = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).parents[2] / "db" / "fixtures" / "rev_0001.sqlite3", old)
    with sqlite3.connect(old) as db:
        db.execute("ALTER TABLE customer DROP COLUMN remark")
    db.close()
    message = assert_refused(live, old, "incomplete for data format 0001")
    assert "customer.remark" in message


@pytest.mark.parametrize("kind", ["foreign", "missing-table", "newer", "not-sqlite"])
def test_a_bad_bare_database_is_refused_by_both_restore_paths(
    live: Live, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / "other.sqlite3"
    if kind == "foreign":
        foreign_sqlite(bad)
    elif kind == "not-sqlite":
        bad.write_bytes(b"SQLite format 3\x00" + bytes(5000))
    else:
        shutil.copy(live.database, bad)
        with sqlite3.connect(bad) as db:
            db.execute(
                "DROP TABLE customer_tag"
                if kind == "missing-table"
                else "UPDATE alembic_version SET version_num = '9999'"
            )
        db.close()
    assert_refused(live, bad, "not a Moments Desk database|incomplete|newer|damaged")
    state = live.state()
    with pytest.raises(ArchiveError):
        restore_snapshot(bad, live.database, live.backups)
    assert live.state() == state


def test_restore_of_a_foreign_database_on_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--demo", "--smoke").returncode == 0
    other = foreign_sqlite(tmp_path / "other.sqlite3")
    before = files_under(data)
    refused = run_app("restore", str(other), "--yes", "--data-dir", str(data))
    assert refused.returncode == 1, refused.stdout
    assert "other.sqlite3 is not a Moments Desk database" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout
    assert files_under(data) == before
    assert run_app("--data-dir", str(data), "--smoke").returncode == 0


def test_a_hostile_zip_on_the_command_line_is_a_sentence(
    live: Live, good: list[Entry], tmp_path: Path
) -> None:
    from tests.core.safety.hostile import add_picture

    live.engine.dispose()
    archive = write_zip(archive_path(live), add_picture(good, "../../evil.sh", b"#!/bin/sh\n"))
    refused = run_app("restore", str(archive), "--yes", "--data-dir", str(live.data))
    assert refused.returncode == 1
    assert "unsafe" in refused.stderr and "Traceback" not in refused.stderr
    assert not list(tmp_path.rglob("evil*"))


def test_a_snapshot_of_this_shop_still_restores(live: Live) -> None:
    snap = snapshot(live.engine, live.backups)
    restore_snapshot(snap.path, live.database, live.backups)
    assert customer_count(live.engine) == 2
