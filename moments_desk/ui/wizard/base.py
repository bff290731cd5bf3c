"""What every wizard page shares: its place in the wizard, wrapped labels, the way back to the
wizard that holds it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QLabel, QWizardPage

from moments_desk.ui.wizard.importers import Importer


@runtime_checkable
class WizardHost(Protocol):
    """What the pages ask of the wizard that holds them (``wizard.FirstRunWizard``); a
    protocol, so the pages need not import the wizard that imports them."""

    committed: bool

    def commit(self) -> bool: ...

    def warn(self, message: str) -> None: ...

    def run_importer(self, importer: Importer) -> None: ...

    def show_guide(self) -> None: ...


PAGE_LANGUAGE, PAGE_SHOP, PAGE_CADENCE, PAGE_IMPORT, PAGE_DONE, PAGE_DEMO = range(6)


def wrapped(object_name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


class WizardPage(QWizardPage):
    def owner(self) -> WizardHost:
        wizard = self.wizard()
        assert isinstance(wizard, WizardHost)
        return wizard

    def retranslate(self) -> None:
        raise NotImplementedError
