"""The Products page at 5,000 products and the Customers page at 50,000 (or the size asked
for): first paint and keystroke, against raw sqlite3 reading the same first rows.

Every page is closed and the database thread drained before the copied shop is deleted: a
page left open re-read a deleted shop in later suites ("unable to open database file").
Peak memory is measured in a process of its own (bench/memory.py)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop
from PySide6.QtWidgets import QApplication, QWidget

from bench.common import Result
from bench.dataset import NOW
from moments_desk.db.engine import DB_FILENAME
from moments_desk.scheduling.clock import FakeClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.kit.tasks import DbExecutor
from moments_desk.ui.products.page import ProductsPage


class _Counter:
    """Counts results_shown; connected once per page (no connect/disconnect per keystroke)."""

    def __init__(self, page: ProductsPage | CustomersPage) -> None:
        self.count = 0
        page.results_shown.connect(self.bump)

    def bump(self, _rows: int) -> None:
        self.count += 1


_counters: dict[int, _Counter] = {}


def _wait(app: QApplication, page: ProductsPage | CustomersPage) -> None:
    counter = _counters.setdefault(id(page), _Counter(page))
    target = counter.count + 1
    while counter.count < target:
        # Sleep until the worker's result arrives, as the app's event loop does: spinning
        # processEvents() kept the GIL from the worker running the query and doubled the
        # measured time.
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _keystrokes(app: QApplication, page: ProductsPage | CustomersPage, queries: list[str]) -> float:
    samples = []
    for query in queries:
        started = time.perf_counter()
        page.search.setText(query)
        _wait(app, page)
        page.table.viewport().repaint()  # the rows a seller sees are fetched while painting
        samples.append((time.perf_counter() - started) * 1000)
        page.search.clear()
        _wait(app, page)
    return statistics.median(samples)


CUSTOMER_KEYS = ["王", "李姐", "zs", "wl", "zhang", "138", "杭州", "lily"]
_RAW_WINDOW = (
    "SELECT id, nickname, remark, wechat_id, phone, city, stage FROM customer"
    " WHERE search_text LIKE ? ORDER BY updated_at DESC, id DESC LIMIT 101"
)


def _raw_customers(db: Path, queries: list[str]) -> tuple[float, float]:
    """raw sqlite3: the first 100 customers newest first, and the median of the same
    keystrokes' first 100 matches (the reads a page needs, without the page)."""
    conn = sqlite3.connect(db)
    conn.execute(_RAW_WINDOW, ("%%",)).fetchall()
    started = time.perf_counter()
    conn.execute(_RAW_WINDOW, ("%%",)).fetchall()
    first = (time.perf_counter() - started) * 1000
    samples = []
    for query in queries:
        started = time.perf_counter()
        conn.execute(_RAW_WINDOW, (f"%{query.lower()}%",)).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    conn.close()
    return first, statistics.median(samples)


def _close(app: QApplication, ctx: AppContext, pages: list[QWidget]) -> None:
    for page in pages:
        page.hide()
        if isinstance(page, ProductsPage):
            page.thumbnails.wait()
        page.deleteLater()
    ctx.executor.wait()
    app.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    ctx.executor.wait()


def run(shop_folder: Path) -> list[Result]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    work = Path(tempfile.mkdtemp(prefix="md-bench-ui-"))
    try:
        shutil.copytree(shop_folder, work / "shop")
        shop = open_shop(work / "shop")
        ctx = AppContext(shop, FakeClock(NOW), local_zone(), DbExecutor(), "zh_CN")
        results = []
        opened: list[QWidget] = []

        # The first page of the process also pays one-off costs (SQLAlchemy configuring its
        # mappers, Qt loading fonts) that the app pays while showing the Overview; the
        # median is over fresh pages after that, as a seller opening Products meets them.
        paints = []
        for _ in range(6):
            products = ProductsPage(ctx)
            opened.append(products)
            _counters[id(products)] = _Counter(products)
            products.resize(1280, 800)
            started = time.perf_counter()
            products.show()
            _wait(app, products)
            products.table.viewport().repaint()
            paints.append((time.perf_counter() - started) * 1000)
            products.hide()
            ctx.executor.wait()
            products.thumbnails.wait()
            app.processEvents()
        products.show()
        results.append(
            Result(
                f"products page first paint ({products.model.rowCount():,})",
                statistics.median(paints[1:]),
                note=f"median of 5 fresh pages; target ≤ 50 ms; first in the process "
                f"{paints[0]:.0f} ms",
            )
        )
        results.append(
            Result(
                "products search keystroke",
                _keystrokes(
                    app, products, ["连", "连衣裙", "lyq", "QZ25", "新品", "nbs", "燕麦色", "wt"]
                ),
                note="median; target ≤ 50 ms",
            )
        )
        products.hide()

        customers = CustomersPage(ctx)
        opened.append(customers)
        _counters[id(customers)] = _Counter(customers)
        customers.resize(1280, 800)
        started = time.perf_counter()
        customers.show()
        _wait(app, customers)
        customers.table.viewport().repaint()
        first = (time.perf_counter() - started) * 1000
        raw_first, raw_key = _raw_customers(work / "shop" / DB_FILENAME, CUSTOMER_KEYS)
        results.append(
            Result(
                f"customers page first paint ({customers.model.rowCount():,} rows shown)",
                first,
                "raw sqlite3: the first 100 rows",
                raw_first,
                note="target ≤ 150 ms at 200,000 customers",
            )
        )
        keystroke = _keystrokes(app, customers, CUSTOMER_KEYS)  # ends with the box cleared
        empty = []
        for _ in range(5):  # opening 客户 or clearing the box: the whole list, newest first
            customers.search.setText("王")
            _wait(app, customers)
            started = time.perf_counter()
            customers.search.clear()
            _wait(app, customers)
            customers.table.viewport().repaint()
            empty.append((time.perf_counter() - started) * 1000)
        results.append(
            Result(
                "customers search keystroke",
                keystroke,
                "raw sqlite3: the same keys' first 100 matches",
                raw_key,
                note="median; target ≤ 30 ms",
            )
        )
        results.append(
            Result(
                "customers empty search (clearing the box)",
                statistics.median(empty),
                "raw sqlite3: the first 100 rows",
                raw_first,
                note="median of 5; target ≤ 30 ms",
            )
        )
        _close(app, ctx, opened)
        shop.close()
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)
