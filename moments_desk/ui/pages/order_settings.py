"""The "orders" card in Settings: when an order takes its pieces out of stock."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from moments_desk.core.orders.orders import StockPolicy, set_stock_policy, stock_policy
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.list_view import run_write, show_failure


class OrderSettingsCard(QFrame):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ctx = ctx
        self._loading = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        title = QLabel(QCoreApplication.translate("OrderSettings", "Orders"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        form = QFormLayout()
        self.policy = QComboBox()
        self.policy.addItem(
            QCoreApplication.translate("OrderSettings", "when the order is paid"),
            StockPolicy.ON_PAYMENT.value,
        )
        self.policy.addItem(
            QCoreApplication.translate("OrderSettings", "as soon as the order is created"),
            StockPolicy.ON_CREATION.value,
        )
        form.addRow(QCoreApplication.translate("OrderSettings", "Take stock"), self.policy)
        layout.addLayout(form)
        note = QLabel(
            QCoreApplication.translate(
                "OrderSettings",
                "A cancelled order always puts its pieces back. Unpaid orders still count as "
                "promised when places are allocated, so stock is never promised twice.",
            )
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.policy.currentIndexChanged.connect(self._changed)
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, stock_policy),
            self._show,
            lambda error: show_failure(self, error),
        )

    def _show(self, policy: StockPolicy) -> None:
        self._loading = True
        self.policy.setCurrentIndex(max(0, combos.find(self.policy, policy.value)))
        self._loading = False

    def _changed(self, *_: object) -> None:
        if self._loading:
            return
        policy = StockPolicy(combos.value(self.policy))
        run_write(
            self._ctx,
            self,
            lambda s: set_stock_policy(s, policy),
            lambda _: self.saved.emit(),
            lambda _error: False,
        )
