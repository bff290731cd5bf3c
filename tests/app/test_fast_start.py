"""What the fast start and the fast exit must not lose: the integrity check (now after the
first paint, off the GUI thread), the exit backup, the logs and the lock."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from moments_desk.db.engine import DB_FILENAME
from moments_desk.instance_lock import InstanceLock
from moments_desk.startup_check import IntegrityWatch
from tests.app.test_startup_cli import run_app

#: Runs the real app without --smoke (so the exit backup runs) and quits once the first
#: page has painted, as a seller closing the window would.
DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import moments_desk.ui.main_window as main_window
from moments_desk.app import main

built = main_window.MainWindow.__init__

def init(self, ctx):
    built(self, ctx)
    self.first_page_painted.connect(lambda: QTimer.singleShot(0, QApplication.quit))

main_window.MainWindow.__init__ = init
code = main(sys.argv[1:])
print("returned from main", code, flush=True)
"""


def damage_table(data: Path, table: str) -> bytes:
    """Overwrite the root page of ``table`` (one no read before the first paint touches)."""
    db_file = data / DB_FILENAME
    with sqlite3.connect(db_file) as db:
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
        (root,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    db.close()
    with open(db_file, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 64)
    return db_file.read_bytes()


def test_damage_found_after_the_paint_still_stops_and_names_the_backup(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--smoke").returncode == 0
    made = run_app("backup", "--data-dir", str(data))
    assert made.returncode == 0, made.stderr
    [snap] = list((data / "backups").glob("manual-*.sqlite3"))
    damaged = damage_table(data, "audit_log")

    started = run_app("--data-dir", str(data), "--smoke", "--lang", "en")

    assert started.returncode == 5
    assert "smoke ok" not in started.stdout
    assert f"newest good backup: {snap}" in started.stderr
    assert (data / DB_FILENAME).read_bytes() == damaged, "nothing written to the damaged file"
    log = (data / "logs" / "moments-desk.log").read_text(encoding="utf-8")
    assert "integrity check failed after start" in log


def test_damage_met_by_the_plain_sql_sign_in_still_names_the_backup(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--smoke").returncode == 0
    assert run_app("backup", "--data-dir", str(data)).returncode == 0
    [snap] = list((data / "backups").glob("manual-*.sqlite3"))
    damaged = damage_table(data, "app_user")  # read over sqlite3 before the window

    started = run_app("--data-dir", str(data), "--smoke", "--lang", "en")

    assert started.returncode == 5
    assert f"newest good backup: {snap}" in started.stderr
    assert (data / DB_FILENAME).read_bytes() == damaged, "nothing written to the damaged file"


def test_fast_exit_keeps_the_exit_backup_the_log_and_frees_the_lock(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    # An account: no setup wizard waits for a person; one owner without PIN: no sign-in.
    added = run_app("--data-dir", str(data), "account", "add", "主号")
    assert added.returncode == 0, added.stderr
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "en_US.UTF-8"}
    ran = subprocess.run(
        [sys.executable, "-c", DRIVER, "--data-dir", str(data), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert "returned from main" not in ran.stdout  # the process ended without teardown
    assert list((data / "backups").glob("auto-*.sqlite3")), "the exit backup was made"
    log = (data / "logs" / "moments-desk.log").read_text(encoding="utf-8")
    assert "backup on exit" in log  # the log reached the file before the process ended
    InstanceLock.acquire(data / "moments-desk.lock").unlock()


def test_integrity_watch_reports_on_the_gui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    sound = tmp_path / "sound.sqlite3"
    with sqlite3.connect(sound) as db:
        db.execute("CREATE TABLE t (x)")
        db.executemany("INSERT INTO t VALUES (?)", [(str(i) * 50,) for i in range(2000)])
    db.close()
    watch = IntegrityWatch(sound)
    with qtbot.waitSignal(watch.finished, timeout=10_000):
        watch.start()
    assert watch.done and watch.problem is None

    broken = tmp_path / "broken.sqlite3"
    data = bytearray(sound.read_bytes())
    data[4096 * 2 : 4096 * 2 + 64] = b"\xff" * 64
    broken.write_bytes(bytes(data))
    watch = IntegrityWatch(broken)
    with qtbot.waitSignal(watch.damaged, timeout=10_000) as seen:
        watch.start()
    assert seen.args and seen.args[0]
    assert watch.wait() == seen.args[0]


#: A real start (no --smoke) that reports what the window holds at the first paint and once
#: the reminders are installed after it, then quits.
AFTER_PAINT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDockWidget
import moments_desk.app as app
import moments_desk.ui.main_window as main_window

built = main_window.MainWindow.__init__
installed = app._RemindersAfterPaint.install

def init(self, ctx):
    built(self, ctx)
    def painted():
        print("docks at paint", len(self.findChildren(QDockWidget)), flush=True)
        print("tables at paint", "moments_desk.db.models.posts" in sys.modules, flush=True)
        print("sqlalchemy at paint", "sqlalchemy" in sys.modules, flush=True)
    self.first_page_painted.connect(painted)

def install_then_quit(self):
    installed(self)
    window = self._window
    print("sqlalchemy after install", "sqlalchemy" in sys.modules, flush=True)
    print("docks after install", len(window.findChildren(QDockWidget)), flush=True)
    window.nav.setCurrentRow(2)
    print("opened", type(window.stack.currentWidget()).__name__, flush=True)
    QTimer.singleShot(0, QApplication.quit)

main_window.MainWindow.__init__ = init
app._RemindersAfterPaint.install = install_then_quit
app.main(sys.argv[1:])
"""


def test_overview_paints_before_the_tables_and_reminders_then_pages_open(tmp_path: Path) -> None:
    data = tmp_path / "shop"
    added = run_app("--data-dir", str(data), "account", "add", "主号")
    assert added.returncode == 0, added.stderr
    # The first start writes the owner's profile (through the ORM); this is a later one.
    assert run_app("--data-dir", str(data), "--smoke").returncode == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "en_US.UTF-8"}
    ran = subprocess.run(
        [sys.executable, "-c", AFTER_PAINT, "--data-dir", str(data), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert "docks at paint 0" in lines  # the Overview painted without waiting for them
    assert "docks after install 1" in lines  # the due-now panel, installed after the paint
    assert lines.index("docks at paint 0") < lines.index("docks after install 1")
    # A SQLite shop's Overview paints from plain SQL, before the table classes load...
    assert "tables at paint False" in lines
    # ...and before SQLAlchemy itself (revision, sign-in and figures over sqlite3); the
    # engine is made at idle after the paint.
    assert "sqlalchemy at paint False" in lines
    assert "sqlalchemy after install True" in lines
    # ...and the pages that need them still open.
    assert "opened CustomersPage" in lines
