"""``moments-desk backup / restore / check`` and the damaged-database start, as real processes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from moments_desk.core.safety.integrity import check_sqlite_file
from moments_desk.db.engine import DB_FILENAME
from tests.app.test_startup_cli import run_app


def corrupt(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096 * 4)


def customers(data: Path) -> int:
    with sqlite3.connect(data / DB_FILENAME) as db:
        (count,) = db.execute("SELECT count(*) FROM customer").fetchone()
    db.close()
    return int(count)


def test_backup_check_and_restore_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--demo", "--smoke").returncode == 0
    demo_customers = customers(data)
    checked = run_app("check", "--full", "--data-dir", str(data))
    assert checked.returncode == 0, checked.stderr
    assert "full integrity check ok" in checked.stdout and "all present" in checked.stdout

    archive = tmp_path / "backup"
    made = run_app("backup", "--to", str(archive), "--data-dir", str(data))
    assert made.returncode == 0, made.stderr
    assert f"{demo_customers:,} customers" in made.stdout
    assert (tmp_path / "backup.zip").is_file()

    with sqlite3.connect(data / DB_FILENAME) as db:
        db.execute("DELETE FROM customer")
    db.close()
    refused = run_app("restore", str(tmp_path / "backup.zip"), "--data-dir", str(data))
    assert refused.returncode == 1 and "not confirmed" in refused.stderr
    assert customers(data) == 0
    restored = run_app("restore", str(tmp_path / "backup.zip"), "--yes", "--data-dir", str(data))
    assert restored.returncode == 0, restored.stderr
    assert "made " in restored.stdout and f"{demo_customers:,} customers" in restored.stdout
    assert customers(data) == demo_customers
    assert list((data / "backups").glob("pre-restore-*.sqlite3"))


def test_a_damaged_database_is_refused_and_the_newest_good_backup_named(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--demo", "--smoke").returncode == 0
    made = run_app("backup", "--data-dir", str(data))
    assert made.returncode == 0, made.stderr
    [snap] = list((data / "backups").glob("manual-*.sqlite3"))
    corrupt(data / DB_FILENAME)
    assert not check_sqlite_file(data / DB_FILENAME).ok

    started = run_app("--data-dir", str(data), "--smoke")
    assert started.returncode == 5
    assert f"newest good backup: {snap}" in started.stderr
    checked = run_app("check", "--data-dir", str(data))
    assert checked.returncode == 5 and f"moments-desk restore {snap}" in checked.stderr

    restored = run_app("restore", str(snap), "--yes", "--data-dir", str(data))
    assert restored.returncode == 0, restored.stderr
    assert list((data / "backups").glob("damaged-*.sqlite3")), "the damaged file is kept"
    assert run_app("--data-dir", str(data), "--smoke").returncode == 0


def test_check_names_missing_pictures(tmp_path: Path) -> None:
    from sqlalchemy import text

    from moments_desk.db.engine import make_engine, sqlite_url
    from moments_desk.db.migrate import upgrade_to_head
    from tests.core.safety.shopdata import fill_shop

    data = tmp_path / "shop"
    data.mkdir()
    engine = make_engine(sqlite_url(data / DB_FILENAME))
    upgrade_to_head(engine)
    fill_shop(engine, data / "media", tmp_path)
    with engine.connect() as conn:
        rel = conn.execute(text("SELECT rel_path FROM media_file")).scalars().first()
    engine.dispose()
    assert rel is not None
    (data / "media" / rel).unlink()
    checked = run_app("check", "--data-dir", str(data))
    assert checked.returncode == 1
    assert "1 missing" in checked.stderr and f"{rel} (p0.jpg)" in checked.stderr
