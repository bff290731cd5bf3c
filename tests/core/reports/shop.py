"""A small hand-made shop whose every report figure is worked out by hand in the tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from moments_desk.db.models import (
    AudienceMode,
    Customer,
    CustomerStage,
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    OrderStatus,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    Tag,
    WeChatAccount,
    customer_tag,
    post_audience_tag,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Sunday 22 November 2026, 10:00 in Shanghai.
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI).astimezone(UTC)


def build_post_shop(s: Session) -> dict[str, int]:
    """Two accounts, six friends, three posted posts (one near midnight), orders and likes.

    Hand-computed figures (see test_posts.py):
      p1 new arrival, Mon 16 Nov 20:00, accounts A+B, everyone: reach 4+2 = 6
      p2 lifestyle, Tue 17 Nov 23:50, A, 部分可见 vip (c1, c2): reach 2
      p3 promotion, Wed 18 Nov 00:10 local (Tue 16:10 UTC), A, 不给谁看 vip: reach 4-2 = 2
    """
    a, b = WeChatAccount(label="主号"), WeChatAccount(label="小号")
    s.add_all([a, b])
    vip = Tag(name="vip")
    s.add(vip)
    s.flush()
    people = {}
    for key, account in (("c1", a), ("c2", a), ("c3", a), ("c4", a), ("c5", b), ("c6", b)):
        customer = Customer(
            account_id=account.id, nickname=key, created_at=NOW - timedelta(days=200)
        )
        s.add(customer)
        s.flush()
        people[key] = customer.id
    s.execute(
        insert(customer_tag),
        [
            {"customer_id": people["c1"], "tag_id": vip.id},
            {"customer_id": people["c2"], "tag_id": vip.id},
        ],
    )
    dress = Product(code="D1", name="连衣裙", category="连衣裙", price=Decimal("100"))
    scarf = Product(code="S1", name="围巾", category="配饰", price=Decimal("50"))
    s.add_all([dress, scarf])
    s.flush()

    def post(kind: PostKind, at: datetime, accounts: list[int], mode: AudienceMode) -> int:
        row = Post(
            kind=kind,
            text=f"{kind.value}\nsecond line",
            status=PostStatus.POSTED,
            scheduled_at=at,
            posted_at=at,
            audience_mode=mode,
        )
        s.add(row)
        s.flush()
        for account in accounts:
            s.add(PostAccount(post_id=row.id, account_id=account, posted_at=at))
        return row.id

    p1 = post(
        PostKind.NEW_ARRIVAL, local(date(2026, 11, 16), 20), [a.id, b.id], AudienceMode.EVERYONE
    )
    p2 = post(
        PostKind.LIFESTYLE, local(date(2026, 11, 17), 23, 50), [a.id], AudienceMode.VISIBLE_TO
    )
    p3 = post(
        PostKind.PROMOTION, local(date(2026, 11, 18), 0, 10), [a.id], AudienceMode.HIDDEN_FROM
    )
    # A draft is never in a report.
    s.add(Post(kind=PostKind.PROMOTION, status=PostStatus.DRAFT, scheduled_at=NOW))
    s.execute(
        insert(post_audience_tag),
        [{"post_id": p2, "tag_id": vip.id}, {"post_id": p3, "tag_id": vip.id}],
    )
    s.add_all(
        [PostProduct(post_id=p1, product_id=dress.id), PostProduct(post_id=p3, product_id=scarf.id)]
    )

    def touch(key: str, post_id: int, kind: InteractionKind) -> None:
        s.add(
            Interaction(
                customer_id=people[key],
                post_id=post_id,
                kind=kind,
                occurred_at=NOW - timedelta(days=3),
            )
        )

    for key in ("c1", "c2", "c5"):
        touch(key, p1, InteractionKind.LIKE)
    touch("c1", p1, InteractionKind.COMMENT)
    touch("c5", p1, InteractionKind.INQUIRY)
    touch("c2", p1, InteractionKind.NOTE)  # notes are not interactions with the post
    touch("c1", p2, InteractionKind.LIKE)
    touch("c3", p3, InteractionKind.LIKE)
    touch("c3", p3, InteractionKind.INQUIRY)

    def order(
        key: str,
        post_id: int,
        account: int,
        items: list[tuple[Product, int]],
        status: OrderStatus = OrderStatus.PAID,
    ) -> None:
        total = sum((p.price * q for p, q in items), Decimal(0))
        row = Order(
            customer_id=people[key],
            post_id=post_id,
            account_id=account,
            status=status,
            total=total,
            created_at=NOW - timedelta(days=2),
        )
        s.add(row)
        s.flush()
        for product, quantity in items:
            s.add(
                OrderItem(
                    order_id=row.id,
                    product_id=product.id,
                    product_name=product.name,
                    quantity=quantity,
                    unit_price=product.price,
                )
            )

    order("c1", p1, a.id, [(dress, 1)])  # ¥100
    order("c5", p1, b.id, [(dress, 2)])  # ¥200
    order("c3", p3, a.id, [(scarf, 1)])  # ¥50
    order("c2", p1, a.id, [(dress, 1)], OrderStatus.CANCELLED)  # not a sale
    return {"a": a.id, "b": b.id, "p1": p1, "p2": p2, "p3": p3, **people}


def build_customer_shop(s: Session) -> dict[str, int]:
    """Customers whose RFM scores, cohorts and stage movement are worked out in the tests.

    The report's end is 22 Nov 2026 (Shanghai); "as of" is 23 Nov 00:00 Shanghai.
    """
    a, b = WeChatAccount(label="主号"), WeChatAccount(label="小号")
    s.add_all([a, b])
    s.flush()
    as_of = datetime(2026, 11, 23, tzinfo=SHANGHAI).astimezone(UTC)
    ids: dict[str, int] = {"a": a.id, "b": b.id}

    def customer(
        key: str,
        created: datetime,
        stage: CustomerStage = CustomerStage.PROSPECT,
        account: int | None = None,
        referred_by: str | None = None,
    ) -> int:
        row = Customer(
            account_id=account or a.id,
            nickname=key,
            created_at=created,
            stage=stage,
            referred_by_id=ids.get(referred_by) if referred_by else None,
        )
        s.add(row)
        s.flush()
        ids[key] = row.id
        return row.id

    def orders(
        key: str, *items: tuple[datetime, int], status: OrderStatus = OrderStatus.COMPLETED
    ) -> None:
        for at, yuan_amount in items:
            s.add(
                Order(
                    customer_id=ids[key],
                    account_id=a.id,
                    status=status,
                    total=Decimal(yuan_amount),
                    created_at=at,
                )
            )

    old = datetime(2025, 1, 1, tzinfo=UTC)
    # RFM: days before "as of".
    customer("r1", old, CustomerStage.IRON_FAN)
    orders("r1", *[(as_of - timedelta(days=d), 250) for d in (10, 20, 50, 80, 100)])
    customer("r2", old, CustomerStage.FAN)
    orders("r2", (as_of - timedelta(days=40), 200), (as_of - timedelta(days=70), 200))
    customer("r3", old, CustomerStage.CUSTOMER)
    orders("r3", (as_of - timedelta(days=5), 100))
    customer("r4", old, CustomerStage.CUSTOMER)
    orders("r4", (as_of - timedelta(days=60), 100))
    customer("r5", old, CustomerStage.FAN)
    orders("r5", *[(as_of - timedelta(days=d), 100) for d in (120, 150, 180)])
    customer("r6", old, CustomerStage.CUSTOMER)
    orders("r6", (as_of - timedelta(days=200), 1500))
    customer("r7", old, CustomerStage.CUSTOMER)
    orders("r7", (as_of - timedelta(days=200), 50))
    customer("r8", old)
    orders("r8", (as_of - timedelta(days=3), 999), status=OrderStatus.CANCELLED)
    # On the other account: only in "all accounts" figures.
    customer("b1", old, CustomerStage.CUSTOMER, account=b.id)
    s.add(
        Order(
            customer_id=ids["b1"],
            account_id=b.id,
            status=OrderStatus.PAID,
            total=Decimal(80),
            created_at=as_of - timedelta(days=1),
        )
    )
    # Referrals: r1 brought two friends in November, r2 one in October.
    customer("f1", local(date(2026, 11, 3), 12), referred_by="r1")
    customer("f2", local(date(2026, 11, 4), 12), referred_by="r1")
    customer("f3", local(date(2026, 10, 9), 12), referred_by="r2")
    orders("f1", (local(date(2026, 11, 10), 12), 300))
    return ids


def build_cohort_shop(s: Session) -> dict[str, int]:
    """Four buyers for cohorts and stage movement between September and November 2026."""
    a = WeChatAccount(label="主号")
    s.add(a)
    s.flush()
    ids = {"a": a.id}
    created = {
        "x1": local(date(2026, 9, 1), 9),
        "x2": local(date(2026, 9, 2), 9),
        "x3": local(date(2026, 10, 20), 9),
        "x4": local(date(2026, 8, 1), 9),
    }
    for key, at in created.items():
        row = Customer(account_id=a.id, nickname=key, created_at=at)
        s.add(row)
        s.flush()
        ids[key] = row.id
    plan = {
        "x1": [
            local(date(2026, 9, 5), 12),
            local(date(2026, 10, 3), 12),
            local(date(2026, 11, 2), 12),
        ],
        "x2": [local(date(2026, 9, 20), 12)],
        # 1 Nov 00:30 in Shanghai is still 31 Oct in UTC: the cohort is November.
        "x3": [local(date(2026, 11, 1), 0, 30), local(date(2026, 11, 20), 12)],
        "x4": [local(date(2026, 8, 15), 12), local(date(2026, 9, 10), 12)],
    }
    for key, moments in plan.items():
        for at in moments:
            s.add(
                Order(
                    customer_id=ids[key],
                    account_id=a.id,
                    status=OrderStatus.COMPLETED,
                    total=Decimal(100),
                    created_at=at,
                )
            )
    return ids
