"""What was read, matched to customers the way pasted names are (no Qt here).

Likes in order, then comments in order, go through ``core.matching`` exactly like a paste:
remark, nickname, pinyin, resemblance; unsure ones get choices, unknown ones become
customers in one click. The seller's own replies are left out (she is not her customer).
Each row keeps where on which screenshot it was read, for the strip beside it, and whether
the comment reads as an order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from moments_desk.core.screenshots.intents import OrderIntent, order_intent
from moments_desk.core.screenshots.parse import Reading, Region
from moments_desk.core.tracking.matching import (
    PastedName,
    PasteReview,
    ReviewRow,
    match_pasted,
    name_key,
)
from moments_desk.db.models import InteractionKind, WeChatAccount


@dataclass(frozen=True)
class ScreenshotReview:
    review: PasteReview
    #: parallel to ``review.rows``: where the name was read
    regions: tuple[Region | None, ...]
    #: parallel to ``review.rows``: the order a comment asks for, if it reads as one
    intents: tuple[OrderIntent | None, ...]
    #: the seller's own replies, left out
    seller_replies: int


def _plain(name: str) -> str:
    return "".join(ch for ch in name_key(name) if ch.isalnum())


def _is_own(name: str, own: set[str]) -> bool:
    """The seller's own name, allowing the engine one misread character (己 / 已)."""
    from rapidfuzz.distance import Levenshtein

    plain = _plain(name)
    return any(
        plain == mine
        or (min(len(plain), len(mine)) >= 3 and Levenshtein.distance(plain, mine) <= 1)
        for mine in own
    )


def review_reading(session: Session, account_id: int, reading: Reading) -> ScreenshotReview:
    """Match the likes (in order) and the commenters (in comment order) of ``reading``."""
    account = session.get(WeChatAccount, account_id)
    own = {_plain(n) for n in (reading.seller, account.nickname if account else None) if n}
    own.discard("")
    names: list[PastedName] = []
    regions: list[Region | None] = []
    intents: list[OrderIntent | None] = []
    kinds: list[InteractionKind] = []
    counts: dict[tuple[str, str], int] = {}
    shown: dict[tuple[str, str], str] = {}
    for number, like in enumerate(reading.likes, 1):
        names.append(PastedName(like.name, "", number))
        regions.append(like.region)
        intents.append(None)
        kinds.append(InteractionKind.LIKE)
    first_comment: dict[str, int] = {}
    seller_replies = 0
    for number, comment in enumerate(reading.comments, len(reading.likes) + 1):
        if _is_own(comment.name, own):
            seller_replies += 1
            continue
        key = name_key(comment.name)
        counts[("comment", key)] = counts.get(("comment", key), 0) + 1
        shown.setdefault(("comment", key), comment.name)
        at = first_comment.get(key)
        if at is None:
            first_comment[key] = len(names)
            names.append(PastedName(comment.name, comment.text[:2000], number))
            regions.append(comment.region)
            intents.append(order_intent(comment.text))
            kinds.append(InteractionKind.COMMENT)
            continue
        # Several comments by one friend are kept together on her first, as with a paste.
        first = names[at]
        joined = " / ".join(t for t in (first.comment, comment.text) if t)[:2000]
        names[at] = PastedName(first.name, joined, first.line, first.times + 1)
        intents[at] = intents[at] or order_intent(comment.text)
    matches, searched = match_pasted(session, account_id, names)
    rows = tuple(ReviewRow(kind, match) for kind, match in zip(kinds, matches, strict=True))
    duplicates = tuple((shown[k], n) for k, n in counts.items() if n > 1)
    return ScreenshotReview(
        PasteReview(rows, duplicates, searched), tuple(regions), tuple(intents), seller_replies
    )
