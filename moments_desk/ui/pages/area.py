"""Areas whose tools arrive in later releases: an honest state with the real record count."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from moments_desk.ui.context import AppContext
from moments_desk.ui.widgets import EmptyState, page_header


class AreaPage(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        title: str,
        subtitle: str,
        plan: str,
        count: Callable[[], int],
        count_text: Callable[[int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        self._count = count
        self._count_text = count_text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 26, 32, 26)
        layout.setSpacing(18)
        header, _ = page_header(title, subtitle)
        layout.addWidget(header)
        self.state = EmptyState(
            QCoreApplication.translate("AreaPage", "Counting…"),
            plan,
        )
        layout.addWidget(self.state)
        note = QLabel(
            QCoreApplication.translate(
                "AreaPage",
                "Your data is kept safely in this data folder; nothing here changes it.",
            )
        )
        note.setObjectName("muted")
        layout.addWidget(note)
        layout.addStretch(1)
        self.count_value: int | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ctx.executor.submit(self._count, self._apply)

    def _apply(self, value: int) -> None:
        self.count_value = value
        self.state.title.setText(self._count_text(value))
