"""Text as sellers paste it: invisible copy-paste noise removed, lengths bounded."""

from __future__ import annotations

import re

# Zero-width spaces and joiners ride along when text is copied out of WeChat or a web page.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def clean_text(text: str, limit: int) -> str:
    """Zero-width characters are invisible noise from copy-paste; everything else is kept."""
    return _ZERO_WIDTH.sub("", text).strip()[:limit]
