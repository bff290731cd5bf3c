"""Comments that read as orders: ``+1``, ``扣1``, ``要一件``, ``M码``, ``黑色L``.

Sellers say "评论区扣1" and friends answer with a number, a size, a colour and a size, or
"要两件". Such a comment is an order intent; it is offered to 前 N 名 in comment order. A
question ("165穿什么码", "还有M码吗") is not one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.db.models import Interaction, InteractionKind

_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3}
# Letter sizes, the words sellers use, and heights (160, 165/84A) for children and teens.
_SIZE = (
    r"(?:XXXXL|XXXL|XXL|XL|XS|[2-5]XL|S|M|L|F|均码|大码|小码|中码|加大码?|"
    r"1[0-8][05](?:/\d{2,3}[AB]?)?)"
)
_COLOUR = (
    r"(?:黑|白|红|灰|蓝|粉|绿|黄|紫|米|杏|棕|卡其|咖啡|酒红|藏青|军绿|奶白|米白|浅蓝|深蓝|"
    r"深灰|浅灰|香槟|驼)色?"
    # A shop's own colour names: 燕麦色, 雾霾蓝色, 焦糖色.
    r"|[\u4e00-\u9fff]{1,4}色"
)
_COUNT = r"(?P<count>[一两二三四五123])\s*(?:件|个|条|套|份|双)"
_VARIANT = rf"(?P<variant>(?:{_COLOUR})?{_SIZE}?)码?"
_PATTERNS = [
    re.compile(r"^[+＋]\s*(?P<count>[1-5])$"),
    # "+1 S", "+1黑色L", "M码+1", "黑色L 扣2": the count and the size on either side.
    re.compile(rf"^(?:[+＋]|扣)(?P<count>[1-5])[,，:：]?{_VARIANT}$", re.IGNORECASE),
    re.compile(rf"^{_VARIANT}[,，:：]?(?:[+＋]|扣)(?P<count>[1-5])$", re.IGNORECASE),
    re.compile(r"^扣\s*(?P<count>[1-5一两二三])$"),
    re.compile(rf"^(?:我|我也)?(?:要|来|拍|订|留)\s*{_COUNT}$"),
    re.compile(r"^(?:我要了?|我也要|要了|想要|我想要|预定|预订|留一个|拍了)$"),
    re.compile(
        rf"^(?P<variant>(?:{_COLOUR})?\s*{_SIZE}?)码?\s*(?:(?:要|来|拍)?\s*{_COUNT})?$",
        re.IGNORECASE,
    ),
]
_QUESTION = re.compile(r"[?？吗呢么]|什么|多少|怎么|有没有|还有")


@dataclass(frozen=True)
class OrderIntent:
    quantity: int = 1
    #: size or colour and size as written ("M", "黑色L"), "" when none
    variant: str = ""


def order_intent(comment: str) -> OrderIntent | None:
    """The order a comment asks for, or None when it reads as anything else."""
    text = unicodedata.normalize("NFKC", comment).strip().strip("!！~。.，,")
    text = re.sub(r"\s+", "", text)
    if not text or len(text) > 16 or _QUESTION.search(text):
        return None
    for pattern in _PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        groups = found.groupdict()
        variant = (groups.get("variant") or "").strip()
        count = groups.get("count")
        if pattern in _PATTERNS[1:3] + _PATTERNS[-1:] and not variant:
            continue  # these patterns need a size or colour of their own
        quantity = _NUMBERS.get(count, 1) if count else 1
        return OrderIntent(quantity, variant.upper())
    return None


def order_intent_queue(session: Session, post_id: int) -> list[int]:
    """Customers whose comment under the post reads as an order, in comment order."""
    rows = session.execute(
        select(Interaction.customer_id, Interaction.content)
        .where(Interaction.post_id == post_id, Interaction.kind == InteractionKind.COMMENT)
        .order_by(Interaction.occurred_at, Interaction.id)
    ).all()
    queue: dict[int, None] = {}
    for customer_id, content in rows:
        # Several comments by one friend are recorded joined by " / " (see core.matching).
        if any(order_intent(part) for part in (content or "").split(" / ")):
            queue.setdefault(customer_id)
    return list(queue)
