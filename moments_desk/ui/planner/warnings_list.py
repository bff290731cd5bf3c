"""Rule and text warnings under the composer: hard ones red (they block scheduling), soft amber."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Warning:
    hard: bool
    text: str


class WarningsList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.ok = QLabel(
            QCoreApplication.translate("Composer", "✓ No rule is broken and the text is fine.")
        )
        self.ok.setStyleSheet("color: #07A35A;")
        self._layout.addWidget(self.ok)
        self._layout.addStretch(1)
        self._labels: list[QLabel] = []
        self.warnings: list[Warning] = []

    def set_warnings(self, warnings: list[Warning]) -> None:
        self.warnings = sorted(warnings, key=lambda w: not w.hard)
        for label in self._labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._labels = []
        for warning in self.warnings:
            label = QLabel(("⛔ " if warning.hard else "⚠ ") + warning.text)
            label.setWordWrap(True)
            label.setStyleSheet(
                "color: #B91C1C; background: #FEF2F2; border: 1px solid #FECACA;"
                if warning.hard
                else "color: #92400E; background: #FFFBEB; border: 1px solid #FDE68A;"
            )
            label.setContentsMargins(6, 4, 6, 4)
            self._layout.insertWidget(self._layout.count() - 1, label)
            self._labels.append(label)
        self.ok.setVisible(not self.warnings)

    def texts(self) -> list[str]:
        return [w.text for w in self.warnings]

    @property
    def blocking(self) -> list[Warning]:
        return [w for w in self.warnings if w.hard]
