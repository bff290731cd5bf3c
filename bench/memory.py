"""Peak memory of the app, each figure from a process of its own.

Measured in the benchmark process, a peak would also count every suite that ran before it
(ru_maxrss never goes down); a child process's VmHWM is its own high-water mark.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Result

#: argv: shop folder, then "bare" (the shop opened, no page), "lists" (Products and
#: Customers shown, searched and scrolled) or "all" (the main window, every page visited).
_SCRIPT = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
from bench.dataset import NOW
from moments_desk.scheduling.clock import FakeClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.tasks import DbExecutor

app = QApplication([])
shop = open_shop(Path(sys.argv[1]))
ctx = AppContext(shop, FakeClock(NOW), local_zone(), DbExecutor(), "zh_CN")
what = sys.argv[2]


def settle(seconds=0.5):
    # Until the database thread has nothing left and the event loop is quiet.
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ctx.executor.wait()
        app.processEvents()
        time.sleep(0.02)


shown = 0
if what == "lists":
    from moments_desk.ui.customers.page import CustomersPage
    from moments_desk.ui.products.page import ProductsPage

    pages = [ProductsPage(ctx), CustomersPage(ctx)]
    for page in pages:
        page.resize(1280, 800)
        page.show()
        settle()
        page.search.setText("王")
        settle()
        page.search.clear()
        page.table.scrollToBottom()
        settle()
        shown += page.model.rowCount()
elif what == "all":
    from moments_desk.ui.main_window import MainWindow

    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    settle(1.0)
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        settle(1.0)
        shown += 1
settle(0.2)
status = Path("/proc/self/status").read_text()
peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
ctx.executor.wait()
print(shown, peak_kb)
"""


def peak_kb(shop_folder: Path, what: str) -> tuple[int, int]:
    """(rows or pages shown, peak RSS in KiB) of a fresh process on a copy of the shop."""
    with tempfile.TemporaryDirectory() as name:
        work = Path(name) / "shop"
        shutil.copytree(shop_folder, work)
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(work), what],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    shown, peak = (int(v) for v in done.stdout.split()[-2:])
    return shown, peak


def run(shop_folder: Path, customers: int) -> list[Result]:
    _, bare = peak_kb(shop_folder, "bare")
    _, lists = peak_kb(shop_folder, "lists")
    pages, every = peak_kb(shop_folder, "all")
    return [
        Result(
            "peak RSS with Products and Customers open",
            lists / 1024,
            "the shop opened, no page",
            bare / 1024,
            note="own process (VmHWM)",
            unit="MB",
        ),
        Result(
            f"peak RSS after visiting every page ({pages}) at {customers:,} customers",
            every / 1024,
            "the shop opened, no page",
            bare / 1024,
            note="own process (VmHWM); target ≤ 300 MB at 200,000 customers",
            unit="MB",
        ),
    ]
