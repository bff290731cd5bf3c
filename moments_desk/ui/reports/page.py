"""The Reports page: a date range and account filter over two tabs of cards, exports and the
weekly summary. Every figure is computed in core.reports on the DB thread."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtGui import QKeySequence, QPaintEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.reports.bundles import (
    load_customer_summary,
    load_customer_trends,
    load_post_report,
)
from moments_desk.core.reports.customers import Segment, segment_members
from moments_desk.core.reports.period import ReportFilter
from moments_desk.core.reports.summary import weekly_summary
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.shared.uow import read
from moments_desk.core.team.accounts import AccountSummary, list_accounts
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.tasks import LatestOnly
from moments_desk.ui.kit.widgets import page_header
from moments_desk.ui.reports.cards import export_tables
from moments_desk.ui.reports.customers_tab import CustomersTab
from moments_desk.ui.reports.members import SegmentDialog
from moments_desk.ui.reports.posts_tab import PostsTab
from moments_desk.ui.reports.summary_doc import summary_html, write_summary

#: (days, label) presets; 0 means "custom".
PRESETS = (7, 30, 90, 365)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportsPage(QWidget):
    #: A tab's figures are on screen (tests and the bench wait for it): "posts", "customers"
    #: (RFM, funnel, repurchase, referrals) and "customers-trends" (movement, cohorts).
    loaded = Signal(str)
    painted = Signal(str)
    #: Open this customer on the Customers page (from a segment's list).
    customer_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        self._posts_jobs = LatestOnly(ctx.executor)
        self._customer_jobs = LatestOnly(ctx.executor)
        self._trend_jobs = LatestOnly(ctx.executor)
        self._loaded_filter: dict[str, ReportFilter] = {}
        self._paint_pending: set[str] = set()
        self.timings: dict[str, float] = {}
        self.last_export: Path | None = None
        self._paint_started = 0.0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        header, self._subtitle = page_header(
            QCoreApplication.translate("ReportsPage", "Reports"),
            QCoreApplication.translate(
                "ReportsPage", "Is selling in Moments working? What sells, when, and to whom."
            ),
        )
        top.addWidget(header, 1)
        self.summary_button = QPushButton(
            QCoreApplication.translate("ReportsPage", "Weekly summary…")
        )
        self.summary_button.setToolTip(
            QCoreApplication.translate(
                "ReportsPage", "The last 7 days as HTML or PDF, to send to a partner"
            )
        )
        self.summary_button.clicked.connect(self.export_summary)
        self.export_button = QPushButton(QCoreApplication.translate("ReportsPage", "Export…"))
        self.export_button.setObjectName("primary")
        self.export_button.setToolTip(
            QCoreApplication.translate(
                "ReportsPage",
                "Every table of this tab: Excel (a sheet each) or CSV (a file each), Ctrl+E",
            )
        )
        self.export_button.clicked.connect(self.export_current)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_current)
        top.addWidget(self.summary_button, 0)
        top.addWidget(self.export_button, 0)
        layout.addLayout(top)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.preset = QComboBox()
        for days in PRESETS:
            self.preset.addItem(
                QCoreApplication.translate("ReportsPage", "Last %n days", "", days), days
            )
        self.preset.addItem(QCoreApplication.translate("ReportsPage", "Custom range"), 0)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.account = QComboBox()
        combos.add_item(
            self.account, QCoreApplication.translate("ReportsPage", "All accounts"), None
        )
        filters.addWidget(QLabel(QCoreApplication.translate("ReportsPage", "Range")))
        filters.addWidget(self.preset)
        filters.addWidget(self.start)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.end)
        filters.addSpacing(12)
        filters.addWidget(QLabel(QCoreApplication.translate("ReportsPage", "Account")))
        filters.addWidget(self.account)
        filters.addStretch(1)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        filters.addWidget(self.status)
        layout.addLayout(filters)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        # The tabs and their charts are built when the page is first needed, not at start-up.
        self._posts: PostsTab | None = None
        self._customers: CustomersTab | None = None

        self._set_preset_dates(90)
        self.preset.setCurrentIndex(PRESETS.index(90))
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.start.dateChanged.connect(self._dates_edited)
        self.end.dateChanged.connect(self._dates_edited)
        self.account.currentIndexChanged.connect(lambda _: self._filters_changed())
        self._accounts_loaded = False
        shown = tuple(kind for kind in Kind if kind is not Kind.AUDIT)
        follow(ctx.changes, self, shown, self._changed)

    @property
    def posts(self) -> PostsTab:
        self._build_tabs()
        assert self._posts is not None
        return self._posts

    @property
    def customers(self) -> CustomersTab:
        self._build_tabs()
        assert self._customers is not None
        return self._customers

    def _build_tabs(self) -> None:
        if self._posts is not None:
            return
        self._posts = PostsTab()
        self._customers = CustomersTab()
        self.tabs.addTab(self._posts, QCoreApplication.translate("ReportsPage", "Post performance"))
        self.tabs.addTab(self._customers, QCoreApplication.translate("ReportsPage", "Customers"))
        self._posts.sort_requested.connect(lambda *_: self.reload("posts"))
        self._customers.segment_requested.connect(self.show_segment)
        self.tabs.currentChanged.connect(lambda _: self._ensure_loaded())

    # -- filter ------------------------------------------------------------------------------

    def report_filter(self) -> ReportFilter:
        start, end = _date(self.start.date()), _date(self.end.date())
        if end < start:
            start, end = end, start
        return ReportFilter(start, end, self._ctx.zone, combos.value(self.account))

    def set_range(self, start: date, end: date) -> None:
        """Choose a custom range (as the seller would with the date boxes)."""
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(len(PRESETS))
        self.preset.blockSignals(False)
        for edit, day in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self._filters_changed()

    def _set_preset_dates(self, days: int) -> None:
        today = self._ctx.clock.now().astimezone(self._ctx.zone).date()
        for edit, day in ((self.start, today - timedelta(days=days - 1)), (self.end, today)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _preset_changed(self) -> None:
        days = int(self.preset.currentData())
        if days:
            self._set_preset_dates(days)
            self._filters_changed()

    def _dates_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(len(PRESETS))
        self.preset.blockSignals(False)
        self._filters_changed()

    def _filters_changed(self) -> None:
        self._loaded_filter.clear()
        if self.isVisible():
            self._ensure_loaded()

    # -- loading -----------------------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        if not self._accounts_loaded:
            return  # the first show reads everything anyway
        if changes.touches(Kind.ACCOUNTS):
            self._ctx.executor.submit(
                lambda: read(self._ctx.shop.sessions, list_accounts), self._apply_accounts
            )
        self._loaded_filter.clear()  # both tabs are out of date; the one in front re-reads
        self._ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        self._build_tabs()
        super().showEvent(event)
        if not self._accounts_loaded:
            self._accounts_loaded = True
            self._ctx.executor.submit(
                lambda: read(self._ctx.shop.sessions, list_accounts), self._apply_accounts
            )
        self._ensure_loaded()

    def _apply_accounts(self, accounts: list[AccountSummary]) -> None:
        current = combos.value(self.account)
        self.account.blockSignals(True)
        while self.account.count() > 1:
            self.account.removeItem(1)
        for account in accounts:
            self.account.addItem(account.label, account.id)
        self.account.setCurrentIndex(max(combos.find(self.account, current), 0))
        self.account.blockSignals(False)

    def current_tab(self) -> str:
        return "posts" if self.tabs.currentIndex() <= 0 else "customers"

    def _ensure_loaded(self) -> None:
        tab = self.current_tab()
        if self._loaded_filter.get(tab) != self.report_filter():
            self.reload(tab)

    def reload(self, tab: str | None = None) -> None:
        tab = tab or self.current_tab()
        f = self.report_filter()
        self._loaded_filter[tab] = f
        sessions = self._ctx.shop.sessions
        now = self._ctx.clock.now()
        started = time.perf_counter()
        self.status.setText(QCoreApplication.translate("ReportsPage", "Calculating…"))
        if tab == "posts":
            sort, descending = self.posts.sort, self.posts.descending

            self._posts_jobs.submit(
                lambda: read(sessions, lambda s: load_post_report(s, f, now, sort, descending)),
                lambda report: self._show("posts", report, started),
                self._failed,
            )
        else:
            # Two jobs: the quick figures paint first, movement and cohorts follow.
            self._customer_jobs.submit(
                lambda: read(sessions, lambda s: load_customer_summary(s, f)),
                lambda report: self._show("customers", report, started),
                self._failed,
            )
            self._trend_jobs.submit(
                lambda: read(sessions, lambda s: load_customer_trends(s, f)),
                lambda trends: self._show("customers-trends", trends, started),
                self._failed,
            )

    def _show(self, tab: str, report: Any, started: float) -> None:
        self.timings[f"{tab}_data_ms"] = (time.perf_counter() - started) * 1000
        self._paint_started = time.perf_counter()
        if tab == "posts":
            self.posts.show_report(report)
        elif tab == "customers":
            self.customers.show_report(report)
        else:
            self.customers.show_trends(*report)
        if tab != "customers":
            self.status.setText("")
        self._paint_pending.add(tab)
        self.update()
        self.loaded.emit(tab)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        for tab in list(self._paint_pending):
            self._paint_pending.discard(tab)
            self.timings[f"{tab}_paint_ms"] = (time.perf_counter() - self._paint_started) * 1000
            self.painted.emit(tab)

    def _failed(self, error: BaseException) -> None:
        self.status.setText("")
        QMessageBox.warning(
            self,
            QCoreApplication.translate("ReportsPage", "Report not calculated"),
            QCoreApplication.translate(
                "ReportsPage", "Reading the database failed: {error}"
            ).format(error=tr_msg(error)),
        )

    # -- actions -----------------------------------------------------------------------------

    def show_segment(self, segment: Segment) -> None:
        f = self.report_filter()
        sessions = self._ctx.shop.sessions

        def done(members: list[Any]) -> None:
            dialog = SegmentDialog(segment, members, self._ctx.zone, self)
            dialog.customer_requested.connect(self.customer_requested)
            self.segment_dialog = dialog
            dialog.open()

        self._ctx.executor.submit(
            lambda: read(sessions, lambda s: segment_members(s, f, segment)), done, self._failed
        )

    def export_current(self) -> None:
        tab = self.posts if self.current_tab() == "posts" else self.customers
        tables = tab.tables()
        if not tables:
            return
        f = self.report_filter()
        name = f"{self.current_tab()}-{f.start:%Y%m%d}-{f.end:%Y%m%d}.xlsx"
        path = export_tables(self, tables, name)
        if path is not None:
            self.last_export = path
            self.status.setText(
                QCoreApplication.translate("ReportsPage", "Saved {file}").format(file=path.name)
            )

    def export_summary(self) -> None:
        today = self._ctx.clock.now().astimezone(self._ctx.zone).date()
        path_text, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("ReportsPage", "Save the weekly summary"),
            f"weekly-summary-{today:%Y%m%d}.html",
            QCoreApplication.translate("ReportsPage", "Web page (*.html);;PDF (*.pdf)"),
        )
        if path_text:
            self.write_weekly_summary(Path(path_text))

    def write_weekly_summary(self, path: Path) -> None:
        if path.suffix.lower() not in (".html", ".htm", ".pdf"):
            path = path.with_suffix(".html")
        sessions = self._ctx.shop.sessions
        now, zone, account = self._ctx.clock.now(), self._ctx.zone, combos.value(self.account)
        shop_name = self.account.currentText() if account is not None else ""

        def done(summary: Any) -> None:
            try:
                write_summary(path, summary_html(summary, shop_name))
            except OSError as error:
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("ReportsPage", "Summary not saved"),
                    QCoreApplication.translate(
                        "ReportsPage", "Could not write {file}: {error}"
                    ).format(file=path.name, error=tr_msg(error)),
                )
                return
            self.last_export = path
            self.status.setText(
                QCoreApplication.translate("ReportsPage", "Saved {file}").format(file=path.name)
            )

        self._ctx.executor.submit(
            lambda: read(sessions, lambda s: weekly_summary(s, now, zone, account)),
            done,
            self._failed,
        )
