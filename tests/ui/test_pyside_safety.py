"""Guards against PySide6 6.12 freeing None when combo boxes hand back None item data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from moments_desk.ui.kit import combo

HAMMER = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from datetime import UTC, datetime
from moments_desk.scheduling.clock import FakeClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.products.page import ProductsPage
from moments_desk.ui.kit.tasks import DbExecutor
shop = open_shop(Path(sys.argv[1]))
clock = FakeClock(datetime(2026, 11, 22, tzinfo=UTC))
ctx = AppContext(shop, clock, local_zone(), DbExecutor(), "en")
pages = [ProductsPage(ctx), CustomersPage(ctx)]
for _ in range(20000):  # a long afternoon of filtering
    for page in pages:
        page.current_query()
print("survived")
"""


def test_filter_combos_survive_a_long_afternoon(tmp_path: Path) -> None:
    """Each keystroke reads every filter combo; 20,000 rounds used to abort the app."""
    result = subprocess.run(
        [sys.executable, "-c", HAMMER, str(tmp_path / "shop")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived" in result.stdout


def test_any_round_trips_as_none(qtbot: QtBot) -> None:
    box = QComboBox()
    qtbot.addWidget(box)
    combo.add_item(box, "All", None)
    combo.add_item(box, "Dresses", "连衣裙")
    assert combo.value(box) is None
    box.setCurrentIndex(combo.find(box, "连衣裙"))
    assert combo.value(box) == "连衣裙"
    assert combo.find(box, None) == 0
    assert combo.item_value(box, 5) is None


SIGNALS = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Relay(QObject):
    done = Signal(object)
relay = Relay()
relay.done.connect(lambda result: None)
for _ in range(20000):  # results of a day's searches, saves and thumbnails
    relay.done.emit([1, 2, 3])
print("survived")
"""


def test_signal_delivery_does_not_corrupt_the_interpreter() -> None:
    """PySide6 6.12.0 freed True/False after a few thousand emissions; we pin below it."""
    result = subprocess.run(
        [sys.executable, "-c", SIGNALS],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived" in result.stdout


def test_an_answer_for_a_closed_dialog_is_dropped(qtbot: QtBot) -> None:
    """A read that finishes after its dialog was deleted must not call into the dead widget
    (that raised "Internal C++ object already deleted" in the event loop)."""
    import threading

    import shiboken6
    from PySide6.QtWidgets import QDialog, QListWidget

    from moments_desk.ui.kit.tasks import DbExecutor

    class Dialog(QDialog):
        def __init__(self) -> None:
            super().__init__()
            self.list = QListWidget(self)
            self.answers: list[object] = []

        def shown(self, answer: object) -> None:
            self.answers.append(answer)
            self.list.addItem(str(answer))

    executor = DbExecutor()
    release = threading.Event()
    dialog = Dialog()
    executor.submit(lambda: release.wait(5) and 42, dialog.shown)
    shiboken6.delete(dialog)
    release.set()
    done = Dialog()
    qtbot.addWidget(done)
    executor.submit(lambda: 7, done.shown)  # one thread: this runs after the first
    qtbot.waitUntil(lambda: done.answers == [7], timeout=5000)
