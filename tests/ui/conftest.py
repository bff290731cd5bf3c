"""Fixtures for UI tests: an opened shop in a temporary folder and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from moments_desk.scheduling.clock import FakeClock
from moments_desk.startup import Shop, open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import install_translators
from moments_desk.ui.kit.tasks import DbExecutor

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Sunday 22 November 2026, 10:00 in Shanghai.
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    opened = open_shop(tmp_path / "shop")
    yield opened
    opened.close()


@pytest.fixture
def make_ctx(qapp: QApplication, shop: Shop) -> Iterator[object]:
    executors: list[DbExecutor] = []
    translators: list[object] = []

    def build(language: str = "en") -> AppContext:
        translators.extend(install_translators(qapp, language))
        executor = DbExecutor()
        executors.append(executor)
        return AppContext(
            shop=shop, clock=FakeClock(NOW), zone=SHANGHAI, executor=executor, language=language
        )

    yield build
    for executor in executors:
        executor.wait()
    for translator in translators:
        qapp.removeTranslator(translator)  # type: ignore[arg-type]


def type_text(widget: QWidget, text: str) -> None:
    """Type like a seller with a Chinese input method: key events that carry the text.

    QTest.keyClicks only handles ASCII (it asserts on 张), so each character is sent as a
    key event with Key_unknown and the character as its text, as an IME commit does.
    """
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
