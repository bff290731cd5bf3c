"""A report card: title, a chart or its numbers as a table (one click apart), and exports."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.reports.export import ExportError, write_csv, write_xlsx
from moments_desk.core.reports.table import Cell, ColumnKind, ReportTable
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.reports.titles import column_title

Index = QModelIndex | QPersistentModelIndex


def format_value(value: Cell, kind: ColumnKind, locale: QLocale | None = None) -> str:
    locale = locale or QLocale()
    if value is None:
        return "—"
    if kind == "money":
        amount = Decimal(value)
        return "¥" + locale.toString(float(amount), "f", 0 if amount == amount.to_integral() else 2)
    if kind == "percent":
        return locale.toString(float(value) * 100, "f", 1) + "%"
    if kind == "float":
        return locale.toString(float(value), "f", 2)
    if kind == "int" and isinstance(value, int):
        return locale.toString(value)
    return str(value)


class ReportTableModel(QAbstractTableModel):
    """A small report table (a few hundred rows at most), formatted with the locale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self.display: Callable[[str, Cell], str | None] = lambda key, value: None
        self._locale = QLocale()

    def set_table(self, table: ReportTable) -> None:
        self.beginResetModel()
        self.table = table
        self._locale = QLocale()
        self.endResetModel()

    def headers(self) -> list[str]:
        if self.table is None:
            return []
        return [column_title(c.key, c.title) for c in self.table.columns]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None or parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None or parent.isValid() else len(self.table.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or not index.isValid():
            return None
        column = self.table.columns[index.column()]
        value = self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            shown = self.display(column.key, value)
            return shown if shown is not None else format_value(value, column.kind, self._locale)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind != "text":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and self.table is not None
        ):
            return self.headers()[section]
        return None


def make_report_view(model: ReportTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(28)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(False)
    return view


def export_tables(
    parent: QWidget, tables: list[tuple[ReportTable, str]], default_name: str
) -> Path | None:
    """Ask for a file and write XLSX (a sheet per table) or CSV (a file per table)."""
    path_text, chosen = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("Reports", "Export report"),
        default_name,
        QCoreApplication.translate("Reports", "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
    )
    if not path_text:
        return None
    path = Path(path_text)
    as_csv = path.suffix.lower() == ".csv" or (not path.suffix and "csv" in chosen.lower())
    if not path.suffix:
        path = path.with_suffix(".csv" if as_csv else ".xlsx")
    try:
        write_report_file(path, tables)
    except ExportError as error:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("Reports", "Export failed"),
            QCoreApplication.translate("Reports", "Could not write {file}: {error}").format(
                file=path.name, error=tr_msg(error)
            ),
        )
        return None
    return path


def write_report_file(path: Path, tables: list[tuple[ReportTable, str]]) -> None:
    """CSV holds one table (several go to name-1.csv, name-2.csv ...); XLSX one sheet each."""
    translated = [
        (table, [column_title(c.key, c.title) for c in table.columns], title)
        for table, title in tables
    ]
    if path.suffix.lower() == ".csv":
        for index, (table, headers, _) in enumerate(translated):
            target = path if index == 0 else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
            write_csv(table, target, headers)
    else:
        write_xlsx(translated, path)


class ReportCard(QFrame):
    """One figure of a report: a chart by default, its numbers as a table on demand."""

    exported = Signal(Path)

    def __init__(self, title: str, chart: QWidget | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        top = QHBoxLayout()
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        top.addWidget(heading, 1)
        self.note = QLabel("")
        self.note.setObjectName("muted")
        top.addWidget(self.note)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setText(QCoreApplication.translate("Reports", "Table"))
        self.toggle.setToolTip(QCoreApplication.translate("Reports", "Show the numbers as a table"))
        self.toggle.toggled.connect(self._toggled)
        self.export_button = QToolButton()
        self.export_button.setText(QCoreApplication.translate("Reports", "Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction(
            QCoreApplication.translate("Reports", "Excel (.xlsx)…"), lambda: self._export(".xlsx")
        )
        menu.addAction(
            QCoreApplication.translate("Reports", "CSV (.csv)…"), lambda: self._export(".csv")
        )
        self.export_button.setMenu(menu)
        top.addWidget(self.toggle)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.model = ReportTableModel(self)
        self.view = make_report_view(self.model)
        self.stack = QStackedWidget()
        self.chart = chart
        if chart is not None:
            self.stack.addWidget(chart)
        else:
            self.toggle.hide()
        self.stack.addWidget(self.view)
        layout.addWidget(self.stack, 1)

    def set_table(self, table: ReportTable) -> None:
        self.model.set_table(table)

    def show_table(self, shown: bool) -> None:
        self.toggle.setChecked(shown)

    def _toggled(self, table: bool) -> None:
        self.stack.setCurrentWidget(self.view if table or self.chart is None else self.chart)

    def _export(self, suffix: str) -> None:
        if self.model.table is None:
            return
        name = self.model.table.name + suffix
        path_text, _ = QFileDialog.getSaveFileName(
            self, QCoreApplication.translate("Reports", "Export report"), name
        )
        if not path_text:
            return
        path = Path(path_text)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_suffix(suffix)
        try:
            write_report_file(path, [(self.model.table, self.title)])
        except ExportError as error:
            QMessageBox.warning(
                self,
                QCoreApplication.translate("Reports", "Export failed"),
                QCoreApplication.translate("Reports", "Could not write {file}: {error}").format(
                    file=path.name, error=tr_msg(error)
                ),
            )
            return
        self.exported.emit(path)
