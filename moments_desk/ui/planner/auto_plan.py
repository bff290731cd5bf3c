""" "Plan 4 weeks": auto-drafting on the DB thread with a busy dialog, then a short summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from moments_desk.core.planning.autodraft import PlanOutcome
from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.labels import empty_reason
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import progress_dialog, show_failure
from moments_desk.ui.planner.messages import planning_error


def outcome_text(outcome: PlanOutcome, language: str) -> str:
    created, kept, empty = len(outcome.created), outcome.kept, len(outcome.empty)
    lines = [QCoreApplication.translate("Planner", "%n draft(s) created.", "", created)]
    if kept:
        lines.append(
            QCoreApplication.translate(
                "Planner", "%n slot(s) already had a post and were left as they are.", "", kept
            )
        )
    if empty:
        reasons = Counter(tr_msg(empty_reason(e.reason)) for e in outcome.empty)
        lines.append(QCoreApplication.translate("Planner", "%n slot(s) stay empty:", "", empty))
        lines += [f"  · {reason} ({count})" for reason, count in reasons.most_common()]
    return "\n".join(lines)


def run_plan_weeks(
    ctx: AppContext,
    parent: QWidget,
    account_id: int,
    weeks: int,
    done: Callable[[], None],
) -> None:
    dialog, _bridge = progress_dialog(
        parent, QCoreApplication.translate("Planner", "Drafting the next %n week(s)…", "", weeks)
    )
    now, zone = ctx.clock.now(), ctx.zone

    def work() -> PlanOutcome:
        return uow.write(
            ctx.shop.sessions,
            lambda s: plan_weeks(s, weeks, now, account_id=account_id, zone=zone),
        )

    def finished(outcome: PlanOutcome) -> None:
        dialog.reset()
        done()
        parent.setProperty("last_plan_summary", outcome_text(outcome, ctx.language))
        QMessageBox.information(
            parent,
            QCoreApplication.translate("Planner", "Plan 4 weeks"),
            outcome_text(outcome, ctx.language),
        )

    def failed(error: BaseException) -> None:
        dialog.reset()
        if isinstance(error, PlanningError):
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("Planner", "Nothing was drafted"),
                planning_error(error, ctx.language),
            )
        else:
            show_failure(parent, error)

    ctx.executor.submit(work, finished, failed)
