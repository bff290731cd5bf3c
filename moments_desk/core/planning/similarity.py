"""How alike two captions are, the way WeChat folds repeated content. No Qt, no database.

WeChat folds posts whose text repeats what the account posted recently, even when a word or
two changed, so "the same caption" means ≥ ``NEAR_DUPLICATE_PCT`` % alike in character
bigrams (Dice coefficient over the sets), ignoring spaces, punctuation and emoji.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Captions at least this alike (percent) count as near-duplicates.
NEAR_DUPLICATE_PCT = 80
#: How far back a caption counts as recent on the same account.
NEAR_DUPLICATE_DAYS = 14


def _normalised(text: str) -> str:
    # Letters and digits only: "上新｜" and "上新 |" are the same to a reader.
    return "".join(
        ch.lower() for ch in text if unicodedata.category(ch)[0] in "LN" and not ch.isspace()
    )


@lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    flat = _normalised(text)
    if len(flat) < 2:
        return frozenset({flat}) if flat else frozenset()
    return frozenset(flat[i : i + 2] for i in range(len(flat) - 1))


def similarity_pct(first: str, second: str) -> int:
    """0–100: how much of the two captions' bigrams they share (100: the same words)."""
    a, b = bigrams(first), bigrams(second)
    if not a or not b:
        return 0
    if a is b or a == b:
        return 100
    return (200 * len(a & b)) // (len(a) + len(b))


def near_duplicate(first: str, second: str) -> bool:
    return similarity_pct(first, second) >= NEAR_DUPLICATE_PCT
