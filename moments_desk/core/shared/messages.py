"""Seller-facing messages from the Qt-free core, translatable by the UI.

core/ cannot call Qt's translator, so it marks its sentences the way Qt does for text
translated later::

    raise PriceError(QT_TRANSLATE_NOOP("Money", "{raw} is negative").format(raw=raw))

pyside6-lupdate extracts the literal context and source into the catalogue (it only parses
two or three string arguments, hence ``.format()`` for the values rather than keyword
arguments). The result is a :class:`Msg`: a ``str`` holding the English sentence, so logs,
the CLI and ``str(error)`` read as before, that also remembers what to look up;
``ui/i18n.tr_msg`` shows it in the interface language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Msg(str):
    """English text formatted with ``params``; ``context`` and ``source`` name the catalogue
    entry. A param may itself be a ``Msg`` (a field label, a nested error): it is translated
    along with the sentence around it."""

    context: str
    source: str
    params: Mapping[str, Any]

    def __new__(cls, context: str, source: str, params: Mapping[str, Any] | None = None) -> Msg:
        values = dict(params or {})
        made = super().__new__(cls, source.format(**values) if values else source)
        made.context = context
        made.source = source
        made.params = values
        return made

    def format(self, *args: object, **params: Any) -> Msg:
        """The same message with its placeholders filled (names only, like the .ts entries)."""
        if args:
            raise TypeError("Msg.format takes named values only")
        return Msg(self.context, self.source, {**self.params, **params})

    def __reduce__(self) -> tuple[Any, ...]:  # a str subclass must say how to pickle its fields
        return (Msg, (self.context, self.source, dict(self.params)))


def QT_TRANSLATE_NOOP(context: str, source: str) -> Msg:
    """Mark ``source`` for translation in ``context``. Both must be string literals so that
    pyside6-lupdate finds them (tests/test_i18n.py checks); fill values with ``.format()``."""
    return Msg(context, source)


def message_of(value: object) -> str:
    """The message an exception carries (its ``Msg`` when it has one) or ``str(value)``."""
    if isinstance(value, BaseException):
        for arg in value.args[:1]:
            if isinstance(arg, Msg):
                return arg
        return str(value)
    return value if isinstance(value, str) else str(value)
