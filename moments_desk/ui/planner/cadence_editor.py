"""The weekly slots of one account: a list, a form for the chosen slot, live validation."""

from __future__ import annotations

from datetime import time
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.catalogue.listing import categories
from moments_desk.core.planning.cadence import (
    CadenceError,
    SlotProblem,
    SlotSpec,
    SlotView,
    check_slot,
    delete_slot,
    list_slots,
    save_slot,
)
from moments_desk.core.planning.composer_lookups import all_tags
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.messages import error_message
from moments_desk.core.shared import uow
from moments_desk.db.models import PostKind
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.kit.tasks import LatestOnly
from moments_desk.ui.planner.messages import planning_error
from moments_desk.ui.planner.text_tools import TextTools
from moments_desk.ui.planner.week_view import weekday_name

Index = QModelIndex | QPersistentModelIndex
DAILY = -1


def day_text(weekday: int | None) -> str:
    if weekday is None:
        return QCoreApplication.translate("Cadence", "Daily")
    return weekday_name(weekday)


class SlotTableModel(QAbstractTableModel):
    """The account's slots: day, time, kind, name, category/tag, template, active."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots: list[SlotView] = []

    def set_slots(self, slots: list[SlotView]) -> None:
        self.beginResetModel()
        self.slots = list(slots)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.slots)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (
            QCoreApplication.translate("Cadence", "Day"),
            QCoreApplication.translate("Cadence", "Time"),
            QCoreApplication.translate("Cadence", "Kind"),
            QCoreApplication.translate("Cadence", "Name"),
            QCoreApplication.translate("Cadence", "Products from"),
            QCoreApplication.translate("Cadence", "Active"),
        )
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.slots):
            return None
        slot = self.slots[index.row()]
        spec = slot.spec
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return day_text(spec.weekday)
            if column == 1:
                return f"{spec.time_of_day:%H:%M}"
            if column == 2:
                return labels.post_kind(spec.kind)
            if column == 3:
                return spec.label
            if column == 4:
                return " · ".join(x for x in (spec.category, slot.tag_name) if x)
            if column == 5:
                return (
                    QCoreApplication.translate("Cadence", "yes")
                    if spec.active
                    else QCoreApplication.translate("Cadence", "paused")
                )
        if role == Qt.ItemDataRole.ToolTipRole and spec.template:
            return spec.template
        return None


class CadenceDialog(QDialog):
    def __init__(self, ctx: AppContext, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.account_id = account_id
        self.slot_id: int | None = None
        self._loading = False
        self._checks = LatestOnly(ctx.executor)
        self.problems: list[str] = []
        self.setWindowTitle(QCoreApplication.translate("Cadence", "Weekly slots"))
        self.resize(880, 640)
        layout = QVBoxLayout(self)
        intro = QLabel(
            QCoreApplication.translate(
                "Cadence",
                "Friends learn your rhythm, e.g. new arrivals every Tuesday and Thursday at "
                "20:00 and a lifestyle post every day at 12:00. Plan 4 weeks fills these slots "
                "with drafts.",
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        layout.addWidget(intro)
        self.model = SlotTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        layout.addWidget(self.table, 1)

        form = QFormLayout()
        self.day = QComboBox()
        combos.add_item(self.day, day_text(None), DAILY)
        for weekday in range(7):
            combos.add_item(self.day, day_text(weekday), weekday)
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        day_row = QHBoxLayout()
        day_row.addWidget(self.day)
        day_row.addWidget(self.time)
        day_row.addStretch(1)
        form.addRow(QCoreApplication.translate("Cadence", "When"), day_row)
        self.kind = QComboBox()
        for kind in PostKind:
            self.kind.addItem(labels.post_kind(kind), kind.value)
        form.addRow(QCoreApplication.translate("Cadence", "Kind"), self.kind)
        self.label = QLineEdit()
        self.label.setPlaceholderText(QCoreApplication.translate("Cadence", "e.g. 周二上新"))
        form.addRow(QCoreApplication.translate("Cadence", "Name"), self.label)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.tag = QComboBox()
        from_row = QHBoxLayout()
        from_row.addWidget(QLabel(QCoreApplication.translate("Cadence", "Category")))
        from_row.addWidget(self.category, 1)
        from_row.addWidget(QLabel(QCoreApplication.translate("Cadence", "Tag")))
        from_row.addWidget(self.tag, 1)
        form.addRow(QCoreApplication.translate("Cadence", "Products from"), from_row)
        self.template = QPlainTextEdit()
        self.template.setFixedHeight(84)
        self.template_tools = TextTools(self.template)
        self.template_tools.templates.hide()
        template_box = QVBoxLayout()
        template_box.addWidget(self.template_tools)
        template_box.addWidget(self.template)
        form.addRow(QCoreApplication.translate("Cadence", "Template"), template_box)
        self.active = QCheckBox(QCoreApplication.translate("Cadence", "Active"))
        self.active.setChecked(True)
        form.addRow("", self.active)
        layout.addLayout(form)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("errorText")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        layout.addWidget(self.problem_label)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(QCoreApplication.translate("Cadence", "New slot"))
        self.new_button.clicked.connect(self.new_slot)
        self.delete_button = QPushButton(QCoreApplication.translate("Cadence", "Delete slot…"))
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(self.delete)
        self.save_button = QPushButton(QCoreApplication.translate("Cadence", "Save slot"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        close = QPushButton(QCoreApplication.translate("Cadence", "Close"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.check)
        self.day.currentIndexChanged.connect(self._edited)
        self.time.timeChanged.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._edited)
        self.label.textEdited.connect(self._edited)
        self.category.currentTextChanged.connect(self._edited)
        self.tag.currentIndexChanged.connect(self._edited)
        self.template.textChanged.connect(self._edited)
        self.active.toggled.connect(self._edited)
        self.new_slot()
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        ctx, account_id = self._ctx, self.account_id

        def show(result: tuple[list[SlotView], list[str], list[tuple[int, str]]]) -> None:
            if not shiboken6.isValid(self.table):
                return
            slots, names, tags = result
            self._loading = True
            self.model.set_slots(slots)
            current = self.category.currentText()
            self.category.clear()
            self.category.addItems(["", *names])
            self.category.setCurrentText(current)
            tag = combos.value(self.tag)
            self.tag.clear()
            combos.add_item(self.tag, QCoreApplication.translate("Cadence", "any"), None)
            for tag_id, name in tags:
                combos.add_item(self.tag, name, tag_id)
            self.tag.setCurrentIndex(max(combos.find(self.tag, tag), 0))
            self._loading = False
            if select is not None:
                for row, slot in enumerate(slots):
                    if slot.id == select:
                        self.table.selectRow(row)

        ctx.executor.submit(
            lambda: uow.read(
                ctx.shop.sessions,
                lambda s: (list_slots(s, account_id), categories(s), all_tags(s)),
            ),
            show,
            self._failed,
        )

    def _row_changed(self, current: QModelIndex, _: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.slots):
            self.show_slot(self.model.slots[current.row()])

    def show_slot(self, slot: SlotView) -> None:
        self._loading = True
        self.slot_id = slot.id
        spec = slot.spec
        self.day.setCurrentIndex(
            combos.find(self.day, DAILY if spec.weekday is None else spec.weekday)
        )
        self.time.setTime(QTime(spec.time_of_day.hour, spec.time_of_day.minute))
        self.kind.setCurrentIndex(combos.find(self.kind, spec.kind.value))
        self.label.setText(spec.label)
        self.category.setCurrentText(spec.category or "")
        self.tag.setCurrentIndex(max(combos.find(self.tag, spec.tag_id), 0))
        self.template.setPlainText(spec.template)
        self.active.setChecked(spec.active)
        self.delete_button.setEnabled(True)
        self._loading = False
        self.check()

    def new_slot(self) -> None:
        self._loading = True
        self.slot_id = None
        self.table.clearSelection()
        self.day.setCurrentIndex(combos.find(self.day, 1))
        self.time.setTime(QTime(20, 0))
        self.kind.setCurrentIndex(0)
        self.label.clear()
        self.category.setCurrentText("")
        self.tag.setCurrentIndex(0)
        self.template.clear()
        self.active.setChecked(True)
        self.delete_button.setEnabled(False)
        self._loading = False
        self.show_problems([])

    # -- editing -------------------------------------------------------------------------------

    def spec(self) -> SlotSpec:
        day = combos.value(self.day)
        qt = self.time.time()
        tag = combos.value(self.tag)
        return SlotSpec(
            account_id=self.account_id,
            weekday=None if day == DAILY else int(day),
            time_of_day=time(qt.hour(), qt.minute()),
            kind=PostKind(combos.value(self.kind)),
            label=self.label.text(),
            category=self.category.currentText().strip() or None,
            tag_id=int(tag) if tag is not None else None,
            template=self.template.toPlainText(),
            active=self.active.isChecked(),
        )

    def _edited(self, *_: object) -> None:
        if not self._loading:
            self._timer.start()

    def problem_text(self, problem: SlotProblem) -> str:
        message = error_message(problem.code, problem.params)
        return problem.message if message is None else tr_msg(message)

    def check(self) -> None:
        ctx, slot_id, spec = self._ctx, self.slot_id, self.spec()
        self._checks.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: check_slot(s, slot_id, spec)),
            lambda problems: self.show_problems([self.problem_text(p) for p in problems]),
            self._failed,
        )

    def done(self, result: int) -> None:
        self._timer.stop()  # no check may arrive after the dialog is gone
        super().done(result)

    def show_problems(self, problems: list[str]) -> None:
        if not shiboken6.isValid(self.problem_label):
            return  # a late answer for a dialog already closed
        self.problems = problems
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))

    def save(self) -> None:
        ctx, slot_id, spec = self._ctx, self.slot_id, self.spec()

        def done(new_id: int) -> None:
            self.slot_id = new_id
            self.show_problems([])
            self.reload(select=new_id)

        def failed(error: BaseException) -> None:
            if isinstance(error, CadenceError):
                self.show_problems([self.problem_text(p) for p in error.problems])
            else:
                self._failed(error)

        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: save_slot(s, slot_id, spec)),
            done,
            failed,
        )

    def delete(self) -> None:
        slot_id = self.slot_id
        if slot_id is None:
            return
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            QCoreApplication.translate(
                "Cadence", "Delete this slot? Posts already planned in it stay in the plan."
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx = self._ctx

        def done(_: object) -> None:
            self.new_slot()
            self.reload()

        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: delete_slot(s, slot_id)),
            done,
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, PlanningError):
            self.show_problems([planning_error(error, self._ctx.language)])
        else:
            show_failure(self, error)
