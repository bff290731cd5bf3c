"""The Products page at 5,000 products and the Customers page at 50,000: paint and keystroke."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from bench.common import Result
from bench.dataset import NOW
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


def run(shop_folder: Path) -> list[Result]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    work = Path(tempfile.mkdtemp(prefix="md-bench-ui-"))
    try:
        shutil.copytree(shop_folder, work / "shop")
        shop = open_shop(work / "shop")
        ctx = AppContext(shop, FakeClock(NOW), local_zone(), DbExecutor(), "zh_CN")
        results = []

        # The first page of the process also pays one-off costs (SQLAlchemy configuring its
        # mappers, Qt loading fonts) that the app pays while showing the Overview; the
        # median is over fresh pages after that, as a seller opening Products meets them.
        paints = []
        for _ in range(6):
            products = ProductsPage(ctx)
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
        _counters[id(customers)] = _Counter(customers)
        customers.resize(1280, 800)
        started = time.perf_counter()
        customers.show()
        _wait(app, customers)
        customers.table.viewport().repaint()
        first = (time.perf_counter() - started) * 1000
        results.append(
            Result(f"customers page first paint ({customers.model.rowCount():,})", first)
        )
        results.append(
            Result(
                "customers search keystroke",
                _keystrokes(
                    app, customers, ["王", "李姐", "zs", "wl", "zhang", "138", "杭州", "lily"]
                ),
                note="median; target ≤ 30 ms",
            )
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append(Result("peak RSS with both pages open", 0.0, note=f"{peak_mb:,.0f} MB"))
        ctx.executor.wait()
        shop.close()
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)
