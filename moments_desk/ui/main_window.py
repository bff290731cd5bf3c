"""The main window: navigation on the left, one page per area."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from moments_desk.resources import icon_path
from moments_desk.ui.about import show_about
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.help import show_quick_guide
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import progress_dialog
from moments_desk.ui.orders.page import OrdersPage
from moments_desk.ui.pages.home import HomePage
from moments_desk.ui.pages.settings import SettingsPage
from moments_desk.ui.planner.page import PlannerPage
from moments_desk.ui.products.page import ProductsPage
from moments_desk.ui.reports.page import ReportsPage
from moments_desk.ui.tracking.page import TrackingPage


def focus_page(page: QWidget) -> None:
    """The page's main widget takes the focus: its search field, else its first focusable one.

    Page shortcuts are WidgetWithChildren shortcuts; while the sidebar keeps the focus,
    Ctrl+N, Ctrl+F, PageUp and PageDown would do nothing until the page was clicked.
    """
    main = getattr(page, "search", None)
    if isinstance(main, QWidget) and main.isVisibleTo(page) and main.isEnabled():
        main.setFocus(Qt.FocusReason.OtherFocusReason)
        return
    for child in page.findChildren(QWidget):
        if (
            child.focusPolicy() & Qt.FocusPolicy.TabFocus
            and child.isVisibleTo(page)
            and child.isEnabled()
        ):
            child.setFocus(Qt.FocusReason.OtherFocusReason)
            return
    page.setFocus(Qt.FocusReason.OtherFocusReason)


class OfflineBanner(QLabel):
    """One calm line while the shared shop cannot be reached; gone when it answers again."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(
            QCoreApplication.translate(
                "MainWindow",
                "The shop's database cannot be reached (network or server down). "
                "Nothing is lost: changes cannot be saved until it is back, reminders "
                "wait, and the window reconnects by itself.",
            )
        )
        self.setObjectName("offlineBanner")
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel#offlineBanner { background: #fff4d6; color: #5c4400;"
            " border-bottom: 1px solid #e8c874; padding: 8px 14px; }"
        )
        self.setVisible(not ctx.reachability.reachable)
        ctx.reachability.lost.connect(self.show)
        ctx.reachability.back.connect(self.hide)


