"""Baseline: a bare PySide6 QMainWindow, shown, reporting its first paint."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class Window(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setCentralWidget(QLabel("baseline"))
        self.resize(1200, 760)
        self.done = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.done:
            self.done = True
            print("painted", flush=True)
            QTimer.singleShot(0, QApplication.quit)


app = QApplication(sys.argv[:1])
window = Window()
window.show()
sys.exit(app.exec())
