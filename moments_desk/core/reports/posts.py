"""Post performance: what each post earned, by kind, category and local weekday × hour.

Definitions:
- posts in a report: posted posts whose ``posted_at`` (else their scheduled time) falls in
  the range (and, with an account filter, that went out on that account);
- likes, comments, inquiries: interactions linked to the post (from that account's
  customers when filtered); "interactions" is their sum (notes are not counted);
- orders, revenue: counted orders (not cancelled/refunded) linked to the post;
- reach ("friends who could see it"): the friends of the post's account(s) today; a 部分可见
  post reaches only friends carrying one of its tags, a 不给谁看 post everyone but them;
- conversion: orders ÷ reach, and orders ÷ interactions.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Float, and_, case, cast, distinct, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from moments_desk.core.reports.period import (
    ReportFilter,
    counted_order,
    fen,
    posted_moment,
    ratio,
)
from moments_desk.db.models import (
    AudienceMode,
    CadenceSlot,
    Customer,
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    customer_tag,
    post_audience_tag,
)


class PostSort(enum.StrEnum):
    POSTED_AT = "posted_at"
    KIND = "kind"
    LIKES = "likes"
    COMMENTS = "comments"
    INQUIRIES = "inquiries"
    ORDERS = "orders"
    REVENUE = "revenue"
    REACH = "reach"
    CONVERSION_REACH = "conversion_reach"
    CONVERSION_INTERACTIONS = "conversion_interactions"


@dataclass(frozen=True)
class PostPerformance:
    post_id: int
    posted_at: datetime
    kind: PostKind
    first_line: str
    likes: int
    comments: int
    inquiries: int
    orders: int
    revenue_fen: int
    reach: int

    @property
    def interactions(self) -> int:
        return self.likes + self.comments + self.inquiries

    @property
    def conversion_reach(self) -> float | None:
        return ratio(self.orders, self.reach)

    @property
    def conversion_interactions(self) -> float | None:
        return ratio(self.orders, self.interactions)


@dataclass(frozen=True)
class GroupFigures:
    key: str
    posts: int
    interactions: int
    orders: int
    revenue_fen: int
    reach: int

    @property
    def orders_per_post(self) -> float | None:
        return ratio(self.orders, self.posts)

    @property
    def conversion_reach(self) -> float | None:
        return ratio(self.orders, self.reach)


@dataclass(frozen=True)
class HeatCell:
    weekday: int  # 0 = Monday, local
    hour: int  # local
    posts: int
    interactions: int
    orders: int

    @property
    def orders_per_post(self) -> float:
        return self.orders / self.posts if self.posts else 0.0

    @property
    def interactions_per_post(self) -> float:
        return self.interactions / self.posts if self.posts else 0.0


@dataclass(frozen=True)
class CadenceFigures:
    slot_id: int
    label: str
    weekday: int | None
    time_of_day: time
    kind: PostKind
    planned: int
    kept: int

    @property
    def missed(self) -> int:
        return max(self.planned - self.kept, 0)


def _posts_in(f: ReportFilter) -> Any:
    stmt = select(Post.id).where(
        Post.status == PostStatus.POSTED,
        posted_moment() >= f.start_utc,
        posted_moment() < f.end_utc,
    )
    if f.account_id is not None:
        stmt = stmt.where(
            exists(
                select(1).where(
                    PostAccount.post_id == Post.id, PostAccount.account_id == f.account_id
                )
            )
        )
    return stmt


def _performance_select(f: ReportFilter) -> tuple[Any, dict[PostSort, Any]]:
    posts_in = _posts_in(f).cte("posts_in")
    kinds = select(
        Interaction.post_id.label("post_id"),
        func.count().filter(Interaction.kind == InteractionKind.LIKE).label("likes"),
        func.count().filter(Interaction.kind == InteractionKind.COMMENT).label("comments"),
        func.count().filter(Interaction.kind == InteractionKind.INQUIRY).label("inquiries"),
    ).where(Interaction.post_id.in_(select(posts_in.c.id)))
    if f.account_id is not None:
        kinds = kinds.join(Customer, Customer.id == Interaction.customer_id).where(
            Customer.account_id == f.account_id
        )
    inter = kinds.group_by(Interaction.post_id).cte("inter")

    order_stmt = select(
        Order.post_id.label("post_id"),
        func.count().label("orders"),
        func.sum(fen(Order.total)).label("revenue"),
    ).where(Order.post_id.in_(select(posts_in.c.id)), counted_order())
    if f.account_id is not None:
        order_stmt = order_stmt.where(Order.account_id == f.account_id)
    sold = order_stmt.group_by(Order.post_id).cte("sold")

    account_filter = [] if f.account_id is None else [PostAccount.account_id == f.account_id]
    sizes = (
        select(Customer.account_id.label("account_id"), func.count().label("friends"))
        .group_by(Customer.account_id)
        .cte("sizes")
    )
    base = (
        select(PostAccount.post_id.label("post_id"), func.sum(sizes.c.friends).label("friends"))
        .join(sizes, sizes.c.account_id == PostAccount.account_id)
        .where(PostAccount.post_id.in_(select(posts_in.c.id)), *account_filter)
        .group_by(PostAccount.post_id)
        .cte("base")
    )
    tagged = (
        select(
            PostAccount.post_id.label("post_id"),
            func.count(distinct(Customer.id)).label("friends"),
        )
        .join(Customer, Customer.account_id == PostAccount.account_id)
        .join(customer_tag, customer_tag.c.customer_id == Customer.id)
        .join(
            post_audience_tag,
            and_(
                post_audience_tag.c.post_id == PostAccount.post_id,
                post_audience_tag.c.tag_id == customer_tag.c.tag_id,
            ),
        )
        .where(PostAccount.post_id.in_(select(posts_in.c.id)), *account_filter)
        .group_by(PostAccount.post_id)
        .cte("tagged")
    )
    base_n = func.coalesce(base.c.friends, 0)
    tagged_n = func.coalesce(tagged.c.friends, 0)
    reach = case(
        (Post.audience_mode == AudienceMode.VISIBLE_TO, tagged_n),
        (Post.audience_mode == AudienceMode.HIDDEN_FROM, base_n - tagged_n),
        else_=base_n,
    )
    likes = func.coalesce(inter.c.likes, 0)
    comments = func.coalesce(inter.c.comments, 0)
    inquiries = func.coalesce(inter.c.inquiries, 0)
    orders = func.coalesce(sold.c.orders, 0)
    revenue = func.coalesce(sold.c.revenue, 0)
    touched = likes + comments + inquiries
    as_float = literal(1.0, Float)
    sort_keys: dict[PostSort, Any] = {
        PostSort.POSTED_AT: posted_moment(),
        PostSort.KIND: Post.kind,
        PostSort.LIKES: likes,
        PostSort.COMMENTS: comments,
        PostSort.INQUIRIES: inquiries,
        PostSort.ORDERS: orders,
        PostSort.REVENUE: revenue,
        PostSort.REACH: reach,
        PostSort.CONVERSION_REACH: cast(orders, Float) * as_float / func.nullif(reach, 0),
        PostSort.CONVERSION_INTERACTIONS: cast(orders, Float) * as_float / func.nullif(touched, 0),
    }
    stmt = (
        select(
            Post.id,
            posted_moment().label("posted_at"),
            Post.kind,
            Post.text,
            likes.label("likes"),
            comments.label("comments"),
            inquiries.label("inquiries"),
            orders.label("orders"),
            revenue.label("revenue"),
            reach.label("reach"),
        )
        .join(posts_in, posts_in.c.id == Post.id)
        .outerjoin(inter, inter.c.post_id == Post.id)
        .outerjoin(sold, sold.c.post_id == Post.id)
        .outerjoin(base, base.c.post_id == Post.id)
        .outerjoin(tagged, tagged.c.post_id == Post.id)
    )
    return stmt, sort_keys


def _first_line(text: str, limit: int = 40) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def post_performance(
    session: Session,
    f: ReportFilter,
    sort: PostSort = PostSort.POSTED_AT,
    descending: bool = True,
) -> list[PostPerformance]:
    """Every post in the range with its figures, sorted in SQL (ties by newest first)."""
    stmt, keys = _performance_select(f)
    key = keys[sort]
    ordered = key.desc() if descending else key.asc()
    # NULL conversions (no reach / no interactions) go last whichever way the seller sorts.
    rows = session.execute(
        stmt.order_by(case((key.is_(None), 1), else_=0), ordered, posted_moment().desc(), Post.id)
    ).all()
    return [
        PostPerformance(
            post_id=r.id,
            posted_at=r.posted_at,
            kind=r.kind,
            first_line=_first_line(r.text),
            likes=int(r.likes),
            comments=int(r.comments),
            inquiries=int(r.inquiries),
            orders=int(r.orders),
            revenue_fen=int(r.revenue),
            reach=int(r.reach),
        )
        for r in rows
    ]


def by_kind(rows: list[PostPerformance]) -> list[GroupFigures]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for row in rows:
        t = totals[row.kind.value]
        t[0] += 1
        t[1] += row.interactions
        t[2] += row.orders
        t[3] += row.revenue_fen
        t[4] += row.reach
    return [
        GroupFigures(kind.value, *totals[kind.value]) for kind in PostKind if kind.value in totals
    ]


def by_category(session: Session, f: ReportFilter) -> list[GroupFigures]:
    """Per product category: posts showing it, orders and item revenue from those posts."""
    posts_in = _posts_in(f).cte("posts_in")
    shown = dict(
        session.execute(
            select(Product.category, func.count(distinct(PostProduct.post_id)))
            .join(Product, Product.id == PostProduct.product_id)
            .where(PostProduct.post_id.in_(select(posts_in.c.id)))
            .group_by(Product.category)
        ).all()
    )
    order_filter = [Order.post_id.in_(select(posts_in.c.id)), counted_order()]
    if f.account_id is not None:
        order_filter.append(Order.account_id == f.account_id)
    sold = {
        row[0]: (int(row[1]), int(row[2] or 0))
        for row in session.execute(
            select(
                Product.category,
                func.count(distinct(Order.id)),
                func.sum(OrderItem.quantity * fen(OrderItem.unit_price)),
            )
            .select_from(OrderItem)
            .join(Order, Order.id == OrderItem.order_id)
            .join(Product, Product.id == OrderItem.product_id)
            .where(*order_filter)
            .group_by(Product.category)
        ).all()
    }
    categories = sorted(set(shown) | set(sold), key=lambda c: (-sold.get(c, (0, 0))[1], c))
    return [
        GroupFigures(c, int(shown.get(c, 0)), 0, sold.get(c, (0, 0))[0], sold.get(c, (0, 0))[1], 0)
        for c in categories
    ]


def heatmap(rows: list[PostPerformance], zone: tzinfo) -> list[HeatCell]:
    """7 × 24 cells by the local weekday and hour each post went out."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        local = row.posted_at.astimezone(zone)
        cell = cells[(local.weekday(), local.hour)]
        cell[0] += 1
        cell[1] += row.interactions
        cell[2] += row.orders
    return [
        HeatCell(day, hour, *cells.get((day, hour), (0, 0, 0)))
        for day in range(7)
        for hour in range(24)
    ]


