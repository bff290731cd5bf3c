"""The Planner's month view on a realistic month: repaint, and reload (read + check + paint).

The month is the demo shop's main account after "plan 4 weeks": every slot filled with a
draft or a post, rule warnings on. The baseline is the same view painting an empty month.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.common import Result
from bench.dataset import NOW
from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.shared import uow
from moments_desk.scheduling.clock import FakeClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.tasks import DbExecutor
from moments_desk.ui.planner.month_view import MonthView
from moments_desk.ui.planner.page import PlannerPage


def _repaint_ms(app: QApplication, view: MonthView, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        view._chips = []  # as after a reload: lay the chips out again
        started = time.perf_counter()
        view.repaint()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run(shop_folder: Path, repeat: int = 20) -> list[Result]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    work = Path(tempfile.mkdtemp(prefix="md-bench-planner-"))
    try:
        shutil.copytree(shop_folder, work / "shop")
        shop = open_shop(work / "shop")
        zone = local_zone()
        uow.write(shop.sessions, lambda s: plan_weeks(s, 4, NOW, zone=zone))
        ctx = AppContext(shop, FakeClock(NOW), zone, DbExecutor(), "zh_CN")
        page = PlannerPage(ctx)
        page.resize(1440, 900)
        loads = [0]
        page.loaded.connect(lambda: loads.__setitem__(0, loads[0] + 1))
        page.show()
        while loads[0] < 1:
            app.processEvents()

        def reload() -> None:
            target = loads[0] + 1
            page.reload()
            while loads[0] < target:
                app.processEvents()
            page.month.repaint()

        page.set_month_mode(True)
        while loads[0] < 2:
            app.processEvents()
        month = page.month
        chips = len(month.chips())
        busy = _repaint_ms(app, month, repeat)
        reload_samples = []
        for _ in range(max(repeat // 4, 3)):
            started = time.perf_counter()
            reload()
            reload_samples.append((time.perf_counter() - started) * 1000)

        empty = MonthView(zone)
        empty.resize(month.size())
        empty.set_month(month.month, month.today, [], [])
        empty.show()
        app.processEvents()
        baseline = _repaint_ms(app, empty, repeat)
        ctx.executor.wait()
        shop.close()
        return [
            Result(
                "planner month view repaint",
                busy,
                "same view, empty month",
                baseline,
                note=f"{len(month.posts)} posts, {chips} chips",
            ),
            Result(
                "planner month reload (read, rule check, paint)",
                statistics.median(reload_samples),
                note=f"{len(month.posts)} posts",
            ),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
