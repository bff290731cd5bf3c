"""The main window's areas: their names and how each page is built.

Page modules are imported only when their page is built, so the first paint waits for the
Overview alone; the main window builds the others during idle time after it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from moments_desk.ui.context import AppContext

AREA_COUNT = 8


def area_names() -> list[str]:
    """The sidebar, in order; area 0 is the Overview, built with the window."""
    return [
        QCoreApplication.translate("MainWindow", "Overview"),
        QCoreApplication.translate("MainWindow", "Products"),
        QCoreApplication.translate("MainWindow", "Customers"),
        QCoreApplication.translate("MainWindow", "Planner"),
        QCoreApplication.translate("MainWindow", "Tracking"),
        QCoreApplication.translate("MainWindow", "Orders"),
        QCoreApplication.translate("MainWindow", "Reports"),
        QCoreApplication.translate("MainWindow", "Settings"),
    ]


def _products(ctx: AppContext, parent: QWidget) -> QWidget:
    from moments_desk.ui.products.page import ProductsPage

    return ProductsPage(ctx, parent)


def _customers(ctx: AppContext, parent: QWidget) -> QWidget:
    from moments_desk.ui.customers.page import CustomersPage

    return CustomersPage(ctx, parent)


def _planner(ctx: AppContext, parent: QWidget) -> QWidget:
    from moments_desk.ui.planner.page import PlannerPage

    return PlannerPage(ctx, parent)


def _tracking(ctx: AppContext, parent: QWidget) -> QWidget:
    from moments_desk.ui.tracking.page import TrackingPage

    return TrackingPage(ctx, parent)


def _orders(ctx: AppContext, parent: QWidget) -> QWidget:
    from moments_desk.ui.orders.page import OrdersPage

    return OrdersPage(ctx, parent)


def _reports(ctx: AppContext, parent: QWidget) -> QWidget:
    from moments_desk.ui.reports.page import ReportsPage

    return ReportsPage(ctx, parent)


def _settings(ctx: AppContext, parent: QWidget) -> QWidget:
    from moments_desk.ui.pages.settings import SettingsPage

    return SettingsPage(ctx, parent)


#: Area index → builder; index 0 (the Overview) is built by the window itself.
BUILDERS: dict[int, Callable[[AppContext, QWidget], QWidget]] = {
    1: _products,
    2: _customers,
    3: _planner,
    4: _tracking,
    5: _orders,
    6: _reports,
    7: _settings,
}


def build_page(index: int, ctx: AppContext, parent: QWidget) -> QWidget:
    return BUILDERS[index](ctx, parent)
