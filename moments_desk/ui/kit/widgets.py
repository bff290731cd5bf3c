"""Small building blocks shared by pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


class StatCard(QFrame):
    """A figure with its label, e.g. "1,284 / customers"."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setMinimumWidth(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(4)
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.label = QLabel(label)
        self.label.setObjectName("cardLabel")
        self.label.setWordWrap(True)
        self.hint = QLabel("")
        self.hint.setObjectName("cardHint")
        self.hint.setWordWrap(True)  # English hints ran past the card's edge
        layout.addWidget(self.value)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)

    def set_value(self, value: str, hint: str = "") -> None:
        self.value.setText(value)
        self.hint.setText(hint)


class EmptyState(QFrame):
    """A dashed panel that says what belongs here and why it is empty."""

    def __init__(self, title: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(8)
        self.title = QLabel(title)
        self.title.setObjectName("emptyTitle")
        self.body = QLabel(body)
        self.body.setObjectName("muted")
        self.body.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.action_row = QHBoxLayout()
        self.action_row.setAlignment(Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(self.action_row)


def page_header(title: str, subtitle: str) -> tuple[QWidget, QLabel]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 8)
    layout.setSpacing(2)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    sub = QLabel(subtitle)
    sub.setObjectName("pageSubtitle")
    sub.setWordWrap(True)
    layout.addWidget(heading)
    layout.addWidget(sub)
    return box, sub