def best_slots(cells: list[HeatCell], count: int = 3, min_posts: int = 2) -> list[HeatCell]:
    """Cells with the most orders per post (then interactions per post).

    A slot needs ``min_posts`` posts to count, so one lucky post does not decide the rhythm;
    if no slot has that many, single posts are used.
    """
    enough = [c for c in cells if c.posts >= min_posts] or [c for c in cells if c.posts]
    enough.sort(key=lambda c: (-c.orders_per_post, -c.interactions_per_post, c.weekday, c.hour))
    return enough[:count]


def _occurrences(
    weekday: int | None,
    at: time,
    first: date,
    last: date,
    f: ReportFilter,
    now: datetime,
    since: datetime | None = None,
) -> int:
    """The slot's times in the range that have come, from ``since`` (its creation) on."""
    count = 0
    day = first
    while day <= last:
        if weekday is None or day.weekday() == weekday:
            moment = datetime.combine(day, at, tzinfo=f.zone)
            if moment <= now and (since is None or moment >= since):
                count += 1
        day += timedelta(days=1)
    return count


def cadence(session: Session, f: ReportFilter, now: datetime) -> list[CadenceFigures]:
    """Per active slot: occurrences due so far in the range, from the slot's creation on,
    vs posts posted for it (never more than were due).

    A post kept its own slot, and the same slot (weekday, time, kind) of every other account
    it went out on: one new-arrivals post shared by two accounts keeps both accounts' rhythm.
    """
    slot_filter: list[ColumnElement[bool]] = [CadenceSlot.active.is_(True)]
    if f.account_id is not None:
        slot_filter.append(CadenceSlot.account_id == f.account_id)
    own = aliased(CadenceSlot)
    kept = dict(
        session.execute(
            select(CadenceSlot.id, func.count(distinct(Post.id)))
            .select_from(Post)
            .join(own, own.id == Post.slot_id)
            .join(
                CadenceSlot,
                and_(
                    CadenceSlot.weekday.is_not_distinct_from(own.weekday),
                    CadenceSlot.time_of_day == own.time_of_day,
                    CadenceSlot.kind == own.kind,
                ),
            )
            .where(
                Post.status == PostStatus.POSTED,
                Post.scheduled_at >= f.start_utc,
                Post.scheduled_at < f.end_utc,
                or_(
                    CadenceSlot.id == own.id,
                    exists(
                        select(1).where(
                            PostAccount.post_id == Post.id,
                            PostAccount.account_id == CadenceSlot.account_id,
                        )
                    ),
                ),
            )
            .group_by(CadenceSlot.id)
        ).all()
    )
    slots = session.execute(
        select(CadenceSlot)
        .where(*slot_filter)
        .order_by(CadenceSlot.weekday, CadenceSlot.time_of_day)
    ).scalars()
    return [
        CadenceFigures(
            slot.id,
            slot.label,
            slot.weekday,
            slot.time_of_day,
            slot.kind,
            planned,
            min(int(kept.get(slot.id, 0)), planned),
        )
        for slot in slots
        for planned in (
            _occurrences(slot.weekday, slot.time_of_day, f.start, f.end, f, now, slot.created_at),
        )
    ]
