"""Settings → Team and reminders: profiles, the approval rule, reminder lead, the tray."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.planning import reminders
from moments_desk.core.shared import uow
from moments_desk.core.team import approval, users
from moments_desk.core.team.users import UserError, UserRow
from moments_desk.db.models import UserRole
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.list_view import run_write, show_failure
from moments_desk.ui.reminders.texts import local_time
from moments_desk.ui.reminders.tray import keep_in_tray, set_keep_in_tray
from moments_desk.ui.users.texts import role_name, user_error_text


class UserDialog(QDialog):
    def __init__(self, row: UserRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Users", "Profile"))
        form = QFormLayout(self)
        self.name = QLineEdit(row.name if row else "")
        self.role = QComboBox()
        self.role.addItem(role_name(UserRole.ASSISTANT), UserRole.ASSISTANT.value)
        self.role.addItem(role_name(UserRole.OWNER), UserRole.OWNER.value)
        self.role.setCurrentIndex(
            self.role.findData((row.role if row else UserRole.ASSISTANT).value)
        )
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        if row is not None and row.has_secret:
            self.pin.setPlaceholderText(
                QCoreApplication.translate("Users", "leave empty to keep the current PIN")
            )
        self.clear_pin = QCheckBox(QCoreApplication.translate("Users", "Remove the PIN"))
        self.clear_pin.setVisible(row is not None and row.has_secret)
        form.addRow(QCoreApplication.translate("Users", "Name"), self.name)
        form.addRow(QCoreApplication.translate("Users", "Role"), self.role)
        form.addRow(QCoreApplication.translate("Users", "PIN or password"), self.pin)
        form.addRow(QCoreApplication.translate("Users", "Repeat"), self.repeat)
        form.addRow("", self.clear_pin)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if self.pin.text() != self.repeat.text():
            self.message.setText(QCoreApplication.translate("Users", "The two PINs differ."))
            return
        self.accept()

    def chosen_role(self) -> UserRole:
        return UserRole(str(self.role.currentData()))


@dataclass(frozen=True)
class TeamSettings:
    users: list[UserRow]
    approval: bool
    lead: int


class TeamCard(QFrame):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ctx = ctx
        self.users: list[UserRow] = []
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        title = QLabel(QCoreApplication.translate("Users", "Team and reminders"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        hint = QLabel(
            QCoreApplication.translate(
                "Users",
                "Profiles for the people using this shop. Assistants draft and schedule "
                "posts; owners manage profiles and approve. PINs are stored only as argon2 "
                "hashes.",
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("Users", "Name"),
                QCoreApplication.translate("Users", "Role"),
                QCoreApplication.translate("Users", "Sign-in"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(150)
        self.table.doubleClicked.connect(self.edit_selected)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(QCoreApplication.translate("Users", "Add profile…"))
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button = QPushButton(QCoreApplication.translate("Users", "Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.unlock_button = QPushButton(QCoreApplication.translate("Users", "Unlock"))
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.remove_button = QPushButton(QCoreApplication.translate("Users", "Remove…"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.audit_button = QPushButton(QCoreApplication.translate("Users", "Audit log…"))
        self.audit_button.clicked.connect(self.open_audit)
        for button in (self.add_button, self.edit_button, self.unlock_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.audit_button)
        layout.addLayout(row)

        form = QFormLayout()
        self.approval = QCheckBox(
            QCoreApplication.translate("Users", "Assistants' posts need an owner's approval")
        )
        self.approval.toggled.connect(self._approval_changed)
        form.addRow("", self.approval)
        self.lead = QSpinBox()
        self.lead.setRange(0, 24 * 60)
        self.lead.setSuffix(QCoreApplication.translate("Users", " min"))
        self.lead.setSpecialValueText(QCoreApplication.translate("Users", "only when due"))
        self.lead.editingFinished.connect(self._lead_changed)
        form.addRow(QCoreApplication.translate("Users", "Remind before a post"), self.lead)
        self.tray = QCheckBox(
            QCoreApplication.translate(
                "Users", "Keep running in the tray when the window is closed (this computer)"
            )
        )
        self.tray.setChecked(keep_in_tray(ctx))
        self.tray.toggled.connect(lambda on: set_keep_in_tray(ctx, on))
        form.addRow("", self.tray)
        layout.addLayout(form)
        for widget in (
            self.add_button,
            self.edit_button,
            self.unlock_button,
            self.remove_button,
            self.approval,
            self.lead,
        ):
            widget.setEnabled(ctx.is_owner)
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        def work() -> TeamSettings:
            return uow.read(
                self._ctx.shop.sessions,
                lambda s: TeamSettings(
                    users.list_users(s), approval.approval_required(s), reminders.lead_minutes(s)
                ),
            )

        self._ctx.executor.submit(
            work,
            self._show,
            lambda error: show_failure(self, error),
        )

    def _show(self, team: TeamSettings) -> None:
        self._loading = True
        self.users = team.users
        self.table.setRowCount(len(team.users))
        now = self._ctx.clock.now()
        for r, row in enumerate(team.users):
            if row.locked_until is not None and row.locked_until > now:
                access = QCoreApplication.translate("Users", "Locked until {time}").format(
                    time=local_time(row.locked_until, self._ctx.zone)
                )
            elif row.has_secret:
                access = QCoreApplication.translate("Users", "PIN")
            else:
                access = QCoreApplication.translate("Users", "No PIN")
            name = row.name
            if row.id == self._ctx.user_id:
                name = QCoreApplication.translate("Users", "{name} (you)").format(name=name)
            for c, text in enumerate((name, role_name(row.role), access)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.approval.setChecked(team.approval)
        self.lead.setValue(team.lead)
        self._loading = False

    def _selected(self) -> UserRow | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    # -- writes --------------------------------------------------------------------------------

    def _write(self, work: uow.Work[object]) -> None:
        def refused(error: BaseException) -> bool:
            if isinstance(error, UserError):
                QMessageBox.warning(
                    self, QCoreApplication.translate("Users", "Not saved"), user_error_text(error)
                )
                return True
            return False

        run_write(self._ctx, self, work, lambda _: self.reload(), refused)

    def edit_selected(self) -> None:
        row = self._selected()
        if row is not None:
            self.edit(row)

    def edit(self, row: UserRow | None) -> None:
        if not self._ctx.is_owner:
            return
        dialog = UserDialog(row, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, role = dialog.name.text(), dialog.chosen_role()
        pin = dialog.pin.text() or None
        clear = dialog.clear_pin.isChecked()
        by = self._ctx.user_id
        if row is None:
            self._write(lambda s: users.create_user(s, name, role, pin, by))
        else:
            user_id = row.id
            self._write(lambda s: users.update_user(s, user_id, name, role, pin, by, clear))

    def unlock_selected(self) -> None:
        row = self._selected()
        if row is not None:
            user_id, by = row.id, self._ctx.user_id
            self._write(lambda s: users.reset_lock(s, user_id, by))

    def remove_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("Users", "Remove profile"),
            QCoreApplication.translate(
                "Users",
                "Remove “{name}”? They can no longer sign in. The audit log keeps their "
                "past actions.",
            ).format(name=row.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            user_id, by = row.id, self._ctx.user_id
            self._write(lambda s: users.deactivate_user(s, user_id, by))

    def _approval_changed(self, on: bool) -> None:
        if self._loading:
            return
        by = self._ctx.user_id
        self._write(lambda s: approval.set_approval_required(s, on, by))

    def _lead_changed(self) -> None:
        if self._loading:
            return
        minutes, by = self.lead.value(), self._ctx.user_id

        # The reminder service hears the settings change and re-arms its timers.
        run_write(
            self._ctx,
            self,
            lambda s: reminders.set_lead_minutes(s, minutes, by),
            lambda _: None,
            lambda _: False,
        )

    def open_audit(self) -> None:
        from moments_desk.ui.users.audit_dialog import AuditLogDialog

        dialog = AuditLogDialog(self._ctx, self)
        dialog.show()
