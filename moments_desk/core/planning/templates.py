"""Post templates with {placeholders}, and the text WeChat forbids in Moments. No Qt.

A template is plain text with ``{name}``-style placeholders (``{{`` and ``}}`` write literal
braces). Emoji and any other text pass through untouched. ``PLACEHOLDERS`` lists every
placeholder; anything else is refused with a ``TemplateError`` naming it.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy.orm import Session

from moments_desk.core.catalogue.variants import in_stock, stock_line, variants_of
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.shared.money import format_price

WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")

#: Placeholder → what it becomes. Product placeholders use the post's products (several
#: products: names joined with "、", prices with " / "); without products they are empty.
PLACEHOLDERS: dict[str, str] = {
    "name": "product name",
    "price": "price, e.g. ¥129",
    "selling_points": "selling points of the first product",
    "code": "product code",
    "category": "product category",
    "link": "Taobao link of the first product",
    "tags": "product tags, e.g. #新品 #连衣裙",
    "stock": "pieces in stock (first product)",
    "shop": "the account's nickname",
    "weekday": "weekday in Chinese (一 … 日), for 周{weekday}",
    "date": "date, e.g. 11月24日",
    "list": "one line per product: name and price (a 合集)",
    "sizes": "sizes still in stock (first product), e.g. S M L",
    "colours": "colours still in stock (first product), e.g. 燕麦色 / 黑色",
    "in_stock": "a 现货 line from stock, sold-out sizes left out, e.g. 现货：S M L",
}

#: The same placeholders in Chinese, for sellers who write templates in Chinese. This module
#: is the one registry of placeholders: add new ones here (English key and Chinese alias).
ZH_PLACEHOLDERS: dict[str, str] = {
    "商品名": "name",
    "价格": "price",
    "卖点": "selling_points",
    "编号": "code",
    "分类": "category",
    "链接": "link",
    "标签": "tags",
    "库存": "stock",
    "店名": "shop",
    "星期": "weekday",
    "日期": "date",
    "清单": "list",
    "尺码": "sizes",
    "颜色": "colours",
    "现货": "in_stock",
}

#: An example value per placeholder, shown beside it in the composer's insert menu.
EXAMPLES: dict[str, str] = {
    "name": "燕麦色羊毛开衫",
    "price": "¥199",
    "selling_points": "软糯不扎，宽松显瘦",
    "code": "KS-021",
    "category": "针织",
    "link": "https://…",
    "tags": "#新品 #开衫",
    "stock": "12",
    "shop": "小林的衣橱",
    "weekday": "二",
    "date": "11月24日",
    "list": "· 燕麦色羊毛开衫 ¥199",
    "sizes": "S/M/L",
    "colours": "燕麦色/黑色",
    "in_stock": "现货：S M L",
}


def known_placeholder(name: str) -> bool:
    return name in PLACEHOLDERS or name in ZH_PLACEHOLDERS


def _known_list() -> str:
    return ", ".join("{" + p + "}" for p in [*PLACEHOLDERS, *ZH_PLACEHOLDERS])


#: Sensible texts when a slot has no template of its own.
DEFAULT_TEMPLATES: dict[str, str] = {
    "new_arrival": "✨周{weekday}上新｜{name}\n{selling_points}\n到手价 {price}，喜欢的私我～",
    "promotion": "#每日一荐# {name}\n{selling_points}\n到手价 {price}",
    "activity": "🎉{name} 活动价 {price}\n{selling_points}",
    "lifestyle": "",
    "feedback": "",
}


class TemplateError(PlanningError):
    """A template that cannot be rendered; ``params['placeholder']`` names the culprit."""


@dataclass(frozen=True)
class TemplateProduct:
    name: str
    price: Decimal = Decimal("0")
    code: str = ""
    category: str = ""
    selling_points: str = ""
    link: str = ""
    stock: int = 0
    tags: tuple[str, ...] = ()
    #: sizes and colours with a piece left, and the 现货 line (see core.catalogue.variants)
    sizes: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    stock_line: str = ""


@dataclass(frozen=True)
class TemplateContext:
    products: Sequence[TemplateProduct] = ()
    shop: str = ""
    #: The local date the post goes out (for {weekday} and {date}); None: left empty.
    day: date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def template_placeholders(template: str) -> list[str]:
    """Placeholder names in order of first use; raises ``TemplateError`` on broken braces."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise TemplateError(
            "bad_braces",
            f"The template has an unmatched brace: {error}. Write {{{{ or }}}} for a brace.",
        ) from error
    names: dict[str, None] = {}
    for _, field_name, spec, conversion in parsed:
        if field_name is None:
            continue
        if field_name == "" or spec or conversion:
            shown = "{" + field_name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise TemplateError(
                "unknown_placeholder",
                f"The template uses {shown}, which is not a placeholder. Known: {_known_list()}.",
                placeholder=shown,
            )
        names.setdefault(field_name, None)
    return list(names)


def validate_template(template: str) -> None:
    """Raise ``TemplateError`` naming the first unknown placeholder."""
    for name in template_placeholders(template):
        if not known_placeholder(name):
            raise TemplateError(
                "unknown_placeholder",
                f"The template uses {{{name}}}, which is not a placeholder. "
                f"Known: {_known_list()}.",
                placeholder="{" + name + "}",
            )


