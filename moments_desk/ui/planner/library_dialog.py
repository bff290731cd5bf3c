"""The 素材库: browse, add, edit and remove the seller's reusable non-selling posts, see the
built-in starters, and set how many weeks pass before one is used again on an account."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.library.entries import (
    EntryDraft,
    EntryView,
    LibraryError,
    delete_entry,
    list_entries,
    no_repeat_weeks,
    save_entry,
    set_no_repeat_weeks,
)
from moments_desk.core.library.starters import SEASONS, STARTERS, EntryKind
from moments_desk.core.planning.posts import add_free_pictures
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.list_view import show_failure


def kind_names() -> dict[str, str]:
    return {
        EntryKind.LIFE.value: QCoreApplication.translate("Library", "Daily life"),
        EntryKind.TIPS.value: QCoreApplication.translate("Library", "Styling and care tips"),
        EntryKind.QUESTION.value: QCoreApplication.translate("Library", "Question for comments"),
        EntryKind.BEHIND.value: QCoreApplication.translate("Library", "Behind the scenes"),
        EntryKind.BRAND.value: QCoreApplication.translate("Library", "Brand story"),
        EntryKind.HOLIDAY.value: QCoreApplication.translate("Library", "Holiday or solar term"),
        EntryKind.BUYER_SHOW.value: QCoreApplication.translate("Library", "Buyer show"),
    }


def season_names() -> dict[str, str]:
    return {
        "": QCoreApplication.translate("Library", "Any season"),
        "spring": QCoreApplication.translate("Library", "Spring"),
        "summer": QCoreApplication.translate("Library", "Summer"),
        "autumn": QCoreApplication.translate("Library", "Autumn"),
        "winter": QCoreApplication.translate("Library", "Winter"),
    }


class LibraryDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(QCoreApplication.translate("Library", "Content library"))
        self.resize(860, 560)
        self.entries: list[EntryView] = []
        self.entry_id: int | None = None
        self.image_ids: list[int] = []

        intro = QLabel(
            QCoreApplication.translate(
                "Library",
                "Life, tips, buyer shows and brand stories for the 60% of posts that do not "
                "sell. Plan 4 weeks fills empty life slots from here (your entries first, then "
                "the built-in starters); when nothing fits it leaves a draft marked 待写.",
            )
        )
        intro.setWordWrap(True)

        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._show_current)
        self.starters = QListWidget()
        for starter in STARTERS:
            item = QListWidgetItem(f"[{kind_names()[starter.kind.value]}] {starter.text}")
            item.setData(Qt.ItemDataRole.UserRole, starter.key)
            self.starters.addItem(item)
        self.copy_starter = QPushButton(
            QCoreApplication.translate("Library", "Copy to my library to edit")
        )
        self.copy_starter.clicked.connect(self._copy_starter)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(QLabel(QCoreApplication.translate("Library", "My entries")))
        left_box.addWidget(self.list, 3)
        left_box.addWidget(QLabel(QCoreApplication.translate("Library", "Built-in starters")))
        left_box.addWidget(self.starters, 2)
        left_box.addWidget(self.copy_starter)

        self.kind = QComboBox()
        for key, name in kind_names().items():
            self.kind.addItem(name, key)
        self.season = QComboBox()
        for key, name in season_names().items():
            self.season.addItem(name, key)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(QCoreApplication.translate("Library", "e.g. 针织 保养"))
        self.text = QPlainTextEdit()
        self.pictures = QLabel()
        add_pictures = QPushButton(QCoreApplication.translate("Library", "Add pictures…"))
        add_pictures.clicked.connect(self._add_pictures)
        clear_pictures = QPushButton(QCoreApplication.translate("Library", "Remove pictures"))
        clear_pictures.clicked.connect(self._clear_pictures)
        picture_row = QHBoxLayout()
        for widget in (self.pictures, add_pictures, clear_pictures):
            picture_row.addWidget(widget)
        self.last_used = QLabel()
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("Library", "Kind"), self.kind)
        form.addRow(QCoreApplication.translate("Library", "Season"), self.season)
        form.addRow(QCoreApplication.translate("Library", "Tags"), self.tags)
        form.addRow(QCoreApplication.translate("Library", "Text"), self.text)
        form.addRow(QCoreApplication.translate("Library", "Pictures"), picture_row)
        form.addRow(QCoreApplication.translate("Library", "Last used"), self.last_used)

        self.new_button = QPushButton(QCoreApplication.translate("Library", "New entry"))
        self.new_button.clicked.connect(self.new_entry)
        self.save_button = QPushButton(QCoreApplication.translate("Library", "Save"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(QCoreApplication.translate("Library", "Remove"))
        self.delete_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addLayout(form)
        right_box.addLayout(buttons)
        right_box.addWidget(self.status)

        self.weeks = QSpinBox()
        self.weeks.setRange(1, 52)
        self.weeks.setSuffix(QCoreApplication.translate("Library", " weeks"))
        self.weeks.editingFinished.connect(self._save_weeks)
        weeks_row = QHBoxLayout()
        weeks_row.addWidget(
            QLabel(
                QCoreApplication.translate("Library", "Do not use an entry again on an account for")
            )
        )
        weeks_row.addWidget(self.weeks)
        weeks_row.addStretch(1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([380, 480])  # the lists show a whole first line
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(weeks_row)
        layout.addWidget(splitter, 1)
        self.new_entry()
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        ctx = self._ctx
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: (list_entries(s), no_repeat_weeks(s))),
            self._loaded,
            self._failed,
        )

    def _loaded(self, result: tuple[list[EntryView], int]) -> None:
        if not shiboken6.isValid(self.list):
            return
        self.entries, weeks = result
        self.weeks.setValue(weeks)
        self.list.clear()
        names = kind_names()
        for entry in self.entries:
            first = next((ln for ln in entry.text.splitlines() if ln.strip()), "")
            item = QListWidgetItem(f"[{names.get(entry.kind, entry.kind)}] {first[:40]}")
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list.addItem(item)
            if entry.id == self.entry_id:
                self.list.setCurrentItem(item)

    def _show_current(self, item: QListWidgetItem | None, _: object = None) -> None:
        if item is None:
            return
        entry_id = item.data(Qt.ItemDataRole.UserRole)
        entry = next((e for e in self.entries if e.id == entry_id), None)
        if entry is None:
            return
        self.entry_id = entry.id
        self.kind.setCurrentIndex(max(0, self.kind.findData(entry.kind)))
        self.season.setCurrentIndex(max(0, self.season.findData(entry.season)))
        self.tags.setText(entry.tags)
        self.text.setPlainText(entry.text)
        self.image_ids = list(entry.image_media_ids)
        self._show_pictures()
        self.last_used.setText(
            entry.last_used_at.astimezone(self._ctx.zone).strftime("%Y-%m-%d")
            if entry.last_used_at
            else QCoreApplication.translate("Library", "never")
        )
        self.delete_button.setEnabled(True)

    def _show_pictures(self) -> None:
        self.pictures.setText(
            QCoreApplication.translate("Library", "{n} picture(s)").format(n=len(self.image_ids))
        )

    # -- editing -------------------------------------------------------------------------------

    def new_entry(self) -> None:
        self.entry_id = None
        self.list.clearSelection()
        self.kind.setCurrentIndex(0)
        self.season.setCurrentIndex(0)
        self.tags.clear()
        self.text.clear()
        self.image_ids = []
        self._show_pictures()
        self.last_used.setText(QCoreApplication.translate("Library", "never"))
        self.delete_button.setEnabled(False)

    def _copy_starter(self) -> None:
        if self.starters.currentRow() < 0:
            return
        item = self.starters.currentItem()
        key = str(item.data(Qt.ItemDataRole.UserRole))
        starter = next(s for s in STARTERS if s.key == key)
        self.new_entry()
        self.kind.setCurrentIndex(max(0, self.kind.findData(starter.kind.value)))
        self.season.setCurrentIndex(max(0, self.season.findData(starter.season)))
        self.tags.setText(starter.tags)
        self.text.setPlainText(starter.text)

    def draft(self) -> EntryDraft:
        season = str(self.season.currentData() or "")
        return EntryDraft(
            kind=str(self.kind.currentData()),
            text=self.text.toPlainText(),
            tags=self.tags.text(),
            season=season if season in SEASONS else "",
            image_media_ids=tuple(self.image_ids),
        )

    def save(self) -> None:
        ctx, draft, entry_id = self._ctx, self.draft(), self.entry_id
        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: save_entry(s, entry_id, draft)),
            self._saved,
            self._failed,
        )

    def _saved(self, entry_id: int) -> None:
        if not shiboken6.isValid(self.status):
            return
        self.entry_id = entry_id
        self.status.setText(QCoreApplication.translate("Library", "Saved."))
        self.reload()

    def remove(self) -> None:
        entry_id = self.entry_id
        if entry_id is None:
            return
        ctx = self._ctx
        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: delete_entry(s, entry_id)),
            self._removed,
            self._failed,
        )

    def _removed(self, _: object) -> None:
        if shiboken6.isValid(self.list):
            self.new_entry()
            self.reload()

    def _add_pictures(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            QCoreApplication.translate("Library", "Pictures"),
            "",
            QCoreApplication.translate("Library", "Pictures (*.jpg *.jpeg *.png *.webp)"),
        )
        if files:
            self.add_picture_files([Path(f) for f in files])

    def add_picture_files(self, files: list[Path]) -> None:
        ctx = self._ctx
        media = ctx.shop.paths.media
        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: add_free_pictures(s, files, media)),
            self._pictures_added,
            self._failed,
        )

    def _pictures_added(self, result: tuple[list[int], list[Exception]]) -> None:
        ids, rejected = result
        self.image_ids = [*self.image_ids, *ids][:9]
        self._show_pictures()
        if rejected:
            self.status.setText("\n".join(str(e) for e in rejected))

    def _clear_pictures(self) -> None:
        self.image_ids = []
        self._show_pictures()

    def _save_weeks(self) -> None:
        ctx, weeks = self._ctx, self.weeks.value()
        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: set_no_repeat_weeks(s, weeks)),
            lambda _: None,
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self.status):
            return
        if isinstance(error, LibraryError):
            self.status.setText(error.text(self._ctx.language))
            return
        show_failure(self, error)
