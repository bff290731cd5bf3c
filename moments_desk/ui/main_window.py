"""The main window: navigation on the left, one page per area."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt, QTimer, Signal
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
from moments_desk.ui.context import AppContext
from moments_desk.ui.page_factory import AREA_COUNT, area_names, build_page
from moments_desk.ui.pages.home import HomePage

if TYPE_CHECKING:
    from moments_desk.ui.customers.page import CustomersPage
    from moments_desk.ui.orders.page import OrdersPage
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

        # Only the Overview is built before the first paint; the other pages are imported
        # and built one per idle turn after it (or at once when the seller asks for one).
        self.home = HomePage(ctx, self.stack)
        self.home.painted_with_data.connect(self.first_page_painted)
        self.home.demo_requested.connect(self.load_demo)
        self.home.setup_requested.connect(self.open_setup_wizard)
        self.home.navigate.connect(self.open_from_dashboard)
        self._pages: list[QWidget | None] = [self.home] + [None] * (AREA_COUNT - 1)
        self.stack.addWidget(self.home)
        for _ in range(1, AREA_COUNT):
            self.stack.addWidget(QWidget(self.stack))  # a stand-in until the page is built
        names = area_names()
        for index, name in enumerate(names):
            item = QListWidgetItem(name)
            item.setToolTip(f"{name}  (Ctrl+{index + 1})")
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.show_area)
        self.nav.setCurrentRow(0)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._build_next_page)
        self.first_page_painted.connect(self._idle.start)

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

        self._build_menus(AREA_COUNT)
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

    def page_at(self, index: int) -> QWidget:
        """The page of area ``index``, built now if the idle time has not reached it yet."""
        page = self._pages[index]
        if page is None:
            page = build_page(index, self._ctx, self.stack)
            customer_requested = getattr(page, "customer_requested", None)
            if customer_requested is not None:  # the Reports page's customer links
                customer_requested.connect(self.open_customer)
            stand_in = self.stack.widget(index)
            assert stand_in is not None
            current = self.stack.currentIndex()
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            if current == index:
                self.stack.setCurrentIndex(index)
            self._pages[index] = page
        return page

    @property
    def pages_built(self) -> int:
        return sum(page is not None for page in self._pages)

    def _build_next_page(self) -> None:
        """Build one missing page per idle turn, in sidebar order, so input stays responsive."""
        missing = next((i for i, page in enumerate(self._pages) if page is None), None)
        if missing is None or not self.isVisible():
            return  # a closed window builds nothing more (its shop may be closed too)
        self.page_at(missing)
        self._idle.start()

    def stop_building_pages(self) -> None:
        """No more pages built in idle time (``--smoke`` ends at the first paint)."""
        self.first_page_painted.disconnect(self._idle.start)
        self._idle.stop()

    @property
    def products(self) -> ProductsPage:
        return self.page_at(1)  # type: ignore[return-value]

    @property
    def customers(self) -> CustomersPage:
        return self.page_at(2)  # type: ignore[return-value]

    @property
    def planner(self) -> PlannerPage:
        return self.page_at(3)  # type: ignore[return-value]

    @property
    def tracking(self) -> TrackingPage:
        return self.page_at(4)  # type: ignore[return-value]

    @property
    def orders(self) -> OrdersPage:
        return self.page_at(5)  # type: ignore[return-value]

    @property
    def reports(self) -> ReportsPage:
        return self.page_at(6)  # type: ignore[return-value]

    @property
    def settings(self) -> SettingsPage:
        return self.page_at(7)  # type: ignore[return-value]

    def show_area(self, index: int) -> None:
        """Show one page and give it the keyboard, so its own shortcuts work at once."""
        self.page_at(index)
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
        open_folder.triggered.connect(lambda: self.settings._open_data_dir())
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
        guide.triggered.connect(self._show_quick_guide)
        help_menu.addAction(guide)
        wizard = QAction(QCoreApplication.translate("MainWindow", "Setup wizard…"), self)
        wizard.triggered.connect(self.open_setup_wizard)
        help_menu.addAction(wizard)
        help_menu.addSeparator()
        about = QAction(QCoreApplication.translate("MainWindow", "About Moments Desk"), self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def _show_quick_guide(self) -> None:
        from moments_desk.ui.help import show_quick_guide

        show_quick_guide(self)

    def _show_about(self) -> None:
        from moments_desk.ui.about import show_about

        show_about(self, self._ctx.shop)

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
        from moments_desk.ui.i18n import tr_msg
        from moments_desk.ui.kit.list_view import progress_dialog

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
        self._idle.stop()
        prefs = self._ctx.shop.prefs
        prefs.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        # Losing the window size is not worth bothering the seller on exit.
        with contextlib.suppress(OSError):
            prefs.save(self._ctx.shop.paths.prefs_file)
        super().closeEvent(event)
