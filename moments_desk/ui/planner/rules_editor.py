"""One account's anti-spam limits, each with a sentence saying why it exists."""

from __future__ import annotations

from datetime import time

import shiboken6
from PySide6.QtCore import QCoreApplication, QTime
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.rules import RuleSettings
from moments_desk.core.planning.settings import load_rule_settings, save_rule_settings
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.planner.messages import planning_error


def explanations() -> dict[str, tuple[str, str]]:
    """Setting → (label, why), shown as the label and its tooltip."""
    return {
        "max_posts_per_day": (
            QCoreApplication.translate("Rules", "Posts per day at most"),
            QCoreApplication.translate(
                "Rules",
                "More than a few posts a day floods friends' feeds (刷屏) and gets you muted.",
            ),
        ),
        "min_gap_minutes": (
            QCoreApplication.translate("Rules", "Minutes between posts at least"),
            QCoreApplication.translate(
                "Rules",
                "Two posts close together look like spam; spacing them keeps each one seen.",
            ),
        ),
        "quiet_start": (
            QCoreApplication.translate("Rules", "Quiet hours from"),
            QCoreApplication.translate(
                "Rules",
                "Nothing goes out while friends sleep: a late post annoys more than it sells.",
            ),
        ),
        "quiet_end": (
            QCoreApplication.translate("Rules", "Quiet hours until"),
            QCoreApplication.translate(
                "Rules", "The first time in the morning a post may go out again."
            ),
        ),
        "max_sales_posts_per_week": (
            QCoreApplication.translate("Rules", "Sales posts per week at most"),
            QCoreApplication.translate(
                "Rules",
                "Caps new arrivals, promotions and activities so the week is not all selling.",
            ),
        ),
        "sales_share_pct": (
            QCoreApplication.translate("Rules", "Sales share target (%)"),
            QCoreApplication.translate(
                "Rules",
                "About 40% product posts and 60% life, tips and feedback keeps friends following.",
            ),
        ),
        "mix_window_days": (
            QCoreApplication.translate("Rules", "Mix measured over (days)"),
            QCoreApplication.translate(
                "Rules", "The rolling window in which the sales share is counted."
            ),
        ),
        "product_cooldown_days": (
            QCoreApplication.translate("Rules", "Same product again after (days)"),
            QCoreApplication.translate(
                "Rules", "Showing the same product again too soon looks pushy; wait this many days."
            ),
        ),
        "fold_chars": (
            QCoreApplication.translate("Rules", "Characters before 全文"),
            QCoreApplication.translate(
                "Rules",
                "WeChat folds long text behind 全文; warn when the text gets longer than this.",
            ),
        ),
    }


#: Settings whose rules refuse scheduling (the others only warn).
HARD_SETTINGS = frozenset(
    {"max_posts_per_day", "min_gap_minutes", "quiet_start", "quiet_end", "max_sales_posts_per_week"}
)


class RulesDialog(QDialog):
    def __init__(self, ctx: AppContext, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.account_id = account_id
        self.setWindowTitle(QCoreApplication.translate("Rules", "Anti-spam rules"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel(
            QCoreApplication.translate(
                "Rules",
                "Limits for this account. Breaking a limit marked ⛔ refuses scheduling; the "
                "others warn. Hover a rule to read why it exists.",
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        layout.addWidget(intro)
        form = QFormLayout()
        self.fields: dict[str, QSpinBox | QTimeEdit] = {}
        bounds = {
            "max_posts_per_day": (1, 20),
            "min_gap_minutes": (0, 1440),
            "max_sales_posts_per_week": (0, 100),
            "sales_share_pct": (0, 100),
            "mix_window_days": (1, 60),
            "product_cooldown_days": (0, 365),
            "fold_chars": (20, 2000),
        }
        for name, (text, why) in explanations().items():
            widget: QSpinBox | QTimeEdit
            if name in bounds:
                widget = QSpinBox()
                widget.setRange(*bounds[name])
            else:
                widget = QTimeEdit()
                widget.setDisplayFormat("HH:mm")
            widget.setToolTip(why)
            label = QLabel(("⛔ " if name in HARD_SETTINGS else "") + text)
            label.setToolTip(why)
            row = QHBoxLayout()
            row.addWidget(widget)
            row.addStretch(1)
            form.addRow(label, row)
            self.fields[name] = widget
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.RestoreDefaults
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            lambda: self.show_settings(RuleSettings())
        )
        layout.addWidget(buttons)
        self.setEnabled(False)
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: load_rule_settings(s, account_id)),
            self.show_settings,
            self._failed,
        )

    def show_settings(self, settings: RuleSettings) -> None:
        if not shiboken6.isValid(self.error):
            return
        for name, widget in self.fields.items():
            value = getattr(settings, name)
            if isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            else:
                widget.setTime(QTime(value.hour, value.minute))
        self.setEnabled(True)

    def settings(self) -> RuleSettings:
        values: dict[str, int | time] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QSpinBox):
                values[name] = widget.value()
            else:
                qt = widget.time()
                values[name] = time(qt.hour(), qt.minute())
        return RuleSettings(**values)  # type: ignore[arg-type]

    def save(self) -> None:
        ctx, account_id, settings = self._ctx, self.account_id, self.settings()
        ctx.executor.submit(
            lambda: uow.write(
                ctx.shop.sessions,
                lambda s: save_rule_settings(s, account_id, settings, ctx.user_id),
            ),
            lambda _: self.accept(),
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, PlanningError):
            self.error.setText(planning_error(error, self._ctx.language))
            self.error.show()
        else:
            show_failure(self, error)
