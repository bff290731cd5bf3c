"""Opening the wizard: before the main window on a new shop, or later from the Help menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from moments_desk.core.setup.first_run import ExistingShop, load_existing
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.wizard.language import LanguageSwitcher
from moments_desk.ui.wizard.wizard import FirstRunWizard


def run_at_start(ctx: AppContext, switcher: LanguageSwitcher) -> FirstRunWizard:
    """Show the wizard modally before the main window exists; the language switches live."""
    existing = uow.read(ctx.shop.sessions, load_existing)
    wizard = FirstRunWizard(ctx, switcher, existing, at_start=True)
    wizard.exec()
    ctx.language = switcher.language
    return wizard


def open_from_window(
    parent: QWidget,
    ctx: AppContext,
    on_finished: Callable[[FirstRunWizard], None],
) -> None:
    """Re-open the wizard on a shop that may already have data (Help → Setup wizard)."""

    def show(existing: ExistingShop) -> None:
        app = QApplication.instance()
        assert app is not None
        switcher = LanguageSwitcher(app, ctx.language, [])
        wizard = FirstRunWizard(ctx, switcher, existing, at_start=False, parent=parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.finished.connect(lambda _code: on_finished(wizard))
        wizard.open()

    ctx.executor.submit(
        lambda: uow.read(ctx.shop.sessions, load_existing),
        show,
        lambda error: show_failure(parent, error),
    )
