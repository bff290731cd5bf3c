"""A seller's shop for the planner tests: one account, Tue/Thu 20:00 new arrivals and a daily
12:00 lifestyle slot, a few new products. Built through the core services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from moments_desk.core.catalogue.catalogue import ProductDraft, create_product
from moments_desk.core.planning.cadence import SlotSpec, save_slot
from moments_desk.core.planning.posts import PostDraft, create_post, schedule_post
from moments_desk.core.shared import uow
from moments_desk.core.team.accounts import save_account
from moments_desk.db.models import PostKind
from moments_desk.startup import Shop

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class SellerShop:
    account_id: int
    tuesday: int
    thursday: int
    daily: int
    product_ids: tuple[int, ...]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def build_seller_shop(shop: Shop) -> SellerShop:
    def work(session: Session) -> SellerShop:
        account = save_account(session, None, "主号", "小棉袄的衣橱", "mianao")
        tuesday = save_slot(
            session,
            None,
            SlotSpec(account, 1, time(20), PostKind.NEW_ARRIVAL, "周二上新"),
        )
        thursday = save_slot(
            session,
            None,
            SlotSpec(account, 3, time(20), PostKind.NEW_ARRIVAL, "周四上新"),
        )
        daily = save_slot(
            session,
            None,
            SlotSpec(
                account, None, time(12), PostKind.LIFESTYLE, "午间生活", template="今天的穿搭分享☀️"
            ),
        )
        products = tuple(
            create_product(
                session,
                ProductDraft(
                    code=f"QZ2611-{i:02d}",
                    name=name,
                    category="连衣裙",
                    price=Decimal(price),
                    stock=10,
                    new_arrival_date=date(2026, 11, 20),
                    selling_points="显瘦百搭",
                ),
            )
            for i, (name, price) in enumerate(
                [
                    ("雾霾蓝法式方领连衣裙", "259"),
                    ("燕麦色羊毛开衫", "199"),
                    ("黑色高腰阔腿裤", "169"),
                    ("奶白色羊毛围巾", "89"),
                    ("焦糖色毛呢大衣", "599"),
                    ("酒红色丝绒半裙", "229"),
                    ("米色针织背心", "129"),
                    ("墨绿色灯芯绒衬衫", "189"),
                    ("豆沙粉高领毛衣", "219"),
                ],
                1,
            )
        )
        return SellerShop(account, tuesday, thursday, daily, products)

    return uow.write(shop.sessions, work)


def add_post(
    shop: Shop,
    account_id: int,
    at: datetime,
    kind: PostKind = PostKind.NEW_ARRIVAL,
    *,
    text: str = "上新啦",
    slot_id: int | None = None,
    products: tuple[int, ...] = (),
    scheduled: bool = False,
) -> int:
    def work(session: Session) -> int:
        post_id = create_post(
            session,
            PostDraft(
                kind=kind,
                text=text,
                account_ids=[account_id],
                product_ids=list(products),
                scheduled_at=at,
                slot_id=slot_id,
            ),
        )
        if scheduled:
            schedule_post(session, post_id, shop.paths.media, SHANGHAI)
        return post_id

    return uow.write(shop.sessions, work)
