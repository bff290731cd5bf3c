"""The app as a seller (or CI) starts it: real processes, real exit codes and messages."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from moments_desk.db.engine import DB_FILENAME
from moments_desk.db.migrate import head_revision
from moments_desk.instance_lock import InstanceLock


def run_app(*args: str, timeout: int = 90) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "en_US.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "moments_desk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_smoke_on_a_fresh_folder_creates_the_shop(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    result = run_app("--data-dir", str(data), "--smoke", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("smoke ok ")
    assert int(result.stdout.split()[2]) > 0
    with sqlite3.connect(data / DB_FILENAME) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
    db.close()


def test_missing_parent_folder_is_reported_and_nothing_created(tmp_path: Path) -> None:
    data = tmp_path / "unplugged-usb" / "shop"
    result = run_app("--data-dir", str(data), "--smoke", "--lang", "en")
    assert result.returncode == 3
    assert "does not exist" in result.stderr and str(data) in result.stderr
    assert not (tmp_path / "unplugged-usb").exists()


def test_data_dir_that_is_a_file_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    data.write_text("not a folder")
    result = run_app("--data-dir", str(data), "--smoke", "--lang", "en")
    assert result.returncode == 3
    assert "is a file" in result.stderr
    assert data.read_text() == "not a folder"


def test_corrupt_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    data.mkdir()
    garbage = b"this was a spreadsheet, not a database\x00" * 200
    (data / DB_FILENAME).write_bytes(garbage)
    result = run_app("--data-dir", str(data), "--smoke", "--lang", "en")
    assert result.returncode == 5
    assert "damaged" in result.stderr
    assert (data / DB_FILENAME).read_bytes() == garbage


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--smoke").returncode == 0
    with sqlite3.connect(data / DB_FILENAME) as db:
        db.execute("UPDATE alembic_version SET version_num = '0999_future'")
    db.close()
    before = (data / DB_FILENAME).read_bytes()
    result = run_app("--data-dir", str(data), "--smoke", "--lang", "en")
    assert result.returncode == 5
    assert "newer version" in result.stderr and "0999_future" in result.stderr
    assert (data / DB_FILENAME).read_bytes() == before


def test_second_instance_on_the_same_folder_exits_without_touching_data(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--smoke").returncode == 0
    before = (data / DB_FILENAME).read_bytes()
    # Stands in for the first window: the same OS lock its process holds.
    lock = InstanceLock.acquire(data / "moments-desk.lock")
    try:
        result = run_app("--data-dir", str(data), "--smoke", "--lang", "en")
    finally:
        lock.unlock()
    assert result.returncode == 4
    assert "already open" in result.stderr
    assert (data / DB_FILENAME).read_bytes() == before


def test_unreachable_postgresql_is_reported_without_the_password(tmp_path: Path) -> None:
    result = run_app(
        "--data-dir",
        str(tmp_path / "shop"),
        "--database",
        "postgresql://seller:s3cret-pw@127.0.0.1:1/shop",
        "--smoke",
        "--lang",
        "en",
    )
    assert result.returncode == 5
    assert "Could not connect" in result.stderr
    assert "s3cret-pw" not in result.stderr


def test_unusable_database_url_is_reported(tmp_path: Path) -> None:
    result = run_app(
        "--data-dir", str(tmp_path / "shop"), "--database", "oracle-ish:/nope", "--smoke"
    )
    assert result.returncode == 2
    assert "not a database address" in result.stderr


def test_startup_errors_speak_chinese(tmp_path: Path) -> None:
    result = run_app("--data-dir", str(tmp_path / "nope" / "shop"), "--smoke", "--lang", "zh_CN")
    assert result.returncode == 3
    assert "数据文件夹" in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_read_only_folder_is_reported() -> None:
    from moments_desk.paths import DataDirError, prepare_data_dir

    # /proc/self is a folder even root cannot create files in.
    with pytest.raises(DataDirError) as raised:
        prepare_data_dir(Path("/proc/self"))
    assert raised.value.reason == DataDirError.NOT_WRITABLE
