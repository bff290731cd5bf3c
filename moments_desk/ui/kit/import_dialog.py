"""The spreadsheet import dialog every import shares: file → column mapping → preview → import.

Subclasses say which fields exist, how to plan (check every row, write nothing) and how to
apply a plan; this class reads the file on the DB executor, remembers the mapping per file
layout, shows row errors and a preview, and runs the import with progress and cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.core.shared.shop_settings import get_setting, set_setting
from moments_desk.core.spreadsheets.importing import ImportCancelled, RowError
from moments_desk.core.spreadsheets.tabular import (
    Table,
    guess_mapping,
    mapping_signature,
    read_table,
)
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.list_view import progress_dialog

PREVIEW_ROWS = 300
# More errors than this are summarised: a seller fixes the first ones and retries.
SHOWN_ERRORS = 500


class Plan(Protocol):
    @property
    def errors(self) -> list[RowError]: ...

    @property
    def warnings(self) -> list[str]: ...

    @property
    def ok(self) -> bool: ...


Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
#: Given the file and the column mapping, the read that plans the import (run on the DB thread).
Planner = Callable[[Table, dict[str, int]], uow.Work[Any]]
Applier = Callable[[Any, Progress, Cancelled], Any]


class MappingImportDialog(QDialog):
    # field name → header aliases; the order is the order of the mapping form
    FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {}
    # fields that must be mapped (marked with *)
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    # shop setting that remembers the chosen mapping per file layout
    SETTINGS_KEY: ClassVar[str] = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.table: Table | None = None
        self.plan: Any = None
        self.imported: Any = None
        self.setWindowTitle(self.title())
        self.resize(980, 700)

        layout = QVBoxLayout(self)
        self.file_label = QLabel("")
        self.file_label.setObjectName("sectionTitle")
        layout.addWidget(self.file_label)
        top = QHBoxLayout()
        mapping_box = QWidget()
        grid = QGridLayout(mapping_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.combos: dict[str, QComboBox] = {}
        half = (len(self.FIELDS) + 1) // 2
        for index, name in enumerate(self.FIELDS):
            combo = QComboBox()
            combo.setMinimumWidth(150)
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos[name] = combo
            row, column = index % half, (index // half) * 2
            label = self.field_label(name) + (" *" if name in self.REQUIRED else "")
            grid.addWidget(QLabel(label), row, column)
            grid.addWidget(combo, row, column + 1)
        top.addWidget(mapping_box, 2)
        self.options = QVBoxLayout()
        top.addLayout(self.options, 1)
        layout.addLayout(top)

        self.summary = QLabel("")
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.errors = QListWidget()
        self.errors.setMaximumHeight(130)
        self.errors.hide()
        layout.addWidget(self.errors)
        headers = self.preview_headers()
        self.preview = QTableWidget(0, len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setColumnWidth(0, 50)
        layout.addWidget(self.preview, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            QCoreApplication.translate("ImportDialog", "Import"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._filling = False

    # -- what subclasses say -------------------------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def field_label(self, name: str) -> str:
        raise NotImplementedError

    def preview_headers(self) -> list[str]:
        raise NotImplementedError

    def file_filter(self) -> str:
        return QCoreApplication.translate("ImportDialog", "Spreadsheets (*.csv *.txt *.xlsx)")

    def ready(self) -> bool:
        """Whether the options needed for planning are set (e.g. an account is chosen)."""
        return True

    def make_planner(self) -> Planner:
        """Runs on the DB thread: capture the options' values here, touch no widget there."""
        raise NotImplementedError

    def summary_text(self, plan: Any) -> str:
        """The counts line for plans that create, update and skip rows (products, friends)."""
        return QCoreApplication.translate(
            "ImportDialog",
            "New: {new} · Updated: {updated} · Skipped: {skipped} · Errors: {errors}",
        ).format(
            new=plan.to_create,
            updated=plan.to_update,
            skipped=plan.skipped,
            errors=len(plan.errors),
        )

    def preview_rows(self, plan: Any) -> list[tuple[str, ...]]:
        raise NotImplementedError

    def has_work(self, plan: Any) -> bool:
        raise NotImplementedError

    def progress_label(self) -> str:
        return QCoreApplication.translate("ImportDialog", "Importing…")

    def make_applier(self) -> Applier:
        """Runs on the DB thread, like make_planner's result."""
        raise NotImplementedError

    def done_text(self, result: Any) -> str:
        raise NotImplementedError

    # -- loading -------------------------------------------------------------------------------

    def start(self, path: Path | None = None) -> bool:
        """Ask for the file (unless given) and start reading it; False if none was chosen."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.windowTitle(), str(Path.home()), self.file_filter()
            )
            if not name:
                return False
            path = Path(name)
        self.file_label.setText(path.name)
        self.summary.setText(QCoreApplication.translate("ImportDialog", "Reading the file…"))
        sessions = self._ctx.shop.sessions
        prefix = self.SETTINGS_KEY

        def load() -> tuple[Table, dict[str, int] | None]:
            table = read_table(path)
            key = f"{prefix}.{mapping_signature(table.headers)}"
            saved = uow.read(sessions, lambda s: get_setting(s, key))
            return table, saved

        self._ctx.executor.submit(load, self._loaded, self._failed)
        return True

    def _loaded(self, result: tuple[Table, dict[str, int] | None]) -> None:
        table, saved = result
        self.table = table
        mapping = saved if isinstance(saved, dict) else guess_mapping(table.headers, self.FIELDS)
        self._filling = True
        skip = QCoreApplication.translate("ImportDialog", "(not imported)")
        for name, combo in self.combos.items():
            combo.clear()
            combos.add_item(combo, skip, None)
            for index, header in enumerate(table.headers):
                combo.addItem(header, index)
            chosen = mapping.get(name)
            combo.setCurrentIndex(combos.find(combo, chosen) if chosen is not None else 0)
        self._filling = False
        encoding = f" · {table.encoding}" if table.encoding else ""
        count = len(table.rows)
        self.file_label.setText(
            QCoreApplication.translate(
                "ImportDialog", "{file}: %Ln row(s){encoding}", "", count
            ).format(file=table.path.name, encoding=encoding)
        )
        self._mapping_changed()

    def mapping(self) -> dict[str, int]:
        return {
            name: combos.value(combo)
            for name, combo in self.combos.items()
            if combos.value(combo) is not None
        }

    def _mapping_changed(self, *_: Any) -> None:
        if self._filling or self.table is None or not self.ready():
            return
        table, mapping, planner = self.table, self.mapping(), self.make_planner()
        self.import_button.setEnabled(False)
        self.summary.setText(QCoreApplication.translate("ImportDialog", "Checking every row…"))
        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, planner(table, mapping)),
            self._show_plan,
            self._failed,
        )

    def _show_plan(self, plan: Plan) -> None:
        self.plan = plan
        self.summary.setText(self.summary_text(plan))
        self.errors.clear()
        for error in plan.errors[:SHOWN_ERRORS]:
            self.errors.addItem(self.error_text(error))
            self.errors.item(self.errors.count() - 1).setForeground(QBrush(QColor("#B91C1C")))
        hidden = len(plan.errors) - SHOWN_ERRORS
        if hidden > 0:
            self.errors.addItem(
                QCoreApplication.translate("ImportDialog", "…and %Ln more row error(s)", "", hidden)
            )
        for warning in plan.warnings:
            self.errors.addItem(tr_msg(warning))
        self.errors.setVisible(bool(plan.errors or plan.warnings))
        rows = self.preview_rows(plan)[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.preview.setItem(r, c, QTableWidgetItem(text))
        self.import_button.setEnabled(plan.ok and self.has_work(plan))

    def error_text(self, error: RowError) -> str:
        """'Row 4 · Phone: …' with the row and the field in the interface language."""
        where = QCoreApplication.translate("ImportDialog", "Row {row}").format(row=error.row)
        if error.field is not None and error.field in self.FIELDS:
            where += " · " + self.field_label(error.field)
        return QCoreApplication.translate("ImportDialog", "{where}: {message}").format(
            where=where, message=tr_msg(error.message)
        )

    # -- importing -----------------------------------------------------------------------------

    def run_import(self) -> None:
        plan, table = self.plan, self.table
        if plan is None or table is None or not plan.ok:
            return
        progress, bridge = progress_dialog(self, self.progress_label())
        sessions = self._ctx.shop.sessions
        key = f"{self.SETTINGS_KEY}.{mapping_signature(table.headers)}"
        mapping, applier = self.mapping(), self.make_applier()
        self.import_button.setEnabled(False)

        def work() -> Any:
            result = applier(plan, bridge.report, bridge.cancelled)
            uow.write(sessions, lambda s: set_setting(s, key, mapping))
            return result

        def done(result: Any) -> None:
            progress.reset()
            self.imported = result
            QMessageBox.information(self, self.windowTitle(), self.done_text(result))
            self.accept()

        def failed(error: BaseException) -> None:
            progress.reset()
            self.import_button.setEnabled(True)
            if isinstance(error, ImportCancelled):
                self.summary.setText(
                    QCoreApplication.translate("ImportDialog", "Cancelled: nothing was imported.")
                )
                return
            self._failed(error)

        self._ctx.executor.submit(work, done, failed)

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(
            QCoreApplication.translate("ImportDialog", "Nothing was imported: {error}").format(
                error=tr_msg(error)
            )
        )


def add_on_existing(dialog: MappingImportDialog, texts: tuple[str, str, str]) -> QComboBox:
    """The update / skip / error choice for rows that match what the shop already has."""
    combo = QComboBox()
    for text, value in zip(texts, ("update", "skip", "error"), strict=True):
        combo.addItem(text, value)
    combo.currentIndexChanged.connect(dialog._mapping_changed)
    dialog.options.addWidget(combo)
    return combo


def add_button(dialog: MappingImportDialog, text: str) -> QPushButton:
    button = QPushButton(text)
    dialog.options.addWidget(button)
    return button
