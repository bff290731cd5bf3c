"""A realistic demo shop, built deterministically from a seed.

The same builder fills ``--demo`` (a few hundred customers) and the benchmarks (50,000
customers, 5,000 products, 200,000 interactions), so the benchmarks exercise the app's own
bulk path: SQLAlchemy Core inserts in one transaction. It only fills an empty shop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select, text

from moments_desk.core.demo.activity import ActivityBuilder
from moments_desk.core.demo.builder import DemoSpec
from moments_desk.db.models import (
    Customer,
    Product,
    WeChatAccount,
)
from moments_desk.scheduling.clock import local_zone


class DatabaseNotEmptyError(Exception):
    """The demo only fills an empty shop; nothing was written."""


@dataclass(frozen=True)
class DemoCounts:
    accounts: int
    products: int
    customers: int
    posts: int
    interactions: int
    orders: int


#: ``--demo``'s size: a few hundred customers (``DemoSpec.at_scale()`` for the benchmarks).
_SMALL = DemoSpec()


class _Builder(ActivityBuilder):
    """The whole demo, in the order its parts depend on each other."""

    def build(self) -> DemoCounts:
        accounts = self.accounts()
        self.step()
        products = self.products()
        self.step()
        customers = self.customers(accounts)
        self.step()
        posts = self.posts(accounts)
        self.step()
        if self.media_root is not None:
            self.pictures(posts, self.media_root)
        interactions = self.interactions(posts)
        self.step()
        orders = self.orders(posts, interactions)
        self.step()
        self.stages(interactions, orders)
        self.tracking(posts, interactions)
        from moments_desk.core.demo.demo_team import add_team_demo

        add_team_demo(self.conn, self.now, accounts, self.zone)
        if self.drawn is not None:
            from moments_desk.core.pictures.demo_posts import dress_bare_posts

            dress_bare_posts(self.conn, self.drawn, self.names, self.product_ids_newest[0])
        self.step()
        return DemoCounts(
            len(accounts), products, customers, len(posts), len(interactions), orders[0]
        )


def _reset_sequences(conn: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the demo rows."""
    if conn.dialect.name != "postgresql":
        return
    for table in (
        "wechat_account",
        "app_user",
        "tag",
        "cadence_slot",
        "product",
        "product_variant",
        "customer",
        "customer_address",
        "post",
        "interaction",
        "sales_order",
        "order_item",
    ):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def populate_demo(
    engine: Engine,
    spec: DemoSpec = _SMALL,
    *,
    now: datetime | None = None,
    zone: tzinfo | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    media_root: Path | None = None,
) -> DemoCounts:
    """Fill an empty shop with the demo; all of it commits or none of it does.

    With ``media_root`` (the shop's picture folder) every product and post gets drawn
    photos; without it (benchmarks at scale) the shop has no pictures.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.begin() as conn:
        existing = (
            conn.execute(select(func.count()).select_from(Product)).scalar_one()
            + (conn.execute(select(func.count()).select_from(Customer)).scalar_one())
            + conn.execute(select(func.count()).select_from(WeChatAccount)).scalar_one()
        )
        if existing:
            raise DatabaseNotEmptyError
        builder = _Builder(
            conn, spec, moment, zone or local_zone(), progress, should_cancel, media_root
        )
        counts = builder.build()
        _reset_sequences(conn)
        return counts
