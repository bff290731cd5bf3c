"""The audit log: who did what and when, filtered by person, action and date in SQL."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import Kind
from moments_desk.core.team import audit, users
from moments_desk.core.team.audit import AuditFilter, AuditRow
from moments_desk.db.models import PostKind, UserRole
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.list_page import ListPage
from moments_desk.ui.kit.list_view import make_table
from moments_desk.ui.kit.paged_table import PagedTableModel
from moments_desk.ui.reminders.texts import audit_action, entity_name
from moments_desk.ui.users.texts import role_name


class AuditModel(PagedTableModel[AuditRow]):
    def __init__(self, zone: tzinfo) -> None:
        super().__init__(
            [
                QCoreApplication.translate("Audit", "When"),
                QCoreApplication.translate("Audit", "Who"),
                QCoreApplication.translate("Audit", "Action"),
                QCoreApplication.translate("Audit", "What"),
                QCoreApplication.translate("Audit", "Details"),
            ]
        )
        self._zone = zone

    def cell(self, row: AuditRow, column: int, role: int) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == 0:
            return row.at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M:%S")
        if column == 1:
            return row.user_name or QCoreApplication.translate("Audit", "(system)")
        if column == 2:
            return audit_action(row.action)
        if column == 3:
            name = entity_name(row.entity_type)
            if row.entity_label:
                return f"{name} · {row.entity_label}"
            return f"{name} #{row.entity_id}" if row.entity_id is not None else name
        return readable_summary(row.summary)


#: What the core writes in a summary as English keys, in the seller's words.
def _fixed_summaries() -> dict[str, str]:
    return {
        "back to draft": QCoreApplication.translate("Audit", "back to draft"),
        "unlock": QCoreApplication.translate("Audit", "unlocked"),
    }


def readable_summary(summary: str) -> str:
    """A post's summary starts with its kind's key (``new_arrival: …``): shown as the kind's
    name, so the log reads 上新：… rather than an English key."""
    key, colon, rest = summary.partition(": ")
    if colon and key in PostKind._value2member_map_:
        return f"{labels.post_kind(PostKind(key))}：{rest}"
    for role in UserRole:
        if summary.endswith(f" ({role.value})"):
            name = summary[: -len(role.value) - 3]
            return f"{name}（{role_name(role)}）"
    return _fixed_summaries().get(summary, summary)


class AuditList(ListPage[AuditFilter, AuditRow]):
    """The entries, filtered by person, action and dates instead of a search box; read a
    window at a time on the database thread, like the products, customers and orders."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        title = QCoreApplication.translate("Audit", "Audit log")
        source = audit.audit_listing(ctx.shop.sessions)
        super().__init__(ctx, title, source, AuditModel(ctx.zone), (Kind.AUDIT,), parent)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        # A dialog has its title in the window frame; the count ends the filter row instead.
        heading = self.count_label.parentWidget()
        if heading is not None:
            heading.hide()
        self.search.hide()
        self.user = QComboBox()
        combos.add_item(self.user, QCoreApplication.translate("Audit", "Everyone"), None)
        self.action = QComboBox()
        combos.add_item(self.action, QCoreApplication.translate("Audit", "All actions"), None)
        for name in audit.ACTIONS:
            self.action.addItem(audit_action(name), name)
        today = ctx.clock.now().astimezone(ctx.zone).date()
        self.since = QDateEdit(QDate(today.year, today.month, today.day).addDays(-30))
        self.until = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        for label, widget in (
            (QCoreApplication.translate("Audit", "Who"), self.user),
            (QCoreApplication.translate("Audit", "Action"), self.action),
            (QCoreApplication.translate("Audit", "From"), self.since),
            (QCoreApplication.translate("Audit", "to"), self.until),
        ):
            self.filters.addWidget(QLabel(label))
            self.filters.addWidget(widget)
        self.filters.addStretch(1)
        self.filters.addWidget(self.count_label)
        self.table = make_table(self.model, 28, stretch=4)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        for column, width in enumerate((150, 80, 90, 260)):
            self.table.setColumnWidth(column, width)
        self.page_layout.addWidget(self.table, 1)
        self.user.currentIndexChanged.connect(self.run_search)
        self.action.currentIndexChanged.connect(self.run_search)
        self.since.dateChanged.connect(self.run_search)
        self.until.dateChanged.connect(self.run_search)
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: users.list_users(s, True)),
            self._fill_users,
            self._error,
        )
        # A dialog is read when it opens, shown or not (a page waits for its first show).
        # Entries added while it is open (here or on another laptop) arrive as change sets.
        self._loaded_once = True
        self.run_search()

    def _fill_users(self, rows: list[users.UserRow]) -> None:
        if not self._alive():
            return
        self.user.blockSignals(True)
        for row in rows:
            self.user.addItem(row.name, row.id)
        self.user.blockSignals(False)

    def current_query(self) -> AuditFilter:
        zone = self._ctx.zone
        since = self.since.date().toPython()
        until = self.until.date().toPython()
        return AuditFilter(
            user_id=combos.value(self.user),
            action=combos.value(self.action),
            since=datetime.combine(since, time(0), tzinfo=zone),  # type: ignore[arg-type]
            until=datetime.combine(until, time(0), tzinfo=zone) + timedelta(days=1),  # type: ignore[arg-type]
        )

    def count_text(self, count: int) -> str:
        return QCoreApplication.translate("Audit", "%n entries", "", count)


class AuditLogDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Audit", "Audit log"))
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        self.entries = AuditList(ctx, self)
        layout.addWidget(self.entries)
        self.model = self.entries.model
        self.table = self.entries.table
        self.user, self.action = self.entries.user, self.entries.action
        self.since, self.until = self.entries.since, self.entries.until
        self.count = self.entries.count_label

    def current_filter(self) -> AuditFilter:
        return self.entries.current_query()

    def refresh(self) -> None:
        self.entries.run_search()
