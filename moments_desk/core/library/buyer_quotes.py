"""买家秀 from what customers said: which comments are praise, how a name is masked, and
which consenting customer a 买家秀 slot quotes next. Pure: plain data in, a choice out.

Only customers who allowed it (``customer.shares_buyer_show``) ever reach this module; the
database side (``buyer_sources``) reads nobody else. A customer, and a comment, is quoted at
most once within the library's no-repeat window, across every account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from moments_desk.core.shared.wording import forbidden_text

#: Words of praise a buyer writes under a post or in a chat.
POSITIVE_WORDS = (
    "好看",
    "喜欢",
    "质量好",
    "质量很好",
    "满意",
    "回购",
    "好评",
    "好穿",
    "舒服",
    "显瘦",
    "漂亮",
    "太美",
    "很美",
    "不错",
    "推荐",
    "爱了",
    "合身",
    "再来一件",
    "超值",
)
#: Praise that contains a negative character: read as praise before negatives are looked for.
_PRAISE_WITH_NEGATIVE = ("不错", "没毛病", "爱不释手", "没得说")
#: Any of these and the comment is not quoted: a complaint, a doubt, a return or a question.
NEGATIVE_WORDS = (
    "不",
    "没",
    "差",
    "退",
    "别",
    "坑",
    "失望",
    "一般",
    "掉色",
    "起球",
    "瑕疵",
    "投诉",
    "假",
    "？",
    "?",
)
#: Longer comments are stories, not quotes; they stay for the seller to write up by hand.
MAX_QUOTE = 80

_WITH_PRODUCT = (
    "💬买家秀｜{name}说：“{comment}”\n她入手的是{product}，谢谢你的喜欢❤️",
    "收到{name}的反馈：“{comment}”\n说的是这件{product}，被认可的感觉真好😊",
    "老朋友{name}穿上{product}后说：“{comment}”\n谢谢信任，开心一整天～",
)
_WITHOUT_PRODUCT = (
    "💬买家秀｜{name}说：“{comment}”\n谢谢你的喜欢，被认可的感觉真好❤️",
    "收到{name}的留言：“{comment}”\n每一句认可都是小店的动力😊",
    "老朋友{name}说：“{comment}”\n谢谢一直以来的信任，开心一整天～",
)


def is_positive(text: str) -> bool:
    """Praise with no complaint, doubt or question in it (好看！ yes; 不好看 / 好看吗？ no)."""
    plain = text.strip()
    if not plain or len(plain) > MAX_QUOTE:
        return False
    if not any(word in plain for word in POSITIVE_WORDS):
        return False
    rest = plain
    for phrase in _PRAISE_WITH_NEGATIVE:
        rest = rest.replace(phrase, "")
    if any(word in rest for word in NEGATIVE_WORDS):
        return False
    return not forbidden_text(plain)


def mask_name(nickname: str, remark: str = "") -> str:
    """王小美 → 王*: the first character and a star. The nickname is what friends see; the
    remark is the seller's own label (杭州-李姐) and never shown, so it only decides that
    there is someone to name."""
    name = nickname.strip()
    if name:
        return f"{name[0]}*"
    return "一位老客户" if remark.strip() else "一位朋友"


@dataclass(frozen=True)
class BuyerQuote:
    customer_id: int
    interaction_id: int
    comment: str
    #: Already masked (``mask_name``).
    name: str
    said_at: datetime
    product_name: str = ""
    image_ids: tuple[int, ...] = ()


def quote_text(quote: BuyerQuote, turn: int) -> str:
    templates = _WITH_PRODUCT if quote.product_name else _WITHOUT_PRODUCT
    return templates[turn % len(templates)].format(
        name=quote.name, comment=quote.comment.strip(), product=quote.product_name
    )


class BuyerShowPicker:
    """Hands out quotes of consenting customers for 买家秀 slots, never the same customer or
    comment twice within ``no_repeat`` (``used``: earlier drafts as (time, customer id,
    interaction id))."""

    def __init__(
        self,
        quotes: Sequence[BuyerQuote],
        no_repeat: timedelta,
        used: Iterable[tuple[datetime, int, int | None]] = (),
    ) -> None:
        # Newest praise first: it is what the seller remembers and what is still on sale.
        self.quotes = sorted(quotes, key=lambda q: (q.said_at, q.interaction_id), reverse=True)
        self.no_repeat = no_repeat
        self.customers: dict[int, list[datetime]] = {}
        self.comments: dict[int, list[datetime]] = {}
        for at, customer_id, interaction_id in used:
            self._remember(at, customer_id, interaction_id)
        self.turn = 0

    def _remember(self, at: datetime, customer_id: int, interaction_id: int | None) -> None:
        self.customers.setdefault(customer_id, []).append(at)
        if interaction_id is not None:
            self.comments.setdefault(interaction_id, []).append(at)

    def _near(self, times: Iterable[datetime], at: datetime) -> bool:
        return any(abs(at - t) < self.no_repeat for t in times)

    def pick(
        self, at: datetime, fresh: Callable[[str], bool] | None = None
    ) -> tuple[BuyerQuote, str] | None:
        """The quote for a 买家秀 at ``at`` and its caption, or None when every consenting
        customer was quoted within the window (or nobody consented). ``fresh`` says whether
        a caption is not a near-duplicate of a recent one on the account (WeChat folds
        those): "好看！" under the same dress from two buyers would be one."""
        never = datetime.min.replace(tzinfo=at.tzinfo)
        free = [
            q
            for q in self.quotes
            if not self._near(self.customers.get(q.customer_id, ()), at)
            and not self._near(self.comments.get(q.interaction_id, ()), at)
        ]
        # The customer quoted longest ago (or never) first, then her newest praise.
        first: dict[int, int] = {}
        for n, quote in enumerate(free):
            first.setdefault(quote.customer_id, n)
        ranked = sorted(
            range(len(free)),
            key=lambda n: (
                max(self.customers.get(free[n].customer_id) or [never]),
                first[free[n].customer_id],
                n,
            ),
        )
        for n in ranked:
            chosen = free[n]
            for step in range(len(_WITH_PRODUCT)):
                text = quote_text(chosen, self.turn + step)
                if fresh is None or fresh(text):
                    self._remember(at, chosen.customer_id, chosen.interaction_id)
                    self.turn += step + 1
                    return chosen, text
        return None
