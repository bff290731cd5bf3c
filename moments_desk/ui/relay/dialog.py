"""发到手机: a QR code for the phone and what the phone did, live.

The relay is opened off the GUI thread (its pictures are exported first) and ended when the
dialog closes. Choosing another network interface reopens it there with a new token.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.planning.publishing import PublishError
from moments_desk.core.relay.hub import DEFAULT_PORT, RelayError
from moments_desk.core.relay.network import candidate_addresses
from moments_desk.core.relay.session import Relay, RelayEvent
from moments_desk.core.shared import uow
from moments_desk.core.team.accounts import account_labels
from moments_desk.ui.context import AppContext
from moments_desk.ui.publish.texts import publish_error_text
from moments_desk.ui.relay.service import relay_service
from moments_desk.ui.reminders.texts import local_time


@dataclass(frozen=True)
class RelayTarget:
    """One post (``post_id``) or today's posts of ``account`` (its label)."""

    post_id: int | None = None
    account: str | None = None


def qr_pixmap(text: str, scale: int = 7) -> QPixmap:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def relay_error_text(error: BaseException) -> str:
    if isinstance(error, PublishError):
        return publish_error_text(error)
    if isinstance(error, RelayError):
        texts = {
            "no_account": QCoreApplication.translate(
                "Relay", "Choose the WeChat account whose posts go to the phone."
            ),
            "unknown_account": QCoreApplication.translate(
                "Relay", "There is no WeChat account named {name}."
            ).format(name=error.detail),
            "not_on_post": QCoreApplication.translate(
                "Relay", "This post is not planned for the account {name}."
            ).format(name=error.detail),
            "bind": QCoreApplication.translate(
                "Relay",
                "The phone relay cannot listen on {address}. Choose another network or "
                "close the program that uses it.",
            ).format(address=error.detail),
        }
        return texts.get(error.code, str(error))
    return QCoreApplication.translate("Relay", "The phone relay could not start: {error}").format(
        error=error
    )


