"""What a seller reads: a core message in English and, from the zh_CN catalogue, in Chinese.

``in_chinese`` fails when the message's context and sentence are not in the catalogue, so a
test that reads it notices a sentence that would reach the seller untranslated. Qt-free:
the .ts file is read directly, as the UI's translator would look it up.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from moments_desk.core.planning.messages import error_message, violation_message
from moments_desk.core.planning.rules import RuleViolation
from moments_desk.core.shared.messages import Msg, message_of

CATALOGUE = Path(__file__).resolve().parent.parent / "resources/translations/moments_desk_zh_CN.ts"


@cache
def _catalogue() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for context in ET.parse(CATALOGUE).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete"):
                continue
            found[(name, message.findtext("source") or "")] = translation.text or ""
    return found


def in_chinese(value: object) -> str:
    """The message an error (or a ``Msg``) carries, as the Chinese interface shows it."""
    message = message_of(value)
    assert isinstance(message, Msg), f"not a translatable message: {message!r}"
    key = (message.context, message.source)
    assert key in _catalogue(), f"not in the zh_CN catalogue: {key}"
    params = {k: in_chinese(v) if isinstance(v, Msg) else v for k, v in message.params.items()}
    return _catalogue()[key].format(**params) if params else _catalogue()[key]


def said(value: object) -> str:
    """The English sentence of an error, after checking the Chinese one exists."""
    in_chinese(value)
    return str(message_of(value))


def violation_text(violation: RuleViolation, language: str = "en") -> tuple[str, str]:
    """(message, advice) of a rule violation as the interface in ``language`` shows them."""
    message, advice = violation_message(violation)
    if language == "zh_CN":
        return in_chinese(message), in_chinese(advice)
    return str(message), str(advice)


def error_text(code: str, params: Mapping[str, Any], language: str = "en") -> str:
    """A planning error code's sentence in ``language``; the code itself when it has none."""
    message = error_message(code, params)
    if message is None:
        return code
    return in_chinese(message) if language == "zh_CN" else str(message)
