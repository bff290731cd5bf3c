"""In-app help: the quick guide to the weekly loop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def show_quick_guide(parent: QWidget) -> QWidget:
    from moments_desk.ui.help.quick_guide import QuickGuideDialog

    dialog = QuickGuideDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
