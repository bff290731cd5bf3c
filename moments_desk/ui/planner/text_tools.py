"""The composer's text box with menus that insert placeholders, templates and emoji."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPlainTextEdit, QToolButton, QWidget

from moments_desk.core.planning.templates import EXAMPLES, ZH_PLACEHOLDERS

#: Emoji sellers use in Moments; the font falls back to the colour emoji font.
EMOJI = "✨🎉🔥💕🌸🌿☀️🌙⭐️🎁🛍️👗👜👠💄📦🚚💰🧧👍👉❤️😊😍🥰🤩🙏💬📣🆕"


def _emoji_list() -> list[str]:
    # Keep variation selectors (U+FE0F) with the character before them.
    out: list[str] = []
    for char in EMOJI:
        if char == "\ufe0f" and out:
            out[-1] += char
        else:
            out.append(char)
    return out


def placeholder_names() -> dict[str, str]:
    """Placeholder → what it becomes, in the UI language."""
    return {
        "name": QCoreApplication.translate("Composer", "product name"),
        "price": QCoreApplication.translate("Composer", "price, e.g. ¥129"),
        "selling_points": QCoreApplication.translate("Composer", "selling points"),
        "code": QCoreApplication.translate("Composer", "product code"),
        "category": QCoreApplication.translate("Composer", "category"),
        "tags": QCoreApplication.translate("Composer", "product tags as #hashtags"),
        "stock": QCoreApplication.translate("Composer", "pieces in stock"),
        "shop": QCoreApplication.translate("Composer", "the account's nickname"),
        "weekday": QCoreApplication.translate("Composer", "weekday (一…日), for 周{weekday}"),
        "date": QCoreApplication.translate("Composer", "date, e.g. 11月24日"),
        "list": QCoreApplication.translate("Composer", "one line per product (合集)"),
        "sizes": QCoreApplication.translate("Composer", "sizes in stock"),
        "colours": QCoreApplication.translate("Composer", "colours in stock"),
    }


def placeholder_entries() -> list[tuple[str, str]]:
    """(text to insert, menu line) per placeholder: the Chinese name first, then the
    English one, what it becomes and an example."""
    chinese = {key: zh for zh, key in ZH_PLACEHOLDERS.items()}
    example = QCoreApplication.translate("Composer", "e.g.")
    entries = []
    for name, meaning in placeholder_names().items():
        zh = chinese.get(name)
        shown = f"{{{zh}}} / {{{name}}}" if zh else f"{{{name}}}"
        sample = EXAMPLES.get(name, "")
        line = f"{shown}  {meaning}" + (f"  ({example} {sample})" if sample else "")
        entries.append((f"{{{zh or name}}}", line))
    return entries


class TextTools(QWidget):
    """Three buttons above the text: Placeholder ▾, Template ▾, Emoji ▾."""

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.placeholders = QToolButton()
        self.placeholders.setText(QCoreApplication.translate("Composer", "Insert {…}"))
        self.placeholders.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.placeholders)
        for inserted, line in placeholder_entries():
            action = menu.addAction(line)
            action.triggered.connect(lambda _=False, n=inserted: self.insert(n))
        self.placeholders.setMenu(menu)
        self.templates = QToolButton()
        self.templates.setText(QCoreApplication.translate("Composer", "Template"))
        self.templates.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.templates.setMenu(QMenu(self.templates))
        self.emoji = QToolButton()
        self.emoji.setText("😊")
        self.emoji.setToolTip(QCoreApplication.translate("Composer", "Insert an emoji"))
        self.emoji.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        emoji_menu = QMenu(self.emoji)
        for char in _emoji_list():
            action = emoji_menu.addAction(char)
            action.triggered.connect(lambda _=False, c=char: self.insert(c))
        self.emoji.setMenu(emoji_menu)
        for button in (self.placeholders, self.templates, self.emoji):
            row.addWidget(button)
        row.addStretch(1)

    def set_templates(self, templates: list[tuple[str, str]]) -> None:
        """(name, text) pairs; choosing one replaces the text (undo with Ctrl+Z)."""
        menu = self.templates.menu()
        menu.clear()
        for name, text in templates:
            action = menu.addAction(name)
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, t=text: self.replace_all(t))
        self.templates.setEnabled(bool(templates))

    def insert(self, text: str) -> None:
        self._editor.insertPlainText(text)
        self._editor.setFocus()

    def replace_all(self, text: str) -> None:
        cursor = self._editor.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(text)  # one undo step, unlike setPlainText
        self._editor.setFocus()
