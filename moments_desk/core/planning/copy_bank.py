"""The planner's built-in copy: several templates per kind, used in turn. No Qt.

A slot with no template of its own rotates these. A product is 上新 once on an account; after
that it comes back with 返场 copy (``RETURN``). A slot's own template may hold several
variants separated by a line of ``---``; they rotate the same way.

Every text here passes the wording checks (a test renders each one).
"""

from __future__ import annotations

from collections.abc import Mapping

from moments_desk.db.models import PostKind

#: A line of its own that separates a slot template's variants.
VARIANT_SEPARATOR = "---"

NEW_ARRIVAL: tuple[str, ...] = (
    "✨周{星期}上新｜{商品名}\n{卖点}\n到手价 {价格}，喜欢的私我～",
    "🆕新到一款：{商品名}\n{卖点}\n{价格}，想看上身效果的评论区说一声",
    "今天上架的是 {商品名}\n{卖点}\n只要 {价格}，尺码问我就好",
    "上新啦｜{商品名}\n{卖点}\n{价格}，库存不多，先到先得\n{现货}",
)
#: A product already shown on the account: 返场 / 补货, never "new" again.
RETURN: tuple[str, ...] = (
    "🔁返场｜{商品名}\n{卖点}\n还是 {价格}，上次没抢到的看这里",
    "补货到了：{商品名}\n{卖点}\n{价格}，要的宝贝私我留尺码",
    "好多人问的 {商品名} 又有货了\n{卖点}\n{价格}",
    "再推一次 {商品名}\n{卖点}\n到手 {价格}，老客户都说好穿",
)
#: A deliberate 合集: one line per piece (name and price), from the same products.
COLLECTION: tuple[str, ...] = (
    "✨本周上新合集\n{清单}\n喜欢哪件私我～",
    "新到几件，一起看看👇\n{清单}\n尺码颜色都可以问我",
)
PROMOTION: tuple[str, ...] = (
    "#每日一荐# {商品名}\n{卖点}\n到手价 {价格}",
    "今天想推荐 {商品名}\n{卖点}\n{价格}，有问题随时问我",
    "自己也在穿的 {商品名}\n{卖点}\n{价格}",
)
ACTIVITY: tuple[str, ...] = (
    "🎉{商品名} 活动价 {价格}\n{卖点}",
    "这几天的活动款：{商品名}\n{卖点}\n活动价 {价格}，活动结束恢复原价",
)

BY_KIND: Mapping[PostKind, tuple[str, ...]] = {
    PostKind.NEW_ARRIVAL: NEW_ARRIVAL,
    PostKind.PROMOTION: PROMOTION,
    PostKind.ACTIVITY: ACTIVITY,
}


def variants(template: str) -> list[str]:
    """A slot template's variants (one when it has no ``---`` line); empty: none."""
    parts: list[list[str]] = [[]]
    for line in template.splitlines():
        if line.strip() == VARIANT_SEPARATOR:
            parts.append([])
        else:
            parts[-1].append(line)
    return [text for part in parts if (text := "\n".join(part).strip())]


def is_collection(template: str) -> bool:
    """A template listing its products line by line asks for several products."""
    return "{清单}" in template or "{list}" in template


def all_builtin() -> list[str]:
    """Every built-in template (for the test that runs them through every check)."""
    return [*NEW_ARRIVAL, *RETURN, *COLLECTION, *PROMOTION, *ACTIVITY]


#: The first line of a draft the planner could not write: scheduling refuses it.
TO_WRITE_MARK = "【待写】"


def to_write_text(suggestions: tuple[str, ...]) -> str:
    lines = [f"{TO_WRITE_MARK}这条留给你自己写，可以试试："]
    lines += [f"{n}. {idea}" for n, idea in enumerate(suggestions, 1)]
    return "\n".join(lines)


def is_to_write(text: str) -> bool:
    return text.lstrip().startswith(TO_WRITE_MARK)


def is_header_only(text: str) -> bool:
    """A header such as "☀️周二午间小分享：" that says nothing by itself."""
    flat = text.strip()
    return "\n" not in flat and (flat.endswith(("：", ":")) or len(flat) < 8)
