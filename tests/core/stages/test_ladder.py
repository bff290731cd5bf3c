"""The stage ladder moves customers from what is recorded; a stage set by hand stays."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerDraft
from moments_desk.core.orders import orders as od
from moments_desk.core.orders.status import change_status
from moments_desk.core.stages.ladder import (
    LadderError,
    StageThresholds,
    load_thresholds,
    save_thresholds,
)
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import (
    Customer,
    CustomerStage,
    InteractionKind,
    OrderStatus,
    Post,
    PostKind,
    PostStatus,
    WeChatAccount,
)

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


@pytest.fixture
def shop(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory.begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        post = Post(kind=PostKind.NEW_ARRIVAL, status=PostStatus.POSTED, text="上新", posted_at=NOW)
        s.add(post)
        s.flush()
        ids = {
            name: cu.create_customer(s, CustomerDraft(account_id=account.id, nickname=name))
            for name in ("小美", "阿花", "陈姐")
        }
        return {**ids, "account": account.id, "post": post.id}


def stage(factory: sessionmaker[Session], customer_id: int) -> CustomerStage:
    with factory() as s:
        found = s.get(Customer, customer_id)
        assert found is not None
        return found.stage


def paid_order(factory: sessionmaker[Session], customer_id: int) -> int:
    with factory.begin() as s:
        draft = od.OrderDraft(customer_id, [od.ItemDraft(None, "连衣裙", 1, Decimal("259"))])
        order_id = od.create_order(s, draft, NOW)
    return order_id


def pay(factory: sessionmaker[Session], order_id: int, status: OrderStatus) -> None:
    with factory.begin() as s:
        change_status(s, [order_id], status, NOW)


def test_paying_climbs_the_ladder_and_a_refund_steps_back(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    who = shop["小美"]
    first = paid_order(session_factory, who)
    assert stage(session_factory, who) is CustomerStage.PROSPECT  # not paid yet
    pay(session_factory, first, OrderStatus.PAID)
    assert stage(session_factory, who) is CustomerStage.CUSTOMER
    second = paid_order(session_factory, who)
    pay(session_factory, second, OrderStatus.PAID)
    assert stage(session_factory, who) is CustomerStage.FAN  # a repeat purchase
    for _ in range(3):
        pay(session_factory, paid_order(session_factory, who), OrderStatus.PAID)
    assert stage(session_factory, who) is CustomerStage.IRON_FAN  # five paid orders
    pay(session_factory, second, OrderStatus.REFUNDED)
    assert stage(session_factory, who) is CustomerStage.FAN  # four count now


def test_regular_likes_make_a_buyer_a_fan_and_referrals_an_iron_fan(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    who = shop["阿花"]
    pay(session_factory, paid_order(session_factory, who), OrderStatus.PAID)
    with session_factory.begin() as s:
        lines = [EntryLine(n, "阿花", InteractionKind.COMMENT, "好看", who) for n in range(5)]
        record_entries(s, shop["post"], shop["account"], lines, NOW)
    assert stage(session_factory, who) is CustomerStage.FAN
    for _ in range(2):
        pay(session_factory, paid_order(session_factory, who), OrderStatus.PAID)
    assert stage(session_factory, who) is CustomerStage.FAN  # three orders, no referral yet
    with session_factory.begin() as s:
        draft, _ = cu.get_customer(s, shop["陈姐"])
        draft.referred_by_id = who
        cu.update_customer(s, shop["陈姐"], draft)
    assert stage(session_factory, who) is CustomerStage.IRON_FAN


def test_a_stage_set_by_hand_stays_until_cleared(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    who = shop["陈姐"]
    with session_factory.begin() as s:
        cu.set_stage(s, [who], CustomerStage.IRON_FAN)
    pay(session_factory, paid_order(session_factory, who), OrderStatus.PAID)
    assert stage(session_factory, who) is CustomerStage.IRON_FAN  # the seller knows her
    with session_factory.begin() as s:
        cu.set_stage(s, [who], None)  # cleared: the ladder places her from her one order
    assert stage(session_factory, who) is CustomerStage.CUSTOMER
    with session_factory.begin() as s:
        draft, _ = cu.get_customer(s, who)
        assert not draft.stage_set_by_hand


def test_thresholds_are_settings_and_moving_them_places_everyone_again(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    who = shop["小美"]
    for _ in range(2):
        pay(session_factory, paid_order(session_factory, who), OrderStatus.PAID)
    assert stage(session_factory, who) is CustomerStage.FAN
    with session_factory.begin() as s:
        moved = save_thresholds(s, StageThresholds(fan_orders=3, iron_orders=6))
    assert moved == 1
    assert stage(session_factory, who) is CustomerStage.CUSTOMER
    with session_factory() as s:
        assert load_thresholds(s) == StageThresholds(fan_orders=3, iron_orders=6)
    with pytest.raises(LadderError, match="more orders"), session_factory.begin() as s:
        save_thresholds(s, StageThresholds(fan_orders=4, iron_orders=4))
    with pytest.raises(LadderError, match="1 to 999"), session_factory.begin() as s:
        save_thresholds(s, StageThresholds(fan_interactions=0))
