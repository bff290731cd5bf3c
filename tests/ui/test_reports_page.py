"""The Reports page as a seller uses it: filters change the figures, sorting, lists, exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QFileDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from moments_desk.core.reports.customers import Segment
from moments_desk.core.reports.table import Cell
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.reports.cards import ReportTableModel
from moments_desk.ui.reports.page import ReportsPage
from tests.core.reports.shop import build_customer_shop, build_post_shop


@pytest.fixture
def page(qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]) -> ReportsPage:
    with shop.sessions.begin() as s:
        build_post_shop(s)
    made = ReportsPage(make_ctx())
    qtbot.addWidget(made)
    made.resize(1200, 800)
    with qtbot.waitSignal(made.loaded, timeout=10_000):
        made.show()
    return made


def column(page: ReportsPage, key: str) -> list[Cell]:
    table = page.posts.posts_card.model.table
    assert table is not None
    return table.column(key)


def test_every_report_table_is_a_well_behaved_qt_model(
    page: ReportsPage, qtmodeltester: ModelTester
) -> None:
    """Every table on the page (and the table behind each chart), filled and empty."""
    models = page.findChildren(ReportTableModel)
    assert len(models) >= 3
    assert any(model.rowCount() > 0 for model in models)
    for model in models:
        qtmodeltester.check(model)
    qtmodeltester.check(ReportTableModel())


def test_post_table_and_charts_show_the_figures(page: ReportsPage) -> None:
    # Last 90 days up to Sunday 22 Nov: the three posted posts, newest first.
    assert page.posts.posts_card.model.rowCount() == 3
    assert column(page, "likes") == [1, 1, 3]
    assert column(page, "reach") == [2, 2, 6]
    assert page.posts.posts_card.model.index(2, 9).data() == "33.3%"
    assert page.posts.posts_card.note.text() == "Posts: 3"
    kinds = page.posts.kind_chart
    assert kinds.categories == ["New arrivals", "Promotion", "Lifestyle"]
    assert kinds.tooltip_text(1, 0) == "New arrivals · Orders: 2"
    heat = page.posts.heatmap
    assert heat.values[0][20] == 2.0 and heat.values[2][0] == 1.0
    assert "Mon 20:00" in heat.tooltip(0, 20)
    assert page.posts.best.text().startswith("Best times to post in this range: Mon 20:00")
    assert "orders/post), " in page.posts.best.text()  # an English list, not 、
    # Every chart's numbers one click away as a table.
    card = page.posts.kind_card
    card.toggle.click()
    assert card.stack.currentWidget() is card.view
    assert card.model.index(0, 0).data() == "New arrivals"


def test_filters_change_the_figures(qtbot: QtBot, page: ReportsPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.account.setCurrentIndex(combos.find(page.account, 2))  # 小号: only p1
    assert column(page, "likes") == [1]
    assert column(page, "orders") == [1]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.account.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_range(date(2026, 11, 17), date(2026, 11, 17))
    assert page.posts.posts_card.model.rowCount() == 1  # p2 at 23:50; p3 is Wednesday's
    assert column(page, "posted_at") == ["2026-11-17 23:50"]


def test_clicking_a_heading_sorts_in_sql(qtbot: QtBot, page: ReportsPage) -> None:
    keys = [c.key for c in page.posts.posts_card.model.table.columns]  # type: ignore[union-attr]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.posts.posts_card.view.horizontalHeader().sectionClicked.emit(keys.index("orders"))
    assert column(page, "orders") == [2, 1, 0]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.posts.posts_card.view.horizontalHeader().sectionClicked.emit(keys.index("orders"))
    assert column(page, "orders") == [0, 1, 2]


def test_export_writes_the_numbers(
    qtbot: QtBot, page: ReportsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "posts.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    page.export_current()
    assert page.last_export == target
    book = load_workbook(target)
    sheet = book[book.sheetnames[0]]
    assert [c.value for c in sheet[1]][:4] == ["Posted", "Kind", "Text", "Likes"]
    assert [c.value for c in sheet[4]][3:9] == [3, 1, 1, 2, 300.0, 6]
    assert sheet["B4"].value == "New arrivals"  # words, not codes
    assert len(book.sheetnames) == 6 and book.sheetnames[-1] == "Sales and stock by size"
    csv_target = tmp_path / "kinds.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(csv_target), ""))
    )
    with qtbot.waitSignal(page.posts.kind_card.exported):
        page.posts.kind_card._export(".csv")
    assert "New arrivals,1,2,300.00,2.00" in csv_target.read_text(encoding="utf-8-sig")


def test_weekly_summary_as_html_and_pdf(qtbot: QtBot, page: ReportsPage, tmp_path: Path) -> None:
    html_path = tmp_path / "summary.html"
    page.write_weekly_summary(html_path)
    qtbot.waitUntil(lambda: page.last_export == html_path, timeout=10_000)
    text = html_path.read_text(encoding="utf-8")
    assert "2026-11-16" in text and "¥350" in text
    pdf_path = tmp_path / "summary.pdf"
    page.write_weekly_summary(pdf_path)
    qtbot.waitUntil(lambda: page.last_export == pdf_path, timeout=10_000)
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_customer_tab_and_a_segment_list(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    with shop.sessions.begin() as s:
        ids = build_customer_shop(s)
    page = ReportsPage(make_ctx())
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.preset.setCurrentIndex(3)  # last 365 days
    with qtbot.waitSignals(
        [page.loaded, page.loaded],
        check_params_cbs=[lambda t: t == "customers", lambda t: t == "customers-trends"],
        order="strict",
        timeout=10_000,
    ):
        page.tabs.setCurrentIndex(1)
    tab = page.customers
    assert tab.cohort_card.model.rowCount() == 13  # Nov 2025 – Nov 2026, filled in second
    assert tab.card_buyers.value.text() == "9"
    assert tab.card_repurchase.value.text() == "33.3%"
    assert tab.rfm_chart.series_values[0][1] == [1, 1, 3, 1, 2, 1]
    assert tab.funnel_card.model.index(0, 2).data() == "12"
    tab.rfm_chart.bar_clicked.emit(0, 4)  # "At risk"
    qtbot.waitUntil(lambda: getattr(page, "segment_dialog", None) is not None, timeout=10_000)
    dialog = page.segment_dialog
    assert dialog.card.model.rowCount() == 2
    assert dialog.card.model.index(0, 0).data() == "r6"
    assert dialog.windowTitle() == "At risk"
    with qtbot.waitSignal(page.customer_requested) as opened:
        dialog.card.view.doubleClicked.emit(dialog.card.model.index(0, 0))
    assert opened.args == [ids["r6"]]
    dialog.close()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.account.setCurrentIndex(combos.find(page.account, ids["b"]))
    assert tab.card_buyers.value.text() == "1"
    assert Segment.AT_RISK.value == "at_risk"


def test_heatmap_hover_finds_the_cell(page: ReportsPage) -> None:
    heat = page.posts.heatmap
    heat.resize(700, 240)
    area, w, h = heat._grid()
    cell = heat.cell_at(QPointF(area.left() + 20.5 * w, area.top() + 0.5 * h))
    assert cell == (0, 20)


def test_an_empty_shop_says_what_to_do(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> None:
    page = ReportsPage(make_ctx("zh_CN"))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert page.posts.posts_card.model.rowCount() == 0
    assert page.posts.best.text().startswith("这段时间还没有已发布的朋友圈")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.tabs.setCurrentIndex(1)
    assert page.customers.card_repurchase.value.text() == "—"
    assert page.customers.rfm_chart.categories[0] == "核心铁粉"
