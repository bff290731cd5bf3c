"""Comments that read as orders, and 前 N 名 offered to them in comment order."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.orders import allocation as al
from moments_desk.core.screenshots.intents import OrderIntent, order_intent, order_intent_queue
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import InteractionKind
from tests.tracking_shop import NOW, build_shop


@pytest.mark.parametrize(
    ("comment", "intent"),
    [
        ("+1", OrderIntent()),
        ("＋2", OrderIntent(2)),
        ("扣1", OrderIntent()),
        ("要一件", OrderIntent()),
        ("我要两件！", OrderIntent(2)),
        ("M码", OrderIntent(1, "M")),
        ("黑色L", OrderIntent(1, "黑色L")),
        ("白色 xl", OrderIntent(1, "白色XL")),
        ("S码要一件", OrderIntent(1, "S")),
        ("我要了", OrderIntent()),
    ],
)
def test_orders_are_read_with_their_size_colour_and_count(
    comment: str, intent: OrderIntent
) -> None:
    assert order_intent(comment) == intent


@pytest.mark.parametrize(
    "comment",
    ["好看！多少钱", "还有M码吗", "165穿什么码", "已私聊", "好漂亮", "什么时候发货呀", "+1元", ""],
)
def test_questions_and_chat_are_not_orders(comment: str) -> None:
    assert order_intent(comment) is None


@pytest.mark.db
def test_first_n_offered_to_order_comments_follows_comment_order_not_likes(
    session_factory: sessionmaker[Session],
) -> None:
    shop = build_shop(session_factory, stock=2)
    c = shop.customers
    lines = [
        EntryLine(1, "小美", InteractionKind.LIKE, "", c["小美"]),
        EntryLine(2, "阿花", InteractionKind.LIKE, "", c["阿花"]),
        EntryLine(3, "曾小梅", InteractionKind.COMMENT, "好看！多少钱", c["曾小梅"]),
        EntryLine(4, "阿花", InteractionKind.COMMENT, "M码", c["阿花"]),
        EntryLine(5, "Lily李🌸", InteractionKind.COMMENT, "扣1", c["Lily李🌸"]),
        EntryLine(6, "小美", InteractionKind.COMMENT, "还有货吗 / 要一件", c["小美"]),
    ]
    with session_factory.begin() as s:
        record_entries(s, shop.post_id, shop.account_id, lines, NOW)
    with session_factory.begin() as s:
        queue = order_intent_queue(s, shop.post_id)
        assert queue == [c["阿花"], c["Lily李🌸"], c["小美"]]
        outcome = al.allocate_first_n(s, shop.post_id, shop.product_id, queue=queue)
        assert (outcome.allocated, outcome.waitlisted) == (2, 1)
        rows = al.list_allocations(s, shop.post_id)
    placed = [(r.customer_name, r.status.value) for r in sorted(rows, key=lambda r: r.rank)]
    assert placed == [("阿花", "allocated"), ("Lily李🌸", "allocated"), ("小美", "waitlisted")]
