"""Language choice, Qt Linguist translators and a font that draws Simplified Chinese glyphs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase

from moments_desk.core.shared.messages import Msg, message_of
from moments_desk.core.shared.reachability import is_unreachable
from moments_desk.prefs import SUPPORTED_LANGUAGES
from moments_desk.resources import translations_dir

#: Fonts that carry Simplified-Chinese glyph forms, best first per platform. Without an SC font
#: first in line, fontconfig may pick the Japanese cut of Noto CJK and draw 门/关/说 wrongly.
CJK_SC_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
)


def choose_language(requested: str | None, saved: str | None, system: QLocale | None = None) -> str:
    """``--lang`` wins, then the saved preference, then the system locale (zh_* → zh_CN)."""
    for candidate in (requested, saved):
        if candidate in SUPPORTED_LANGUAGES:
            return candidate
    locale = system if system is not None else QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load our catalogue and Qt's own (dialog buttons, context menus) for ``language``.

    The translators are returned so the caller keeps them alive: Qt does not own them.
    """
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    if language == "en":  # the source strings are English
        return installed
    ours = QTranslator(app)
    if ours.load(f"moments_desk_{language}", str(translations_dir())):
        app.installTranslator(ours)
        installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in ("qtbase",):
        qt = QTranslator(app)
        if qt.load(f"{catalogue}_{language}", qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
    return installed


def apply_ui_font(app_font: QFont) -> QFont:
    """The app font with a Simplified-Chinese family first among the fallbacks."""
    available = set(QFontDatabase.families())
    sc = [family for family in CJK_SC_FAMILIES if family in available]
    font = QFont(app_font)
    # The system UI family stays first for Latin text; Han characters fall to the SC font.
    font.setFamilies([app_font.family(), *sc])
    return font


def tr_msg(value: object) -> str:
    """A core message (a ``Msg``, or an exception carrying one) in the interface language.

    The sentence and every ``Msg`` among its values are looked up in their own contexts;
    plain strings and other values are shown as they are.
    """
    if isinstance(value, BaseException) and is_unreachable(value):
        # Not psycopg's "(psycopg.OperationalError) connection failed: …" in a form.
        return QCoreApplication.translate(
            "MainWindow", "The shop's database cannot be reached; try again when it is back."
        )
    message = message_of(value)
    if not isinstance(message, Msg):
        return message
    params = {
        name: tr_msg(param) if isinstance(param, Msg) else param
        for name, param in message.params.items()
    }
    text = QCoreApplication.translate(message.context, message.source)
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return str(message)
