"""The "today" panel: who to follow up with, from core.followups."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from moments_desk.core.shared import uow
from moments_desk.core.shared.money import format_price
from moments_desk.core.tracking.followups import FollowUp, follow_ups
from moments_desk.db.models import ReminderKind
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.list_view import show_failure


def kind_title(kind: ReminderKind) -> str:
    names = {
        ReminderKind.UNPAID_ORDER: QCoreApplication.translate("FollowUps", "Unpaid"),
        ReminderKind.SHIPPED_UNCONFIRMED: QCoreApplication.translate(
            "FollowUps", "Shipped, not confirmed"
        ),
        ReminderKind.DORMANT_CUSTOMER: QCoreApplication.translate("FollowUps", "Gone quiet"),
        ReminderKind.BIRTHDAY: QCoreApplication.translate("FollowUps", "Birthday this week"),
    }
    return names.get(kind, kind.value)


class FollowUpsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(QCoreApplication.translate("FollowUps", "Follow up today"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                QCoreApplication.translate("FollowUps", "Who"),
                QCoreApplication.translate("FollowUps", "Why"),
            ]
        )
        self.tree.setRootIsDecorated(True)
        self.tree.setColumnWidth(0, 150)
        layout.addWidget(self.tree, 1)
        self.rows: list[FollowUp] = []

    def reload(self) -> None:
        now, zone = self._ctx.clock.now(), self._ctx.zone
        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, lambda s: follow_ups(s, now, zone)),
            self._show,
            lambda error: show_failure(self, error),
        )

    def _ago(self, since: datetime | None) -> str:
        if since is None:
            return ""
        now = self._ctx.clock.now()
        hours = int((now - since).total_seconds() // 3600)
        if hours < 48:
            return QCoreApplication.translate("FollowUps", "%n hour(s)", "", hours)
        days = hours // 24
        return QCoreApplication.translate("FollowUps", "%n day(s)", "", days)

    def _why(self, row: FollowUp) -> str:
        match row.kind:
            case ReminderKind.UNPAID_ORDER:
                return QCoreApplication.translate(
                    "FollowUps", "order #{id} {amount}, waiting {ago}"
                ).format(id=row.order_id, amount=format_price(row.amount), ago=self._ago(row.since))
            case ReminderKind.SHIPPED_UNCONFIRMED:
                return QCoreApplication.translate(
                    "FollowUps", "order #{id} shipped {ago} ago"
                ).format(id=row.order_id, ago=self._ago(row.since))
            case ReminderKind.DORMANT_CUSTOMER:
                return QCoreApplication.translate("FollowUps", "last contact {ago} ago").format(
                    ago=self._ago(row.since)
                )
            case _:
                when = row.birthday.strftime("%m-%d") if row.birthday else ""
                if row.lunar:
                    return QCoreApplication.translate(
                        "FollowUps", "{date} (lunar birthday)"
                    ).format(date=when)
                return when

    def _show(self, rows: list[FollowUp]) -> None:
        self.rows = rows
        self.tree.clear()
        groups: dict[ReminderKind, QTreeWidgetItem] = {}
        for row in rows:
            group = groups.get(row.kind)
            if group is None:
                group = QTreeWidgetItem([kind_title(row.kind), ""])
                self.tree.addTopLevelItem(group)
                groups[row.kind] = group
            group.addChild(QTreeWidgetItem([row.customer_name, self._why(row)]))
        for kind, group in groups.items():
            group.setText(0, f"{kind_title(kind)} ({group.childCount()})")
            group.setExpanded(kind is not ReminderKind.DORMANT_CUSTOMER)
        if not rows:
            self.tree.addTopLevelItem(
                QTreeWidgetItem(
                    [QCoreApplication.translate("FollowUps", "Nothing to chase today"), ""]
                )
            )
