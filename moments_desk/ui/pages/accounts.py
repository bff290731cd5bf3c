"""The WeChat accounts card in Settings: add and rename accounts, see friends vs 5,000."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import Kind
from moments_desk.core.team.accounts import (
    AccountError,
    AccountSummary,
    list_accounts,
    save_account,
)
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.list_view import run_write, show_failure


class AccountDialog(QDialog):
    def __init__(self, account: AccountSummary | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Accounts", "WeChat account"))
        form = QFormLayout(self)
        self.label = QLineEdit(account.label if account else "")
        self.label.setPlaceholderText(QCoreApplication.translate("Accounts", "e.g. 主号"))
        self.nickname = QLineEdit(account.nickname if account else "")
        self.nickname.setPlaceholderText(
            QCoreApplication.translate("Accounts", "the name friends see in Moments")
        )
        self.wechat_id = QLineEdit(account.wechat_id if account else "")
        form.addRow(QCoreApplication.translate("Accounts", "Name in this app"), self.label)
        form.addRow(QCoreApplication.translate("Accounts", "WeChat nickname"), self.nickname)
        form.addRow(QCoreApplication.translate("Accounts", "WeChat ID"), self.wechat_id)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AccountsCard(QFrame):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ctx = ctx
        self.accounts: list[AccountSummary] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        title = QLabel(QCoreApplication.translate("Accounts", "WeChat accounts"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        hint = QLabel(
            QCoreApplication.translate(
                "Accounts",
                "Each personal WeChat shows Moments to at most 5,000 friends; every customer "
                "belongs to one account.",
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("Accounts", "Name"),
                QCoreApplication.translate("Accounts", "Nickname"),
                QCoreApplication.translate("Accounts", "WeChat ID"),
                QCoreApplication.translate("Accounts", "Friends"),
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
        self.add_button = QPushButton(QCoreApplication.translate("Accounts", "Add account…"))
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button = QPushButton(QCoreApplication.translate("Accounts", "Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.reload()
        # Friend counts move with customers.
        follow(ctx.changes, self, (Kind.ACCOUNTS, Kind.CUSTOMERS), lambda _: self.reload())

    def reload(self) -> None:
        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, list_accounts),
            self._show,
            lambda error: show_failure(self, error),
        )

    def _show(self, accounts: list[AccountSummary]) -> None:
        self.accounts = accounts
        locale = QLocale()
        self.table.setRowCount(len(accounts))
        for r, account in enumerate(accounts):
            friends = (
                f"{locale.toString(account.friends)} / {locale.toString(account.friend_limit)}"
            )
            for c, text in enumerate((account.label, account.nickname, account.wechat_id, friends)):
                item = QTableWidgetItem(text)
                if c == 3 and account.near_limit:
                    item.setForeground(QBrush(QColor("#B45309")))
                self.table.setItem(r, c, item)
        self.edit_button.setEnabled(bool(accounts))

    def edit_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.accounts):
            self.edit(self.accounts[row])

    def edit(self, account: AccountSummary | None) -> None:
        dialog = AccountDialog(account, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        account_id = account.id if account else None
        label, nickname, wechat_id = (
            dialog.label.text(),
            dialog.nickname.text(),
            dialog.wechat_id.text(),
        )

        def refused(error: BaseException) -> bool:
            if isinstance(error, AccountError):
                QMessageBox.warning(
                    self, QCoreApplication.translate("Accounts", "Not saved"), tr_msg(error)
                )
                return True
            return False

        def done(_: int) -> None:
            self.reload()
            self.changed.emit()

        run_write(
            self._ctx,
            self,
            lambda s: save_account(s, account_id, label, nickname, wechat_id),
            done,
            refused,
        )
