"""Where WeChat folds a caption behind 全文: an estimate from character widths. No Qt."""

from __future__ import annotations

import math

from moments_desk.core.planning.rule_types import FOLD_LINES, RuleSettings

__all__ = ["FOLD_LINES", "split_at_fold", "visual_lines"]


def _width(ch: str) -> float:
    # Latin letters and digits take about half the width of a Chinese character.
    return 0.5 if ord(ch) < 0x2E80 and not (0x2190 <= ord(ch) <= 0x2BFF) else 1.0


def visual_lines(text: str, fold_chars: int = RuleSettings.fold_chars) -> int:
    """Estimate of the lines WeChat shows: ``fold_chars`` fill ``FOLD_LINES`` lines."""
    per_line = max(1.0, fold_chars / FOLD_LINES)
    lines = 0
    for paragraph in text.strip("\n").split("\n"):
        width = sum(_width(ch) for ch in paragraph)
        lines += max(1, math.ceil(width / per_line))
    return lines if text.strip() else 0


def split_at_fold(text: str, fold_chars: int = RuleSettings.fold_chars) -> tuple[str, str]:
    """(shown, hidden behind 全文). ``hidden`` is empty when the text does not fold."""
    if visual_lines(text, fold_chars) <= FOLD_LINES:
        return text, ""
    per_line = max(1.0, fold_chars / FOLD_LINES)
    lines, width = 1, 0.0
    for index, ch in enumerate(text):
        if ch == "\n":
            lines, width = lines + 1, 0.0
        else:
            if width + _width(ch) > per_line:
                lines, width = lines + 1, 0.0
            width += _width(ch)
        if lines > FOLD_LINES:
            return text[:index].rstrip("\n"), text[index:].lstrip("\n")
    return text, ""
