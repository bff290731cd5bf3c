"""The figures on the home page: what the shop holds and what is coming up this week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.db.models import (
    Base,
    Customer,
    Interaction,
    Order,
    OrderStatus,
    Post,
    PostKind,
    PostStatus,
    Product,
    ProductStatus,
    WeChatAccount,
)
from moments_desk.scheduling.clock import Clock


@dataclass(frozen=True)
class UpcomingPost:
    post_id: int
    scheduled_at: datetime
    kind: PostKind
    status: PostStatus
    first_line: str


@dataclass(frozen=True)
class Overview:
    accounts: int
    products: int
    products_on_sale: int
    customers: int
    posts_this_week: int
    posted_this_week: int
    interactions_last_7_days: int
    orders_awaiting_payment: int
    upcoming: tuple[UpcomingPost, ...]

    @property
    def is_empty(self) -> bool:
        return self.products == 0 and self.customers == 0 and self.accounts == 0


def week_bounds(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00 in the seller's zone, returned in UTC."""
    local = now.astimezone(zone)
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # Re-attach the zone after arithmetic so a DST change inside the week lands correctly.
    start = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
    nxt = monday + timedelta(days=7)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _first_line(text: str, limit: int = 60) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def load_overview(
    sessions: sessionmaker[Session], clock: Clock, zone: tzinfo, upcoming_limit: int = 6
) -> Overview:
    now = clock.now()
    week_start, week_end = week_bounds(now, zone)
    with sessions() as s:

        def count(stmt: Select[Any]) -> int:
            return int(s.scalar(stmt) or 0)

        in_week = Post.scheduled_at >= week_start, Post.scheduled_at < week_end
        upcoming_rows = s.execute(
            select(Post.id, Post.scheduled_at, Post.kind, Post.status, Post.text)
            .where(
                Post.scheduled_at >= now,
                Post.status.in_(
                    [PostStatus.DRAFT, PostStatus.AWAITING_APPROVAL, PostStatus.SCHEDULED]
                ),
            )
            .order_by(Post.scheduled_at)
            .limit(upcoming_limit)
        ).all()
        return Overview(
            accounts=count(
                select(func.count()).select_from(WeChatAccount).where(~WeChatAccount.archived)
            ),
            products=count(select(func.count()).select_from(Product).where(~Product.archived)),
            products_on_sale=count(
                select(func.count())
                .select_from(Product)
                .where(~Product.archived, Product.status == ProductStatus.ON_SALE)
            ),
            customers=count(select(func.count()).select_from(Customer)),
            posts_this_week=count(select(func.count()).select_from(Post).where(*in_week)),
            posted_this_week=count(
                select(func.count())
                .select_from(Post)
                .where(*in_week, Post.status == PostStatus.POSTED)
            ),
            interactions_last_7_days=count(
                select(func.count())
                .select_from(Interaction)
                .where(Interaction.occurred_at >= now - timedelta(days=7))
            ),
            orders_awaiting_payment=count(
                select(func.count())
                .select_from(Order)
                .where(Order.status == OrderStatus.AWAITING_PAYMENT)
            ),
            upcoming=tuple(
                UpcomingPost(
                    post_id=row.id,
                    scheduled_at=row.scheduled_at,
                    kind=row.kind,
                    status=row.status,
                    first_line=_first_line(row.text),
                )
                for row in upcoming_rows
            ),
        )


def count_rows(sessions: sessionmaker[Session], model: type[Base]) -> int:
    """Row count for an area's empty state (e.g. "5,000 products in your catalogue")."""
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)
