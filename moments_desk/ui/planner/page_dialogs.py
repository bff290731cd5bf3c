"""The planner's dialogs: the composer for a post, a slot or a day, planning four weeks,
the weekly slots, the content library and the anti-spam rules."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtWidgets import QWidget

from moments_desk.ui.context import AppContext


class PlannerDialogs(QWidget):
    """The part of ``PlannerPage`` that opens its dialogs; each is kept on the page while
    open (``composer``, ``cadence_dialog``, ``library_dialog``, ``rules_dialog``)."""

    _ctx: AppContext

    def account_id(self) -> int | None:
        """The account the planner shows; the page says which."""
        raise NotImplementedError

    def reload(self) -> None:
        """Re-read the board after a dialog changed it; the page does it."""
        raise NotImplementedError

    def open_composer(self, post_id: int | None) -> None:
        self._compose(post_id)

    def new_in_slot(self, slot_id: int, when: object) -> None:
        if isinstance(when, datetime):
            self._compose(None, slot_id=slot_id, when=when)

    def new_on_day(self, day: object) -> None:
        """Double-click on a free spot of the month: a new post that evening at 20:00."""
        if isinstance(day, date):
            self._compose(None, when=datetime.combine(day, time(20), self._ctx.zone))

    def _compose(
        self, post_id: int | None, *, slot_id: int | None = None, when: datetime | None = None
    ) -> None:
        from moments_desk.ui.planner.composer import ComposerDialog

        account_id = self.account_id()
        if account_id is None:
            return
        dialog = ComposerDialog(
            self._ctx, account_id, post_id, slot_id=slot_id, when=when, parent=self
        )
        dialog.saved.connect(self.reload)
        old = getattr(self, "composer", None)
        if old is not None and not old.isVisible():
            # Without a parent the closed dialog is freed once no database reply waits on it.
            old.setParent(None)
        self.composer = dialog
        dialog.open()

    def plan_weeks(self) -> None:
        from moments_desk.ui.planner.auto_plan import run_plan_weeks

        account_id = self.account_id()
        if account_id is not None:
            run_plan_weeks(self._ctx, self, account_id, 4, self.reload)

    def edit_cadence(self) -> None:
        from moments_desk.ui.planner.cadence_editor import CadenceDialog

        account_id = self.account_id()
        if account_id is None:
            return
        dialog = CadenceDialog(self._ctx, account_id, self)
        dialog.finished.connect(lambda _: self.reload())
        dialog.open()
        self.cadence_dialog = dialog

    def open_library(self) -> None:
        from moments_desk.ui.planner.library_dialog import LibraryDialog

        dialog = LibraryDialog(self._ctx, self)
        dialog.open()
        self.library_dialog = dialog

    def edit_rules(self) -> None:
        from moments_desk.ui.planner.rules_editor import RulesDialog

        account_id = self.account_id()
        if account_id is None:
            return
        dialog = RulesDialog(self._ctx, account_id, self)
        dialog.accepted.connect(self.reload)
        dialog.open()
        self.rules_dialog = dialog
