"""The dashboard's figures on a shop built for it, worked out by hand."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.reports.dashboard import load_dashboard
from moments_desk.db.models import (
    CadenceSlot,
    Customer,
    Interaction,
    InteractionKind,
    Order,
    OrderStatus,
    Post,
    PostKind,
    PostStatus,
    Reminder,
    ReminderKind,
    ReminderState,
    WeChatAccount,
)
from tests.core.reports.shop import NOW, SHANGHAI, local

pytestmark = pytest.mark.db
TODAY = date(2026, 11, 22)  # Sunday; the week began on Monday 16th


@pytest.fixture
def shop_ids(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory.begin() as s:
        a, b = WeChatAccount(label="主号"), WeChatAccount(label="旧号", archived=True)
        s.add_all([a, b])
        s.flush()

        def post(kind: PostKind, status: PostStatus, at: object, posted: object = None) -> None:
            s.add(
                Post(kind=kind, status=status, scheduled_at=at, posted_at=posted, text="第一行\n二")
            )

        # Due today: 09:00 (due, not yet posted) and 20:00 (scheduled). Not today: a draft
        # today, and 00:30 tomorrow in Shanghai, which is still today (16:30) in UTC.
        post(PostKind.NEW_ARRIVAL, PostStatus.DUE, local(TODAY, 9))
        post(PostKind.PROMOTION, PostStatus.SCHEDULED, local(TODAY, 20))
        post(PostKind.LIFESTYLE, PostStatus.DRAFT, local(TODAY, 21))
        post(PostKind.LIFESTYLE, PostStatus.SCHEDULED, local(TODAY + timedelta(days=1), 0, 30))
        # Posted: this week Mon (sales) and Sat (lifestyle); last week's Sat (lifestyle) and
        # Tue 10th (sales) and Mon 9th (lifestyle): 5 in the last 14 days, 2 selling → 40 %.
        for day, kind in (
            (date(2026, 11, 16), PostKind.NEW_ARRIVAL),
            (date(2026, 11, 21), PostKind.LIFESTYLE),
            (date(2026, 11, 14), PostKind.LIFESTYLE),
            (date(2026, 11, 10), PostKind.PROMOTION),
            (date(2026, 11, 9), PostKind.LIFESTYLE),
            (date(2026, 11, 1), PostKind.PROMOTION),  # older than 14 days
        ):
            post(kind, PostStatus.POSTED, local(day, 12), local(day, 12))
        # Planned this week: a daily slot (7) and a weekly one (1); an inactive slot and a
        # slot of an archived account do not count.
        s.add_all(
            [
                CadenceSlot(
                    account_id=a.id, weekday=None, time_of_day=time(12), kind=PostKind.LIFESTYLE
                ),
                CadenceSlot(
                    account_id=a.id, weekday=1, time_of_day=time(20), kind=PostKind.NEW_ARRIVAL
                ),
                CadenceSlot(
                    account_id=a.id,
                    weekday=3,
                    time_of_day=time(20),
                    kind=PostKind.NEW_ARRIVAL,
                    active=False,
                ),
                CadenceSlot(
                    account_id=b.id, weekday=4, time_of_day=time(20), kind=PostKind.PROMOTION
                ),
            ]
        )
        for at, state, message in (
            (NOW - timedelta(hours=1), ReminderState.PENDING, "给王姐补发尺码表"),
            (NOW - timedelta(days=2), ReminderState.PENDING, "催付款"),
            (NOW - timedelta(days=1), ReminderState.FIRED, "已提醒、未处理"),
            (NOW + timedelta(hours=1), ReminderState.PENDING, "还没到"),
            (NOW - timedelta(hours=3), ReminderState.DISMISSED, "已处理"),
        ):
            s.add(Reminder(kind=ReminderKind.UNPAID_ORDER, due_at=at, state=state, message=message))

        old = NOW - timedelta(days=300)
        fresh = Customer(account_id=a.id, nickname="新朋友", created_at=NOW - timedelta(days=2))
        quiet = Customer(account_id=a.id, nickname="沉默", created_at=old)
        liker = Customer(account_id=a.id, nickname="点赞", created_at=old)
        buyer = Customer(account_id=a.id, nickname="买家", created_at=old)
        s.add_all([fresh, quiet, liker, buyer])
        s.flush()
        s.add(
            Interaction(
                customer_id=liker.id,
                kind=InteractionKind.LIKE,
                occurred_at=NOW - timedelta(days=59),
            )
        )
        s.add(
            Interaction(
                customer_id=quiet.id,
                kind=InteractionKind.LIKE,
                occurred_at=NOW - timedelta(days=61),
            )
        )
        # This week (from Mon 16th 00:00 local): ¥100 + ¥50; a cancelled ¥999 does not count.
        # Last week: ¥80. Sunday 15th 23:30 local is last week though it is the 15th in UTC too.
        for at, total, status in (
            (local(date(2026, 11, 16), 0, 10), 100, OrderStatus.PAID),
            (NOW - timedelta(hours=1), 50, OrderStatus.AWAITING_PAYMENT),
            (NOW - timedelta(hours=2), 999, OrderStatus.CANCELLED),
            (local(date(2026, 11, 15), 23, 30), 80, OrderStatus.COMPLETED),
            (local(date(2026, 11, 1), 12), 70, OrderStatus.COMPLETED),  # two weeks ago
        ):
            s.add(
                Order(
                    customer_id=buyer.id,
                    account_id=a.id,
                    status=status,
                    total=Decimal(total),
                    created_at=at,
                )
            )
        return {"a": a.id}


def test_dashboard_figures(
    session_factory: sessionmaker[Session], shop_ids: dict[str, int]
) -> None:
    with session_factory() as s:
        board = load_dashboard(s, NOW, SHANGHAI)
    assert [p.scheduled_at for p in board.due_today] == [local(TODAY, 9), local(TODAY, 20)]
    assert board.due_today[0].first_line == "第一行"
    assert board.reminders_open == 3
    assert [r.message for r in board.reminders] == ["催付款", "已提醒、未处理", "给王姐补发尺码表"]
    assert (board.posted_this_week, board.planned_this_week) == (2, 8)
    # Sunday 10:00: of this week's slots only today's 12:00 is still ahead (not 8 − 2 = 6).
    assert board.slots_left_this_week == 1
    # 09:00 came due and waits to be posted; "next" is 20:00, never a time already past.
    assert board.next_due_at == local(TODAY, 20)
    assert (board.mix_sales, board.mix_other) == (2, 3)
    assert board.sales_share == pytest.approx(0.4)
    assert (board.orders_this_week, board.revenue_this_week) == (2, Decimal("150.00"))
    assert (board.orders_last_week, board.revenue_last_week) == (1, Decimal("80.00"))
    assert board.customers == 4
    assert board.new_customers == 1
    # After today: the post at 00:30 tomorrow (today's 21:00 draft is neither due nor coming).
    assert [p.scheduled_at for p in board.upcoming] == [local(TODAY + timedelta(days=1), 0, 30)]
    # Orders per local day, 9–22 Nov: 80 on the 15th (23:30), 100 on the 16th (00:10), 50 today.
    assert [d.day for d in board.days][::13] == [date(2026, 11, 9), TODAY]
    by_day = {d.day.day: (d.orders, d.revenue) for d in board.days if d.orders}
    assert by_day == {
        15: (1, Decimal("80.00")),
        16: (1, Decimal("100.00")),
        22: (1, Decimal("50.00")),
    }
    # No like, comment, chat or order for 60 days (the Customers page's "Quiet for" rule):
    # 沉默 (liked 61 days ago) and 新朋友 (added 2 days ago, nothing yet).
    assert board.dormant_customers == 2
    assert board.accounts == 1


def test_dashboard_for_one_account_and_a_shorter_quiet_period(
    session_factory: sessionmaker[Session], shop_ids: dict[str, int]
) -> None:
    with session_factory() as s:
        board = load_dashboard(s, NOW, SHANGHAI, dormant_days=30, account_id=shop_ids["a"])
    assert board.dormant_customers == 3  # the liker too, now
    assert board.planned_this_week == 8
    assert board.orders_this_week == 2
