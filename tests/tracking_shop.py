"""A small shop for tracking tests: an account, customers, a product and a posted post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerDraft
from moments_desk.core.shared.pinyin import customer_search_text
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    WeChatAccount,
)

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


@dataclass
class TrackingShop:
    account_id: int
    post_id: int
    product_id: int
    customers: dict[str, int]


def build_shop(
    sessions: sessionmaker[Session],
    names: list[str] | None = None,
    stock: int = 3,
    extra_customers: int = 0,
) -> TrackingShop:
    with sessions.begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        ids: dict[str, int] = {}
        for name in names or ["小美", "阿花", "Lily李🌸", "曾小梅", "王 芳"]:
            ids[name] = cu.create_customer(s, CustomerDraft(account_id=account.id, nickname=name))
        ids["备注人"] = cu.create_customer(
            s, CustomerDraft(account_id=account.id, nickname="微信昵称X", remark="杭州-陈姐")
        )
        if extra_customers:
            rows = []
            for i in range(extra_customers):
                nick = f"顾客{i:05d}"
                rows.append(
                    {
                        "account_id": account.id,
                        "nickname": nick,
                        "remark": "",
                        "search_text": customer_search_text(nick, "", None, None),
                    }
                )
            s.execute(insert(Customer), rows)
        s.add(
            CustomerAddress(
                customer_id=next(iter(ids.values())),
                recipient="李小美",
                phone="13800138000",
                province="浙江省",
                city="杭州市",
                district="西湖区",
                detail="文三路 1 号",
                is_default=True,
            )
        )
        product = Product(code="QZ01", name="雾霾蓝连衣裙", price=Decimal("259"), stock=stock)
        s.add(product)
        post = Post(
            kind=PostKind.NEW_ARRIVAL,
            text="周二上新｜雾霾蓝连衣裙\n点赞前3名发货",
            status=PostStatus.POSTED,
            posted_at=NOW - timedelta(hours=2),
        )
        s.add(post)
        s.flush()
        s.add(PostAccount(post_id=post.id, account_id=account.id, posted_at=post.posted_at))
        s.add(PostProduct(post_id=post.id, product_id=product.id, position=0))
        return TrackingShop(account.id, post.id, product.id, ids)