class RelayDialog(QDialog):
    def __init__(self, ctx: AppContext, target: RelayTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.target = target
        self.service = relay_service(ctx)
        self.relay: Relay | None = None
        self.url = ""
        self.fetched: dict[int, set[int]] = {}
        self._ended = False
        self.setWindowTitle(QCoreApplication.translate("Relay", "Send to phone"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        form = QFormLayout()
        self.interface = QComboBox()
        self.interface.setToolTip(
            QCoreApplication.translate(
                "Relay", "The network the phone is on; usually the same Wi-Fi as this computer."
            )
        )
        form.addRow(QCoreApplication.translate("Relay", "Network"), self.interface)
        self.account = QComboBox()
        if target.post_id is None:
            form.addRow(QCoreApplication.translate("Relay", "WeChat account"), self.account)
        layout.addLayout(form)

        middle = QHBoxLayout()
        self.qr = QLabel(QCoreApplication.translate("Relay", "Preparing the pictures…"))
        self.qr.setObjectName("relayQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(300, 300)
        self.qr.setStyleSheet("QLabel#relayQr { background: white; border-radius: 8px; }")
        middle.addWidget(self.qr)
        side = QVBoxLayout()
        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        side.addWidget(self.heading)
        steps = QLabel(
            QCoreApplication.translate(
                "Relay",
                "1. Scan the code with WeChat on your phone (phone and computer on the same "
                "Wi-Fi).\n2. On the phone: 复制文案, save the pictures, post in WeChat.\n"
                "3. Tap 我已发布 there; this computer records it at once.",
            )
        )
        steps.setWordWrap(True)
        side.addWidget(steps)
        self.expiry = QLabel("")
        self.expiry.setObjectName("cardHint")
        self.expiry.setWordWrap(True)
        side.addWidget(self.expiry)
        side.addStretch(1)
        middle.addLayout(side, 1)
        layout.addLayout(middle)
        # The address in full, for typing into a phone browser if scanning is not possible.
        self.link = QLineEdit()
        self.link.setReadOnly(True)
        self.link.setObjectName("relayLink")
        layout.addWidget(self.link)

        self.pictures = QLabel("")
        layout.addWidget(self.pictures)
        layout.addWidget(QLabel(QCoreApplication.translate("Relay", "What the phone did")))
        self.log = QListWidget()
        self.log.setObjectName("relayLog")
        self.log.setMinimumHeight(110)
        layout.addWidget(self.log, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(QCoreApplication.translate("Relay", "End relay"))
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.service.happened.connect(self._on_event)
        self.finished.connect(self._end)
        sessions = ctx.shop.sessions
        self.service.executor.submit(
            lambda: (candidate_addresses(), uow.read(sessions, account_labels)),
            self._show_choices,
            self._failed,
        )

    # -- opening -------------------------------------------------------------------------------

    def _show_choices(self, found: tuple[list[str], list[str]]) -> None:
        addresses, accounts = found
        for label in accounts:
            self.account.addItem(label, label)
        wanted = self.target.account
        if wanted is not None and self.account.findData(wanted) >= 0:
            self.account.setCurrentIndex(self.account.findData(wanted))
        self.account.currentIndexChanged.connect(self._reopen)
        self._show_interfaces(addresses)

    def _show_interfaces(self, addresses: list[str]) -> None:
        chosen = self.service.address if self.service.address in addresses else addresses[0]
        self.interface.blockSignals(True)
        for address in addresses:
            label = address
            if address == addresses[0]:
                label = QCoreApplication.translate("Relay", "{address} (this Wi-Fi)").format(
                    address=address
                )
            if address.startswith("127."):
                label = QCoreApplication.translate(
                    "Relay", "{address} (this computer only)"
                ).format(address=address)
            self.interface.addItem(label, address)
        self.interface.setCurrentIndex(max(0, self.interface.findData(chosen)))
        self.interface.blockSignals(False)
        self.interface.currentIndexChanged.connect(self._reopen)
        self.open_on(chosen)

    def open_on(self, address: str) -> None:
        hub, target = self.service.hub, self.target
        self.service.address = address
        self.interface.setEnabled(False)
        self.account.setEnabled(False)
        chosen = self.account.currentData()
        account = chosen if isinstance(chosen, str) else target.account

        def work() -> Relay:
            if target.post_id is not None:
                return hub.open_post(target.post_id, target.account, address, DEFAULT_PORT)
            return hub.open_today(account, address, DEFAULT_PORT)

        self.service.executor.submit(work, self._opened, self._failed)

    def _opened(self, relay: Relay) -> None:
        if self._ended:  # closed while the pictures were prepared
            hub = self.service.hub
            self.service.executor.submit(
                lambda: hub.close(relay.token), lambda _: None, lambda _: None
            )
            return
        self.relay = relay
        self.url = self.service.hub.url(relay)
        self.fetched = {p.post_id: set() for p in relay.posts}
        self.qr.setPixmap(qr_pixmap(self.url))
        self.link.setText(self.url)
        if relay.today:
            count = len(relay.posts)
            heading = QCoreApplication.translate(
                "Relay", "Posts due today on {account}: %n", "", count
            )
            self.heading.setText(heading.format(account=relay.account_label))
        else:
            self.heading.setText(QCoreApplication.translate("Relay", "This post to your phone"))
        ends = (
            QCoreApplication.translate("Relay", "at midnight")
            if relay.today
            else QCoreApplication.translate("Relay", "after 30 minutes without use")
        )
        self.expiry.setText(
            QCoreApplication.translate(
                "Relay",
                "The link works only while this window is open; it ends when you close it or "
                "{when}. Anyone on the same network with the link can see the post.",
            ).format(when=ends)
        )
        self._show_pictures()
        self.interface.setEnabled(True)
        self.account.setEnabled(True)

    def _reopen(self) -> None:
        address = self.interface.currentData()
        if self.relay is None and not self.interface.isEnabled():
            return  # still opening
        if not isinstance(address, str):
            return
        self._close_relay()
        self.qr.clear()
        self.qr.setText(QCoreApplication.translate("Relay", "Preparing the pictures…"))
        self.open_on(address)

    def _failed(self, error: BaseException) -> None:
        self.qr.clear()
        self.qr.setText(relay_error_text(error))
        self.qr.setWordWrap(True)
        self.interface.setEnabled(True)
        self.account.setEnabled(True)

    # -- live status ---------------------------------------------------------------------------

    def _line(self, event: RelayEvent, text: str) -> None:
        self.log.insertItem(0, f"{local_time(event.at, self._ctx.zone)} · {text}")

    def _on_event(self, event: RelayEvent) -> None:
        relay = self.relay
        if relay is None or event.token != relay.token:
            return
        if event.kind == "opened":
            self._line(event, QCoreApplication.translate("Relay", "The phone opened the page."))
        elif event.kind == "picture" and event.post_id in self.fetched:
            self.fetched[event.post_id].add(int(event.detail))
            self._show_pictures()
        elif event.kind == "posted":
            account = event.detail or QCoreApplication.translate("Relay", "every account")
            self._line(
                event,
                QCoreApplication.translate("Relay", "Recorded as posted on {account}.").format(
                    account=account
                ),
            )
        elif event.kind == "screenshots":
            count = int(event.detail or 0)
            self._line(
                event,
                QCoreApplication.translate(
                    "Relay", "%n screenshot(s) received and attached to the post.", "", count
                ),
            )
        elif event.kind == "refused":
            self._line(
                event, QCoreApplication.translate("Relay", "An upload from the phone was refused.")
            )
        elif event.kind == "ended":
            self.relay = None
            self.qr.clear()
            self.qr.setText(
                QCoreApplication.translate(
                    "Relay", "The relay ended. Close this window and open it again for a new code."
                )
            )
            self._line(event, QCoreApplication.translate("Relay", "The relay ended."))

    def _show_pictures(self) -> None:
        relay = self.relay
        if relay is None:
            return
        total = sum(len(p.pictures) for p in relay.posts)
        got = sum(len(numbers) for numbers in self.fetched.values())
        numbers = ", ".join(
            str(n) for post in relay.posts for n in sorted(self.fetched.get(post.post_id, ()))
        )
        text = QCoreApplication.translate(
            "Relay", "Pictures fetched by the phone: {got} of {total}"
        )
        self.pictures.setText(
            text.format(got=got, total=total)
            + (f" ({numbers})" if len(relay.posts) == 1 and numbers else "")
        )

    # -- ending --------------------------------------------------------------------------------

    def _close_relay(self) -> None:
        relay, self.relay = self.relay, None
        if relay is not None:
            hub = self.service.hub
            self.service.executor.submit(
                lambda: hub.close(relay.token), lambda _: None, lambda _: None
            )

    def _end(self) -> None:
        self._ended = True
        self.service.happened.disconnect(self._on_event)
        self._close_relay()


def open_relay(ctx: AppContext, target: RelayTarget, parent: QWidget | None) -> RelayDialog:
    """Show the relay dialog; one at a time, so an older one (and its relay) ends."""
    service = relay_service(ctx)
    previous = service.dialog
    if isinstance(previous, RelayDialog) and previous.isVisible():
        previous.close()
    dialog = RelayDialog(ctx, target, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    service.dialog = dialog
    dialog.show()
    return dialog
