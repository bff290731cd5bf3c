"""Combo-box values that never pass through PySide as None.

PySide6 6.12.0 drops a reference to ``None`` each time a combo box returns item data that is
None (``currentData()`` or ``itemData()`` on an item added with None or without data), and
the interpreter aborts after a few thousand calls. pyproject pins PySide6 below 6.12; storing
real values (``ANY`` stands for "no filter") keeps the filters safe even if the pin is lifted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox

#: Stored instead of None; never a real value of any field.
ANY = "\x00any"


def add_item(combo: QComboBox, text: str, value: Any) -> None:
    combo.addItem(text, ANY if value is None else value)


def value(combo: QComboBox) -> Any:
    if combo.currentIndex() < 0:
        return None
    data = combo.currentData()
    return None if data == ANY else data


def item_value(combo: QComboBox, index: int) -> Any:
    if not 0 <= index < combo.count():
        return None
    data = combo.itemData(index)
    return None if data == ANY else data


def find(combo: QComboBox, wanted: Any) -> int:
    return combo.findData(ANY if wanted is None else wanted)
