"""The command line says what the window says: a sentence and the documented exit code,
never an internal code such as ``data_dir_missing_parent:``, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from moments_desk.cli import text as cli_text
from moments_desk.cli.commands import run_command
from moments_desk.instance_lock import InstanceLock
from moments_desk.startup import StartupProblem

CODES = tuple(f"{p.value}" for p in StartupProblem)


def commands(tmp_path: Path) -> dict[str, list[str]]:
    customers = tmp_path / "friends.csv"
    customers.write_text("微信号,昵称\nwx_1,小美\n", encoding="utf-8")
    products = tmp_path / "products.csv"
    products.write_text("编码,名称,售价\nQZ-1,连衣裙,99\n", encoding="utf-8")
    return {
        "check": ["check"],
        "backup": ["backup"],
        "plan": ["plan", "--dry-run"],
        "import customers": ["import", "customers", str(customers)],
        "import taobao-orders": ["import", "taobao-orders", str(customers)],
        "import products": ["import", "products", str(products)],
        "restore": ["restore", str(tmp_path / "snapshot.sqlite3"), "--yes"],
    }


COMMANDS = (
    "check",
    "backup",
    "plan",
    "import customers",
    "import taobao-orders",
    "import products",
    "restore",
)


def missing_parent(tmp_path: Path) -> list[str]:
    return ["--data-dir", str(tmp_path / "unplugged-usb" / "shop")]


def a_file(tmp_path: Path) -> list[str]:
    (tmp_path / "shop").write_text("not a folder")
    return ["--data-dir", str(tmp_path / "shop")]


def already_running(tmp_path: Path) -> list[str]:
    (tmp_path / "shop").mkdir()
    held = InstanceLock.acquire(tmp_path / "shop" / "moments-desk.lock")
    HELD.append(held)
    return ["--data-dir", str(tmp_path / "shop")]


HELD: list[InstanceLock] = []

PROBLEMS: dict[str, tuple[Callable[[Path], list[str]], int, str]] = {
    "missing parent": (missing_parent, 3, "does not exist, and neither does the folder"),
    "data folder is a file": (a_file, 3, "is a file, not a folder"),
    "already running": (already_running, 4, "Moments Desk is already open with the data folder"),
}


@pytest.fixture(autouse=True)
def english_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_text, "system_language", lambda: "en")


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_reports_a_sentence(
    command: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_args, exit_code, sentence = PROBLEMS[problem]
    argv = commands(tmp_path)[command] + make_args(tmp_path)
    try:
        assert run_command(argv) == exit_code
    finally:
        while HELD:
            HELD.pop().unlock()
    err = capsys.readouterr().err
    assert sentence in err
    assert not any(code in err for code in CODES), err


@pytest.mark.parametrize("url", ["mysql://seller:pw@127.0.0.1/shop", "mssql://h/x", "oracle://h/x"])
@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "restore"])
def test_unsupported_database_is_exit_2_with_what_works(
    command: str, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*commands(tmp_path)[command], "--data-dir", str(tmp_path / "shop"), "--database", url]
    assert run_command(argv) == 2
    err = capsys.readouterr().err
    kind = {"mysql": "MySQL", "mssql": "SQL Server", "oracle": "Oracle"}[url.split(":", 1)[0]]
    assert f"Moments Desk cannot use {kind} databases" in err
    assert "SQLite" in err and "postgresql://" in err
    assert "pw@" not in err  # the password stays masked
    assert not (tmp_path / "shop").exists()  # refused before anything was created
    assert not any(code in err for code in CODES), err


def test_lang_flag_speaks_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command(["check", "--lang", "zh_CN", *missing_parent(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "找不到数据文件夹" in err and "不存在" in err


def test_a_chinese_terminal_gets_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_text, "system_language", lambda: "zh_CN")
    assert run_command(["backup", *missing_parent(tmp_path)]) == 3
    assert "数据文件夹" in capsys.readouterr().err
    assert run_command(["check", "--lang", "en", *missing_parent(tmp_path)]) == 3
    assert "Data folder not found" in capsys.readouterr().err


def test_import_file_errors_follow_lang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    data = ["--data-dir", str(tmp_path / "shop")]
    assert run_command(["import", "customers", str(empty), *data]) == 1
    english = capsys.readouterr().err
    assert run_command(["import", "customers", str(empty), "--lang", "zh_CN", *data]) == 1
    chinese = capsys.readouterr().err
    assert english != chinese and not (tmp_path / "shop").exists()


def run(*args: str, lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": lang}
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "moments_desk", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        check=False,
    )


@pytest.mark.parametrize("url", ["mysql://seller:pw@127.0.0.1/shop", "mssql://h/x", "oracle://h/x"])
def test_gui_start_with_an_unsupported_database(tmp_path: Path, url: str) -> None:
    result = run("--data-dir", str(tmp_path / "shop"), "--database", url, "--smoke", "--lang", "en")
    assert result.returncode == 2, result.stderr
    assert "cannot use" in result.stderr and "PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr and "ModuleNotFoundError" not in result.stderr
    assert not (tmp_path / "shop").exists()


def test_command_line_process_with_an_unsupported_driver(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://seller@127.0.0.1/shop"
    result = run("check", "--data-dir", str(tmp_path / "shop"), "--database", url)
    assert result.returncode == 2
    assert "cannot use postgresql+asyncpg databases" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="the locale comes from LANG on Unix")
def test_a_chinese_locale_without_lang_speaks_chinese(tmp_path: Path) -> None:
    folder = str(tmp_path / "unplugged-usb" / "shop")
    chinese = run("check", "--data-dir", folder, lang="zh_CN.UTF-8")
    assert chinese.returncode == 3 and "找不到数据文件夹" in chinese.stderr
    english = run("check", "--data-dir", folder)
    assert english.returncode == 3 and "Data folder not found" in english.stderr
