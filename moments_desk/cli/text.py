"""The command line's sentences, from the same catalogue the window shows.

The language is ``--lang`` if given, else the terminal's (a Chinese locale gets Simplified
Chinese, anything else English). Translations come from the compiled Qt Linguist catalogue
through a ``QTranslator`` used directly, so no ``QCoreApplication`` is needed.
"""

from __future__ import annotations

import sys
from functools import cache

from PySide6.QtCore import QLocale, QTranslator

from moments_desk.core.shared.messages import Msg, message_of
from moments_desk.prefs import SUPPORTED_LANGUAGES
from moments_desk.resources import translations_dir
from moments_desk.startup import StartupError
from moments_desk.startup_errors import startup_sentences


def system_language() -> str:
    """The language of the terminal's locale (LANG / LC_ALL, or the Windows/macOS setting)."""
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def cli_language(requested: str | None) -> str:
    if requested in SUPPORTED_LANGUAGES:
        return requested
    return system_language()


@cache
def _translator(language: str) -> QTranslator | None:
    if language == "en":  # the catalogue's sources are English
        return None
    translator = QTranslator()
    return (
        translator if translator.load(f"moments_desk_{language}", str(translations_dir())) else None
    )


def render(value: object, language: str) -> str:
    """A message (a ``Msg``, or an exception carrying one) in ``language``; other text as is."""
    message = message_of(value)
    if not isinstance(message, Msg):
        return message
    translator = _translator(language)
    text = (translator.translate(message.context, message.source) if translator else "") or (
        message.source
    )
    params = {
        name: render(param, language) if isinstance(param, Msg) else param
        for name, param in message.params.items()
    }
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return str(message)


def startup_failure(error: StartupError, requested_language: str | None) -> str:
    """The line the command line prints when the shop cannot be opened: the window's sentence."""
    language = cli_language(requested_language)
    title, message = startup_sentences(error)
    return f"moments-desk: {render(title, language)}: {render(message, language)}"


def report_startup_failure(error: StartupError, requested_language: str | None) -> int:
    """Print the sentence to stderr; returns the exit code the README documents."""
    print(startup_failure(error, requested_language), file=sys.stderr)
    return error.exit_code
