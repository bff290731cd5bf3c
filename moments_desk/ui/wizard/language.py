"""Switching the interface language while the wizard is open."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from moments_desk.ui.i18n import install_translators


class LanguageSwitcher:
    """Owns the installed translators so the language can change at run time.

    Qt does not own translators: whoever holds this object keeps them alive.
    """

    def __init__(
        self, app: QCoreApplication, language: str, translators: list[QTranslator]
    ) -> None:
        self._app = app
        self.language = language
        self.translators = list(translators)

    def switch(self, language: str) -> None:
        if language == self.language:
            return
        for translator in self.translators:
            self._app.removeTranslator(translator)
        self.translators = install_translators(self._app, language)
        self.language = language
