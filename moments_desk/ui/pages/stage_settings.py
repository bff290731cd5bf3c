"""The "customer stages" card in Settings: the ladder's thresholds, applied on 保存."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.core.stages.ladder import (
    LadderError,
    StageThresholds,
    load_thresholds,
    save_thresholds,
)
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import run_write, show_failure


def _spin(suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, 999)
    box.setSuffix(suffix)
    return box


class StageSettingsCard(QFrame):
    #: how many customers moved to another stage
    saved = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        title = QLabel(QCoreApplication.translate("StageSettings", "Customer stages"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        intro = QLabel(
            QCoreApplication.translate(
                "StageSettings",
                "Prospect → customer (first paid order) → fan → iron fan, from what is "
                "recorded. A stage you set by hand stays until you clear it.",
            )
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        orders = QCoreApplication.translate("StageSettings", " paid orders")
        times = QCoreApplication.translate("StageSettings", " likes, comments or chats")
        friends = QCoreApplication.translate("StageSettings", " friends referred")
        self.fan_orders = _spin(orders)
        self.fan_interactions = _spin(times)
        self.iron_orders = _spin(orders)
        self.iron_referrals = _spin(friends)
        self.iron_referral_orders = _spin(orders)
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("StageSettings", "Fan: at least"), self.fan_orders)
        form.addRow(
            QCoreApplication.translate("StageSettings", "or, having bought, at least"),
            self.fan_interactions,
        )
        form.addRow(
            QCoreApplication.translate("StageSettings", "Iron fan: at least"), self.iron_orders
        )
        referral = QHBoxLayout()
        referral.addWidget(self.iron_referrals)
        referral.addWidget(QLabel(QCoreApplication.translate("StageSettings", "and")))
        referral.addWidget(self.iron_referral_orders)
        referral.addStretch(1)
        form.addRow(QCoreApplication.translate("StageSettings", "or at least"), referral)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(
            QCoreApplication.translate("StageSettings", "Apply to all customers")
        )
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, load_thresholds),
            self.show_thresholds,
            lambda error: show_failure(self, error),
        )

    def show_thresholds(self, t: StageThresholds) -> None:
        self.fan_orders.setValue(t.fan_orders)
        self.fan_interactions.setValue(t.fan_interactions)
        self.iron_orders.setValue(t.iron_orders)
        self.iron_referrals.setValue(t.iron_referrals)
        self.iron_referral_orders.setValue(t.iron_referral_orders)

    def thresholds(self) -> StageThresholds:
        return StageThresholds(
            fan_orders=self.fan_orders.value(),
            fan_interactions=self.fan_interactions.value(),
            iron_orders=self.iron_orders.value(),
            iron_referrals=self.iron_referrals.value(),
            iron_referral_orders=self.iron_referral_orders.value(),
        )

    def save(self) -> None:
        chosen = self.thresholds()
        self.save_button.setEnabled(False)

        def done(moved: int) -> None:
            self.save_button.setEnabled(True)
            self.status.setText(
                QCoreApplication.translate(
                    "StageSettings", "Saved: %n customer(s) moved to another stage.", "", moved
                )
            )
            self.saved.emit(moved)

        def refused(error: BaseException) -> bool:
            self.save_button.setEnabled(True)
            if isinstance(error, LadderError):
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("StageSettings", "Customer stages"),
                    tr_msg(error),
                )
                return True
            return False

        run_write(self._ctx, self, lambda s: save_thresholds(s, chosen), done, refused)
