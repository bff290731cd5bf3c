"""Asking the seller why forbidden wording should go out anyway (the reason is audited)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QWidget

from moments_desk.core.planning.rules import PlanItem, RuleCode, RuleSettings, check_post


def only_wording_blocks(item: PlanItem, settings: RuleSettings, blocking: int) -> bool:
    """True when every blocking warning is forbidden wording (so an override would help)."""
    wording = [
        v for v in check_post(item, settings) if v.hard and v.rule is RuleCode.FORBIDDEN_TEXT
    ]
    return bool(wording) and len(wording) == blocking


def ask_override_reason(parent: QWidget, phrases: str) -> str:
    """The seller's reason, or "" when she cancels (then nothing is scheduled)."""
    reason, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("WordingOverride", "Schedule forbidden wording?"),
        QCoreApplication.translate(
            "WordingOverride",
            "WeChat restricts posts with {phrases}: friends may not see it and the account "
            "may be limited.\nTo schedule it anyway, say why (kept in the audit log):",
        ).format(phrases=phrases),
    )
    return " ".join(reason.split()) if ok else ""