def _product_names(c: TemplateContext) -> str:
    return "、".join(p.name for p in c.products)


def _prices(c: TemplateContext) -> str:
    products = c.products
    # Several products: each price says whose it is.
    if len(products) == 1:
        return format_price(products[0].price)
    return " / ".join(f"{p.name} {format_price(p.price)}" for p in products)


def _first(c: TemplateContext) -> TemplateProduct | None:
    return c.products[0] if c.products else None


def _tags(c: TemplateContext) -> str:
    return " ".join(f"#{t}" for t in dict.fromkeys(t for p in c.products for t in p.tags))


def _first_field(pick: Callable[[TemplateProduct], str]) -> Callable[[TemplateContext], str]:
    def value(c: TemplateContext) -> str:
        first = _first(c)
        return pick(first) if first is not None else ""

    return value


def _day_field(pick: Callable[[date], str]) -> Callable[[TemplateContext], str]:
    return lambda c: pick(c.day) if c.day else ""


#: How each placeholder is worked out (only the ones a template uses are: a year of drafts
#: renders thousands of captions).
_VALUES: dict[str, Callable[[TemplateContext], str]] = {
    "name": _product_names,
    "price": _prices,
    "selling_points": _first_field(lambda p: p.selling_points),
    "code": lambda c: " ".join(p.code for p in c.products if p.code),
    "category": _first_field(lambda p: p.category),
    "link": _first_field(lambda p: p.link),
    "tags": _tags,
    "stock": _first_field(lambda p: str(p.stock)),
    "shop": lambda c: c.shop,
    "weekday": _day_field(lambda d: WEEKDAYS_ZH[d.weekday()]),
    "date": _day_field(lambda d: f"{d.month}月{d.day}日"),
    "list": lambda c: "\n".join(f"· {p.name} {format_price(p.price)}" for p in c.products),
    "sizes": _first_field(lambda p: " ".join(p.sizes)),
    "colours": _first_field(lambda p: " / ".join(p.colors)),
    "in_stock": _first_field(lambda p: p.stock_line),
}


class _Values(dict[str, str]):
    """``placeholder_values`` worked out on demand, one placeholder at a time."""

    def __init__(self, context: TemplateContext) -> None:
        super().__init__()
        self.context = context

    def _plain(self, key: str) -> str:
        if key in self.context.extra:
            return self.context.extra[key]
        return _VALUES[key](self.context)

    def __missing__(self, key: str) -> str:
        base = ZH_PLACEHOLDERS.get(key)
        if base is None:
            value = self._plain(key)
        else:
            # A Chinese alias always reads its English placeholder (or the extra under it).
            value = self._plain(base) if base in self.context.extra or base in _VALUES else ""
        self[key] = value
        return value


def placeholder_values(context: TemplateContext) -> dict[str, str]:
    values = {key: compute(context) for key, compute in _VALUES.items()}
    values.update(context.extra)
    values.update({zh: values.get(key, "") for zh, key in ZH_PLACEHOLDERS.items()})
    return values


@lru_cache(maxsize=1024)
def _validated(template: str) -> str:
    validate_template(template)
    return template


def render_template(template: str, context: TemplateContext) -> str:
    """The template with its placeholders filled; raises ``TemplateError`` when unknown."""
    return _validated(template).format_map(_Values(context)).strip()


def template_context_for(
    session: Session, product_ids: Sequence[int], account_id: int | None, day: date | None
) -> TemplateContext:
    """The context for rendering a template with stored products (in the given order)."""
    from sqlalchemy import select

    from moments_desk.db.models import Product, Tag, WeChatAccount, product_tag

    found = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(product_ids)))}
    tags: dict[int, list[str]] = {}
    for pid, name in session.execute(
        select(product_tag.c.product_id, Tag.name)
        .join(Tag, Tag.id == product_tag.c.tag_id)
        .where(product_tag.c.product_id.in_(product_ids))
        .order_by(Tag.name)
    ):
        tags.setdefault(pid, []).append(name)
    products = [
        TemplateProduct(
            name=p.name,
            price=p.price,
            code=p.code,
            category=p.category,
            selling_points=p.selling_points,
            link=p.taobao_url or "",
            stock=p.stock,
            tags=tuple(tags.get(p.id, ())),
        )
        for pid in dict.fromkeys(product_ids)
        if (p := found.get(pid)) is not None
    ]
    skus = variants_of(session, [p.id for p in found.values()])
    sized = {pid: in_stock(skus.get(pid, [])) for pid in found}
    products = [
        replace(
            product,
            colors=tuple(sized[pid][0]),
            sizes=tuple(sized[pid][1]),
            stock_line=stock_line(skus.get(pid, [])),
        )
        for pid, product in zip(
            [pid for pid in dict.fromkeys(product_ids) if pid in found], products, strict=True
        )
    ]
    account = session.get(WeChatAccount, account_id) if account_id is not None else None
    shop = (account.nickname or account.label) if account is not None else ""
    return TemplateContext(products, shop, day)


def render_for_products(
    session: Session,
    template: str,
    product_ids: Sequence[int],
    account_id: int | None = None,
    day: date | None = None,
) -> str:
    """The composer's "apply template": ``template`` filled from stored products."""
    return render_template(template, template_context_for(session, product_ids, account_id, day))
