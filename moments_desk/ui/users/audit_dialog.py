"""The audit log: who did what and when, filtered by person, action and date in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
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
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.id_table import IdTableModel
from moments_desk.ui.kit.list_view import make_table, show_failure
from moments_desk.ui.kit.tasks import LatestOnly
from moments_desk.ui.reminders.texts import audit_action, entity_name
from moments_desk.ui.users.texts import role_name


class AuditModel(IdTableModel[AuditRow]):
    def __init__(self, ctx: AppContext) -> None:
        sessions = ctx.shop.sessions

        def fetch(ids: Sequence[int]) -> dict[int, AuditRow]:
            return uow.read(sessions, lambda s: audit.audit_rows(s, ids))

        super().__init__(
            fetch,
            [
                QCoreApplication.translate("Audit", "When"),
                QCoreApplication.translate("Audit", "Who"),
                QCoreApplication.translate("Audit", "Action"),
                QCoreApplication.translate("Audit", "What"),
                QCoreApplication.translate("Audit", "Details"),
            ],
        )
        self._zone = ctx.zone

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


class AuditLogDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(QCoreApplication.translate("Audit", "Audit log"))
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
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
        filters.addWidget(QLabel(QCoreApplication.translate("Audit", "Who")))
        filters.addWidget(self.user)
        filters.addWidget(QLabel(QCoreApplication.translate("Audit", "Action")))
        filters.addWidget(self.action)
        filters.addWidget(QLabel(QCoreApplication.translate("Audit", "From")))
        filters.addWidget(self.since)
        filters.addWidget(QLabel(QCoreApplication.translate("Audit", "to")))
        filters.addWidget(self.until)
        filters.addStretch(1)
        self.count = QLabel("")
        filters.addWidget(self.count)
        layout.addLayout(filters)
        self.model = AuditModel(ctx)
        self.table = make_table(self.model, 28)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((150, 80, 90, 260)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self._search = LatestOnly(ctx.executor)
        self.user.currentIndexChanged.connect(self.refresh)
        self.action.currentIndexChanged.connect(self.refresh)
        self.since.dateChanged.connect(self.refresh)
        self.until.dateChanged.connect(self.refresh)
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: users.list_users(s, True)),
            self._fill_users,
            lambda error: show_failure(self, error),
        )
        self.refresh()
        # Entries added while it is open (here or on another laptop) show without reopening.
        follow(ctx.changes, self, (Kind.AUDIT,), lambda _: self.refresh())

    def _fill_users(self, rows: list[users.UserRow]) -> None:
        self.user.blockSignals(True)
        for row in rows:
            self.user.addItem(row.name, row.id)
        self.user.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        zone = self._ctx.zone
        since = self.since.date().toPython()
        until = self.until.date().toPython()
        return AuditFilter(
            user_id=combos.value(self.user),
            action=combos.value(self.action),
            since=datetime.combine(since, time(0), tzinfo=zone),  # type: ignore[arg-type]
            until=datetime.combine(until, time(0), tzinfo=zone) + timedelta(days=1),  # type: ignore[arg-type]
        )

    def refresh(self) -> None:
        wanted = self.current_filter()
        sessions = self._ctx.shop.sessions

        def work() -> tuple[list[int], int]:
            return uow.read(
                sessions, lambda s: (audit.search_audit(s, wanted), audit.count_audit(s, wanted))
            )

        def done(result: tuple[list[int], int]) -> None:
            ids, total = result
            self.model.set_ids(ids)
            self.count.setText(QCoreApplication.translate("Audit", "%n entries", "", total))

        self._search.submit(work, done, lambda error: show_failure(self, error))
