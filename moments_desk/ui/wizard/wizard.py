"""The first-run wizard: from an empty shop to a planned first week.

Nothing is written until the seller presses "Create my shop" (a commit page): then the shop
name, the accounts with their avatars and rules, and the posting rhythm are written in one
transaction. Cancelling before that writes nothing; the import pages that follow use the
importers' own all-or-nothing transactions.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from moments_desk.core.planning.cadence_presets import RuleDefaults
from moments_desk.core.setup.first_run import (
    ExistingShop,
    FirstRunError,
    FirstRunPlan,
    FirstRunResult,
    apply_first_run,
)
from moments_desk.core.shared import uow
from moments_desk.resources import icon_path
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.kit.theme import ACCENT, MUTED, TEXT
from moments_desk.ui.wizard.base import (
    PAGE_CADENCE,
    PAGE_DEMO,
    PAGE_DONE,
    PAGE_IMPORT,
    PAGE_LANGUAGE,
    PAGE_SHOP,
    WizardPage,
)
from moments_desk.ui.wizard.importers import Importer
from moments_desk.ui.wizard.language import LanguageSwitcher
from moments_desk.ui.wizard.pages import CadencePage, LanguagePage, ShopPage
from moments_desk.ui.wizard.pages_after import DemoPage, DonePage, ImportPage

WIZARD_STYLE = f"""
QLabel#ruleHeadline {{ font-weight: 600; color: {TEXT}; }}
QLabel#avatar {{
    background: #F4F5F7; border: 1px dashed #C9CDD3; border-radius: 8px; color: {MUTED};
}}
QLabel#successText {{ color: {ACCENT}; font-weight: 600; }}
"""


class FirstRunWizard(QWizard):
    #: Emitted once the setup transaction committed (the shop now has its accounts).
    setup_written = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        switcher: LanguageSwitcher,
        existing: ExistingShop,
        *,
        at_start: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._switcher = switcher
        self._at_start = at_start
        self.rules = RuleDefaults()
        self.committed = False
        self.outcome: FirstRunResult | None = None
        self._writing = False
        #: Set on Finish from the demo page: the caller then fills the shop with the demo.
        self.wants_demo = False
        self._saved_language: str | None = None
        self.setObjectName("firstRunWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setWindowIcon(QIcon(str(icon_path())))
        logo = QIcon(str(icon_path())).pixmap(QSize(48, 48))
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, logo)
        self.setMinimumSize(QSize(860, 620))
        for primary in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.FinishButton):
            self.button(primary).setObjectName("primary")  # before the style sheet polishes
        self.setStyleSheet(WIZARD_STYLE)

        paths = ctx.shop.paths
        self.language_page = LanguagePage(switcher.language, existing, at_start)
        self.shop_page = ShopPage(existing)
        self.cadence_page = CadencePage(self.rules, bool(existing.accounts))
        self.import_page = ImportPage()
        self.done_page = DonePage(str(paths.data_dir), str(paths.backups))
        self.demo_page = DemoPage(str(paths.data_dir), str(paths.backups))
        self.setPage(PAGE_LANGUAGE, self.language_page)
        self.setPage(PAGE_SHOP, self.shop_page)
        self.setPage(PAGE_CADENCE, self.cadence_page)
        self.setPage(PAGE_IMPORT, self.import_page)
        self.setPage(PAGE_DONE, self.done_page)
        self.setPage(PAGE_DEMO, self.demo_page)
        self.setStartId(PAGE_LANGUAGE)
        self.language_page.language.currentIndexChanged.connect(self._language_chosen)
        # A visible Help button as well as F1: the quick guide to the weekly loop.
        self.setOption(QWizard.WizardOption.HaveHelpButton, True)
        self.helpRequested.connect(self.show_guide)
        help_key = QShortcut(QKeySequence(Qt.Key.Key_F1), self)
        help_key.activated.connect(self.show_guide)
        self.retranslate()

    # -- language ------------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """The language the seller chose (slot labels are written in it)."""
        return self._saved_language or self._switcher.language

    def _language_chosen(self) -> None:
        language = self.language_page.language.currentData()
        assert isinstance(language, str)
        if not self._at_start:
            # The main window is already built in the old language; a half-translated app
            # is worse than waiting for the next start, which the page says.
            self._saved_language = language
            self._save_language(language)
            return
        self._switcher.switch(language)
        self._save_language(language)
        self.retranslate()

    def _save_language(self, language: str) -> None:
        prefs = self._ctx.shop.prefs
        prefs.language = language
        try:
            prefs.save(self._ctx.shop.paths.prefs_file)
        except OSError as error:
            self.warn(tr_msg(error))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("Wizard", "Set up Moments Desk"))
        buttons = {
            QWizard.WizardButton.BackButton: QCoreApplication.translate("Wizard", "< Back"),
            QWizard.WizardButton.NextButton: QCoreApplication.translate("Wizard", "Next >"),
            QWizard.WizardButton.FinishButton: QCoreApplication.translate("Wizard", "Finish"),
            # After "Create my shop" there is nothing left to cancel, only to close.
            QWizard.WizardButton.CancelButton: QCoreApplication.translate("Wizard", "Close")
            if self.committed
            else QCoreApplication.translate("Wizard", "Cancel"),
            QWizard.WizardButton.HelpButton: QCoreApplication.translate("Wizard", "Help"),
        }
        for button, text in buttons.items():
            self.setButtonText(button, text)

        for page_id in self.pageIds():
            page = self.page(page_id)
            assert isinstance(page, WizardPage)
            page.retranslate()

    # -- writing -------------------------------------------------------------------------------

    def plan(self) -> FirstRunPlan:
        return FirstRunPlan(
            shop_name=self.shop_page.shop_name.text(),
            accounts=self.shop_page.accounts(),
            preset=self.cadence_page.preset(),
            language=self.language,
            custom=self.cadence_page.custom(),
            rules=self.rules,
        )

    def commit(self) -> bool:
        """Called by the commit page: True once the setup is written, else start writing."""
        if self.committed:
            return True
        if self._writing:
            return False
        self._writing = True
        self.button(QWizard.WizardButton.CommitButton).setEnabled(False)
        plan = self.plan()
        media = self._ctx.shop.paths.media
        self._ctx.executor.submit(
            lambda: uow.write(self._ctx.shop.sessions, lambda s: apply_first_run(s, plan, media)),
            self._written,
            self._write_failed,
        )
        return False

    def _written(self, result: FirstRunResult) -> None:
        self._writing = False
        self.committed = True
        self.outcome = result
        self.import_page.show_created(result)
        self.retranslate()
        self.setup_written.emit(result)
        self.next()

    def _write_failed(self, error: BaseException) -> None:
        self._writing = False
        self.button(QWizard.WizardButton.CommitButton).setEnabled(True)
        if isinstance(error, FirstRunError):
            self.warn(
                QCoreApplication.translate("Wizard", "Nothing was saved: {error}").format(
                    error=tr_msg(error)
                )
            )
        else:
            show_failure(self, error)

    def warn(self, message: str) -> None:
        QMessageBox.warning(self, QCoreApplication.translate("Wizard", "Please check"), message)

    # -- after the commit ----------------------------------------------------------------------

    def run_importer(self, importer: Importer) -> None:
        summary = importer.run(self._ctx, self)
        if summary is not None:
            self.import_page.show_outcome(importer.key, summary)

    def show_guide(self) -> None:
        from moments_desk.ui.help.quick_guide import QuickGuideDialog

        dialog = QuickGuideDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def accept(self) -> None:
        self.wants_demo = self.outcome is None and self.currentId() == PAGE_DEMO
        super().accept()

    def nextId(self) -> int:
        current = self.currentId()
        if current == PAGE_IMPORT:
            return PAGE_DONE
        if current in (PAGE_DONE, PAGE_DEMO):
            return -1
        if current == PAGE_CADENCE:
            return PAGE_IMPORT
        return super().nextId()


__all__ = ["PAGE_CADENCE", "PAGE_SHOP", "FirstRunWizard"]
