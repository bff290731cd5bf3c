"""Text that used to be cut off on screen (English labels in charts, gauges, lists) fits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QValueAxis
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from moments_desk.core.planning.rules import MixGauge
from moments_desk.ui.context import AppContext
from moments_desk.ui.pages.home import HomePage
from moments_desk.ui.planner.mix_gauge import MixGaugeWidget
from moments_desk.ui.reports.charts import BarChart


def axes(chart: BarChart) -> tuple[QBarCategoryAxis, QValueAxis]:
    found = chart.chart().axes()
    category = next(a for a in found if isinstance(a, QBarCategoryAxis))
    value = next(a for a in found if isinstance(a, QValueAxis))
    return category, value


def test_day_numbers_are_not_elided_and_ticks_are_whole(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_data([str(d) for d in range(10, 24)], [("Orders", [5, 13, 26, 12, 1, 14, 1] * 2)])
    category, value = axes(chart)
    assert not category.truncateLabels()  # QtCharts drew "…" for "23" in English
    assert category.categories() == [str(d) for d in range(10, 24)]
    step = value.max() / (value.tickCount() - 1)
    assert (value.max(), step) == (50.0, 10.0)  # not 0, 12.5, 25, 37.5 shown as "13", "38"


def test_long_segment_names_wrap_instead_of_being_cut(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    names = ["Champions", "Loyal", "New buyers", "Needs attention", "At risk", "Lost"]
    chart.set_data(names, [("Customers", [1, 2, 3, 4, 5, 6])])
    category, _ = axes(chart)
    labels = category.categories()
    assert "<span>Needs<br>attention</span>" in labels
    assert all(label.startswith("<span>") for label in labels)  # all rich text, all placed
    assert chart.categories == names  # tooltips keep the plain names


def test_mix_gauge_asks_for_the_width_of_its_caption(qtbot: QtBot) -> None:
    widget = MixGaugeWidget()
    qtbot.addWidget(widget)
    widget.set_gauge(MixGauge(date(2026, 11, 16), 12, 17, 40))
    needed = QFontMetrics(widget._caption_font()).horizontalAdvance(widget.caption())
    assert widget.minimumWidth() >= needed


def test_overview_lists_show_at_least_three_rows(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    page = HomePage(make_ctx())
    qtbot.addWidget(page)
    for table in (page.reminders, page.upcoming, page.today):
        rows = table.verticalHeader().defaultSectionSize() * 3
        assert table.minimumHeight() >= table.horizontalHeader().sizeHint().height() + rows


def test_planner_fits_beside_the_sidebar_and_due_now_panel(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    from moments_desk.ui.planner.page import PlannerPage

    page = PlannerPage(make_ctx())
    qtbot.addWidget(page)
    page.gauge.set_gauge(MixGauge(date(2026, 11, 16), 12, 17, 40))
    # 1366 px screen − sidebar (≈230) − due-now panel (≈300): the page must not need more.
    assert page.minimumSizeHint().width() <= 830


def test_overview_headings_never_sit_on_the_lists_at_1366_by_768(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    """The default window on a 1366×768 laptop, the due-now panel beside the page."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QLabel, QWidget

    from moments_desk.ui.main_window import MainWindow
    from moments_desk.ui.reminders.install import Reminders

    ctx = make_ctx("zh_CN")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    reminders = Reminders(ctx, window)
    window.resize(1366, 700)  # 768 minus the taskbar and the title bar
    window.show()
    qtbot.waitExposed(window)
    page = window.home

    def rect(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(page, widget.rect().topLeft()), widget.size())

    titles = [w for w in page.findChildren(QLabel) if w.objectName() == "sectionTitle"]
    boxes = [page.today, page.upcoming, page.reminders, page.orders_chart]
    assert len(titles) == 4
    for title in titles:
        for box in boxes:
            assert not rect(title).intersects(rect(box)), (title.text(), box)
    assert page.orders_chart.height() >= 220  # room for the axis labels under the bars
    reminders.stop()


def test_stock_and_phone_columns_are_in_view_at_1366_by_768(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    from PySide6.QtWidgets import QTableView

    from moments_desk.ui.customers.model import Column as CustomerColumn
    from moments_desk.ui.main_window import MainWindow
    from moments_desk.ui.products.model import Column as ProductColumn
    from moments_desk.ui.reminders.install import Reminders

    ctx = make_ctx("zh_CN")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    reminders = Reminders(ctx, window)
    window.resize(1366, 700)
    window.show()
    qtbot.waitExposed(window)

    def in_view(table: QTableView, column: int) -> bool:
        header = table.horizontalHeader()
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        return header.sectionViewportPosition(column) >= 0 and right <= table.viewport().width()

    window.nav.setCurrentRow(1)
    qtbot.waitUntil(lambda: window.products.table.viewport().width() > 0)
    for column in (ProductColumn.NAME, ProductColumn.PRICE, ProductColumn.STOCK):
        assert in_view(window.products.table, column), column
    window.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: window.customers.table.viewport().width() > 0)
    for column in (CustomerColumn.NAME, CustomerColumn.NICKNAME, CustomerColumn.PHONE):
        assert in_view(window.customers.table, column), column
    reminders.stop()


def test_customer_details_keep_their_height_at_1366_by_768(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    """The birthday's boxes used to be squashed to slivers: the fields scroll instead."""
    from moments_desk.ui.main_window import MainWindow
    from moments_desk.ui.reminders.install import Reminders

    ctx = make_ctx("zh_CN")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    reminders = Reminders(ctx, window)
    window.resize(1366, 700)
    window.show()
    qtbot.waitExposed(window)
    window.nav.setCurrentRow(2)
    detail = window.customers.detail
    detail.tabs.setCurrentIndex(1)
    qtbot.waitUntil(detail.birth_month.isVisible)
    for box in (detail.birth_month, detail.birth_day, detail.stage, detail.notes):
        assert box.height() >= box.minimumSizeHint().height(), box
    reminders.stop()
