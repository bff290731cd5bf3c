"""Who is at the keyboard: chosen at start when several profiles exist or a PIN is set."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.core.team import users
from moments_desk.core.team.users import SignIn, UserRow
from moments_desk.db.models import UserRole
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.users.texts import role_name


class LoginDialog(QDialog):
    def __init__(
        self, ctx: AppContext, profiles: list[UserRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._profiles = profiles
        self.signed_in: UserRow | None = None
        self.setWindowTitle(QCoreApplication.translate("Login", "Who is working?"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.profile = QComboBox()
        for row in profiles:
            self.profile.addItem(f"{row.name} · {role_name(row.role)}", row.id)
        form.addRow(QCoreApplication.translate("Login", "Profile"), self.profile)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(QCoreApplication.translate("Login", "PIN or password"))
        form.addRow(QCoreApplication.translate("Login", "PIN"), self.pin)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(QCoreApplication.translate("Login", "Sign in"))
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.profile.currentIndexChanged.connect(self._profile_changed)
        self._profile_changed()

    def _current(self) -> UserRow:
        return self._profiles[max(0, self.profile.currentIndex())]

    def _profile_changed(self) -> None:
        self.message.clear()
        self.pin.clear()
        self.pin.setEnabled(self._current().has_secret)
        self.pin.setFocus()

    def try_sign_in(self) -> None:
        row = self._current()
        pin = self.pin.text()
        now = self._ctx.clock.now()
        self.buttons.setEnabled(False)

        def done(result: SignIn) -> None:
            self.buttons.setEnabled(True)
            if result.ok:
                self.signed_in = row
                self.accept()
                return
            self.pin.clear()
            self.message.setText(self.describe(result, now))

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.message.setText(tr_msg(error))

        self._ctx.executor.submit(
            lambda: uow.write(
                self._ctx.shop.sessions, lambda s: users.sign_in(s, row.id, pin, now)
            ),
            done,
            failed,
        )

    def describe(self, result: SignIn, now: datetime) -> str:
        if result.locked_until is not None:
            seconds = max(1, int((result.locked_until - now).total_seconds()))
            return QCoreApplication.translate(
                "Login",
                "Too many wrong PINs. This profile is locked until {time} (about %n "
                "second(s)). Each further wrong PIN doubles the wait; an owner can unlock it "
                "in Settings.",
                "",
                seconds,
            ).format(time=result.locked_until.astimezone(self._ctx.zone).strftime("%H:%M:%S"))
        left = result.attempts_left
        return QCoreApplication.translate(
            "Login", "Wrong PIN. %n attempt(s) left before the profile is locked.", "", left
        )


def sign_in_at_start(ctx: AppContext, ask: bool = True) -> bool:
    """Create the first owner if needed; ask who is working when that matters.

    Returns False when the person cancelled (the app then quits). Without ``ask`` (the
    ``--smoke`` check) the first owner is used. Runs before the main
    window, so it reads synchronously: one tiny query, nothing to keep responsive yet.
    """
    sessions = ctx.shop.sessions
    profiles = uow.read(sessions, users.list_users)
    owners = [p for p in profiles if p.role == UserRole.OWNER]
    # Reads only on an ordinary start: a write transaction (and its fsync) only the first time.
    owner = min(owners, key=lambda p: p.id) if owners else uow.write(sessions, users.ensure_owner)
    if not owners:
        profiles = uow.read(sessions, users.list_users)
    if not ask or not uow.read(sessions, users.needs_sign_in):
        ctx.user_id, ctx.is_owner = owner.id, True
        return True
    dialog = LoginDialog(ctx, profiles)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signed_in is None:
        return False
    ctx.user_id = dialog.signed_in.id
    ctx.is_owner = dialog.signed_in.role == UserRole.OWNER
    return True