class MainWindow(QMainWindow):
    first_page_painted = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Moments Desk"))
        self.setWindowIcon(QIcon(str(icon_path())))
        self.setMinimumSize(QSize(980, 640))

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(188)
        self.stack = QStackedWidget()

        self.home = HomePage(ctx)
        self.home.painted_with_data.connect(self.first_page_painted)
        self.home.demo_requested.connect(self.load_demo)
        self.home.setup_requested.connect(self.open_setup_wizard)
        self.products = ProductsPage(ctx)
        self.customers = CustomersPage(ctx)
        self.tracking = TrackingPage(ctx)
        self.orders = OrdersPage(ctx)
        self.reports = ReportsPage(ctx)
        self.home.navigate.connect(self.open_from_dashboard)
        self.reports.customer_requested.connect(self.open_customer)
        self.planner = PlannerPage(ctx)

        areas: list[tuple[str, QWidget]] = [
            (QCoreApplication.translate("MainWindow", "Overview"), self.home),
            (QCoreApplication.translate("MainWindow", "Products"), self.products),
            (QCoreApplication.translate("MainWindow", "Customers"), self.customers),
            (QCoreApplication.translate("MainWindow", "Planner"), self.planner),
            (QCoreApplication.translate("MainWindow", "Tracking"), self.tracking),
            (QCoreApplication.translate("MainWindow", "Orders"), self.orders),
            (QCoreApplication.translate("MainWindow", "Reports"), self.reports),
            (QCoreApplication.translate("MainWindow", "Settings"), SettingsPage(ctx)),
        ]
        for index, (name, page) in enumerate(areas):
            item = QListWidgetItem(name)
            item.setToolTip(f"{name}  (Ctrl+{index + 1})")
            self.nav.addItem(item)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.show_area)
        self.nav.setCurrentRow(0)

        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 12)
        side.setSpacing(0)
        brand = QLabel(QCoreApplication.translate("MainWindow", "Moments Desk"))
        brand.setObjectName("brand")
        brand_sub = QLabel(
            QCoreApplication.translate("MainWindow", "Sell in Moments, without the spam")
        )
        brand_sub.setObjectName("brandSub")
        side.addWidget(brand)
        side.addWidget(brand_sub)
        side.addWidget(self.nav, 1)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(sidebar)
        self.offline_banner = OfflineBanner(ctx)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.offline_banner)
        column.addWidget(self.stack, 1)
        row.addWidget(content, 1)
        self.setCentralWidget(central)

        self._build_menus(len(areas))
        where = (
            QCoreApplication.translate("MainWindow", "SQLite · {folder}").format(
                folder=ctx.shop.paths.data_dir
            )
            if ctx.shop.is_sqlite
            else QCoreApplication.translate("MainWindow", "Shared database · {url}").format(
                url=ctx.shop.database_display
            )
        )
        self.statusBar().showMessage(where)
        geometry = ctx.shop.prefs.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        else:
            self.resize(1200, 760)

    def show_area(self, index: int) -> None:
        """Show one page and give it the keyboard, so its own shortcuts work at once."""
        self.stack.setCurrentIndex(index)
        page = self.stack.currentWidget()
        if page is not None:
            focus_page(page)

    def open_from_dashboard(self, target: str) -> None:
        """A dashboard card was clicked: show the page behind it (by the area's position)."""
        if target == "dormant":
            self.customers.dormant_days.setValue(self.home.dormant_days)
            self.customers.dormant.setChecked(True)
            target = "customers"
        rows = {"customers": 2, "planner": 3, "orders": 5, "reports": 6}
        self.nav.setCurrentRow(rows[target])

    def open_customer(self, customer_id: int) -> None:
        self.nav.setCurrentRow(2)
        self.customers.open_customer(customer_id)

    def _build_menus(self, area_count: int) -> None:
        file_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&File"))
        open_folder = QAction(QCoreApplication.translate("MainWindow", "Open data folder"), self)
        settings = self.stack.widget(area_count - 1)
        assert isinstance(settings, SettingsPage)
        open_folder.triggered.connect(settings._open_data_dir)
        file_menu.addAction(open_folder)
        file_menu.addSeparator()
        quit_action = QAction(QCoreApplication.translate("MainWindow", "Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Go"))
        go_menu.setObjectName("goMenu")  # the reminders add the due-now panel's F9 toggle
        for index in range(area_count):
            action = QAction(self.nav.item(index).text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.nav.setCurrentRow(i))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Help"))
        guide = QAction(QCoreApplication.translate("MainWindow", "Quick guide"), self)
        guide.setShortcut(QKeySequence(Qt.Key.Key_F1))
        guide.triggered.connect(lambda: show_quick_guide(self))
        help_menu.addAction(guide)
        wizard = QAction(QCoreApplication.translate("MainWindow", "Setup wizard…"), self)
        wizard.triggered.connect(self.open_setup_wizard)
        help_menu.addAction(wizard)
        help_menu.addSeparator()
        about = QAction(QCoreApplication.translate("MainWindow", "About Moments Desk"), self)
        about.triggered.connect(lambda: show_about(self, self._ctx.shop))
        help_menu.addAction(about)

    def open_setup_wizard(self) -> None:
        from moments_desk.ui.wizard.launch import open_from_window

        def finished(wizard: object) -> None:
            from moments_desk.ui.wizard.wizard import FirstRunWizard

            assert isinstance(wizard, FirstRunWizard)
            # What a committed wizard wrote reaches every page as a change set.
            if wizard.wants_demo:
                self.load_demo()

        open_from_window(self, self._ctx, finished)

    def load_demo(self) -> None:
        """Fill an empty shop with the demo shop, with progress and a cancel button."""
        from moments_desk.core.demo.builder import DemoCancelled
        from moments_desk.core.demo.demo import DatabaseNotEmptyError, populate_demo

        dialog, bridge = progress_dialog(
            self, QCoreApplication.translate("MainWindow", "Creating the demo shop…")
        )
        self.home.demo_button.setEnabled(False)
        engine = self._ctx.shop.engine
        media = self._ctx.shop.paths.media

        def finished(_: object) -> None:
            dialog.reset()
            self.home.demo_button.setEnabled(True)

        def failed(error: BaseException) -> None:
            dialog.reset()
            self.home.demo_button.setEnabled(True)
            if isinstance(error, DemoCancelled):
                return
            if isinstance(error, DatabaseNotEmptyError):
                message = QCoreApplication.translate(
                    "MainWindow", "The demo shop can only be loaded into an empty shop."
                )
            else:
                message = tr_msg(error)
            QMessageBox.warning(
                self, QCoreApplication.translate("MainWindow", "Demo shop not created"), message
            )

        self._ctx.executor.submit(
            lambda: populate_demo(
                engine, progress=bridge.report, should_cancel=bridge.cancelled, media_root=media
            ),
            finished,
            failed,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        prefs = self._ctx.shop.prefs
        prefs.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        # Losing the window size is not worth bothering the seller on exit.
        with contextlib.suppress(OSError):
            prefs.save(self._ctx.shop.paths.prefs_file)
        super().closeEvent(event)
