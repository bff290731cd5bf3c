"""Customer import at 50,000 rows against csv.reader + raw sqlite3.executemany of the same
rows in the same run; peak memory of a process showing the Customers page on 50,000."""

from __future__ import annotations

import csv
import gc
import io
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result
from moments_desk.core.customers.customer_import import apply_customer_import
from moments_desk.core.customers.customer_import_plan import CUSTOMER_FIELDS, plan_customer_import
from moments_desk.core.demo.demo_words import CITIES, CUSTOMER_TAGS, GIVEN, NICKNAMES, SURNAMES
from moments_desk.core.shared.pinyin import forget_cached_names
from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import WeChatAccount

HEADER = ["微信号", "昵称", "备注", "手机", "性别", "生日", "城市", "标签"]


def write_file(path: Path, count: int) -> None:
    """A seller's friend list as Excel saves it in China: GB18030, one row per friend."""
    pick = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i in range(count):
        surname, given = pick.choice(SURNAMES), pick.choice(GIVEN)
        birthday = (
            f"农历{pick.randint(1, 12)}月{pick.randint(1, 28)}日"
            if i % 5 == 0
            else f"{pick.randint(1970, 2004)}-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d}"
        )
        writer.writerow(
            [
                f"wxid_{i:07d}",
                pick.choice(NICKNAMES) if i % 3 else surname + given,
                f"{pick.choice(CITIES)}-{surname}{given}",
                f"1{pick.choice('3589')}{i:09d}",
                "女" if i % 4 else "男",
                birthday if i % 2 else "",
                pick.choice(CITIES),
                pick.choice(CUSTOMER_TAGS) if i % 3 == 0 else "",
            ]
        )
    path.write_bytes(out.getvalue().encode("gb18030"))


def _fresh_db(path: Path) -> None:
    engine = make_engine(sqlite_url(path))
    upgrade_to_head(engine)
    with make_session_factory(engine).begin() as s:
        s.add(WeChatAccount(label="主号"))
    engine.dispose()


def _baseline(source: Path, db: Path) -> float:
    """csv.reader + one executemany of the file's cells into the customer table."""
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(source.read_bytes().decode("gb18030")))
    next(reader)
    stamp = "2026-11-22 04:00:00"
    rows = [(1, r[0], r[1], r[2], r[3], r[4], r[6], stamp, stamp, *_DEFAULTS) for r in reader]
    raw = sqlite3.connect(db)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA foreign_keys=ON")
    columns = (
        "account_id, wechat_id, nickname, remark, phone, gender, city, created_at, updated_at, "
        "birthday_lunar, birthday_leap_month, relationship, stage, stage_set_by_hand, source, "
        "consent_note, notes, search_text"
    )
    marks = ", ".join("?" * 18)
    with raw:
        raw.executemany(f"INSERT INTO customer ({columns}) VALUES ({marks})", rows)
    raw.close()
    return (time.perf_counter() - started) * 1000


_DEFAULTS = (0, 0, "customer", "prospect", 0, "unknown", "", "", "")


StoredRows = tuple[list[str], list[tuple[object, ...]]]


def _stored_rows(db: Path) -> StoredRows:
    """The customer rows an import stored, as the database holds them (read untimed)."""
    raw = sqlite3.connect(db)
    cursor = raw.execute("SELECT * FROM customer ORDER BY id")
    names = [d[0] for d in cursor.description if d[0] != "id"]
    rows = [row[1:] for row in cursor]
    raw.close()
    return names, rows


def _stored_baseline(source: Path, db: Path, stored: StoredRows) -> float:
    """csv.reader of the file + one executemany of the rows the app stored for it, search
    columns included: the raw cost of storing the same rows."""
    names, rows = stored
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(source.read_bytes().decode("gb18030")))
    cells = list(reader)
    assert len(cells) == len(rows) + 1
    raw = sqlite3.connect(db)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA foreign_keys=ON")
    marks = ", ".join("?" * len(names))
    with raw:
        raw.executemany(f"INSERT INTO customer ({', '.join(names)}) VALUES ({marks})", rows)
    raw.close()
    return (time.perf_counter() - started) * 1000


def _app(source: Path, db: Path) -> tuple[float, float, float]:
    engine = make_engine(sqlite_url(db))
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    table = read_table(source)
    read_s = time.perf_counter()
    with sessions() as session:
        plan = plan_customer_import(
            table, guess_mapping(table.headers, CUSTOMER_FIELDS), session, 1
        )
    assert plan.ok, plan.errors[:3]
    plan_s = time.perf_counter()
    apply_customer_import(plan, engine)
    done = time.perf_counter()
    engine.dispose()
    return (read_s - started) * 1000, (plan_s - read_s) * 1000, (done - plan_s) * 1000


def import_run(count: int, rounds: int = 5) -> list[Result]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "customers.csv"
        write_file(source, count)
        base: list[float] = []
        stored_base: list[float] = []
        app: list[tuple[float, float, float]] = []
        for round_ in range(rounds + 1):  # round 0 warms up: modules loaded, disk cache warm
            for kind in ("raw", "app", "stored"):
                _fresh_db(folder / f"{kind}{round_}.sqlite3")
            forget_cached_names()  # names already read in an earlier round are read again
            # Each timed part starts on a collected heap: none pays for another's garbage.
            gc.collect()
            base_ms = _baseline(source, folder / f"raw{round_}.sqlite3")
            gc.collect()
            app_ms = _app(source, folder / f"app{round_}.sqlite3")
            stored = _stored_rows(folder / f"app{round_}.sqlite3")
            gc.collect()
            stored_ms = _stored_baseline(source, folder / f"stored{round_}.sqlite3", stored)
            if round_:
                base.append(base_ms)
                app.append(app_ms)
                stored_base.append(stored_ms)
        read_ms, plan_ms, write_ms = (statistics.median(part) for part in zip(*app, strict=True))
        total = statistics.median(sum(parts) for parts in app)
        # Same-round ratios: how far this machine's noise moves the figure.
        ratios = [sum(parts) / b for parts, b in zip(app, base, strict=True)]
        return [
            Result(
                f"import {count:,} customers (CSV, GB18030)",
                total,
                "csv.reader + sqlite3.executemany",
                statistics.median(base),
                note=f"read {read_ms:.0f} + check {plan_ms:.0f} + write {write_ms:.0f} ms "
                f"(medians of {rounds}); {count / total * 1000:,.0f} rows/s; "
                f"round by round {min(ratios):.2f}–{max(ratios):.2f}×; target ≤ 2×",
            ),
            Result(
                f"  same import against the rows it stored ({count:,})",
                total,
                "csv.reader + executemany of the stored rows",
                statistics.median(stored_base),
                note="search columns included: the raw cost of storing the same rows",
            ),
        ]


_RSS_SCRIPT = """
import os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
from bench.dataset import NOW
from moments_desk.scheduling.clock import FakeClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.kit.tasks import DbExecutor

app = QApplication([])
shop = open_shop(Path(sys.argv[1]))
ctx = AppContext(shop, FakeClock(NOW), local_zone(), DbExecutor(), "zh_CN")
page = CustomersPage(ctx)
shown = []
page.results_shown.connect(shown.append)
page.resize(1280, 800)
page.show()
while not shown:
    app.processEvents()
page.table.viewport().repaint()
page.table.scrollToBottom()
page.table.viewport().repaint()
ctx.executor.wait()
# VmHWM is this program's own high-water mark: ru_maxrss also counts the benchmark
# process it was forked from (Linux carries the parent's peak over exec).
try:
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
except (OSError, StopIteration):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(page.model.rowCount(), peak_kb)
"""


def rss_run(shop_folder: Path) -> list[Result]:
    import shutil

    with tempfile.TemporaryDirectory() as name:
        work = Path(name) / "shop"
        shutil.copytree(shop_folder, work)
        done = subprocess.run(
            [sys.executable, "-c", _RSS_SCRIPT, str(work)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    rows, peak_kb = (int(v) for v in done.stdout.split()[-2:])
    return [
        Result(
            f"peak RSS, Customers page open on {rows:,}",
            0.0,
            note=f"{peak_kb / 1024:,.0f} MB (own process: VmHWM)",
        )
    ]


def run(shop_folder: Path, count: int) -> list[Result]:
    return import_run(count) + rss_run(shop_folder)
