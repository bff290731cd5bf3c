"""The home page's figures: today, this week against last week, and customers drifting away.

Definitions (kept here so the tests and the README say the same thing):
- due today: posts scheduled or due whose time falls on today's local date;
- open reminders: pending reminders whose time has come;
- week vs cadence: posts posted this local week (Mon–Sun) against the occurrences of active
  cadence slots in the week (a daily slot counts seven times);
- mix: posted posts in the last ``mix_days`` days; sales posts are ``PostKind.is_sales``;
- orders and revenue: counted orders (not cancelled or refunded) created this week vs last;
- new customers: added in the last 7 days; dormant: no interaction and no order for
  ``dormant_days`` days (the same rule as the Customers page's "Quiet for" filter).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session

from moments_desk.core.reports.board import (
    SALES_KINDS,
    TARGET_SALES_SHARE,
    Dashboard,
    DayFigures,
    DuePost,
    OpenReminder,
    first_line,
    slots_ahead,
)
from moments_desk.core.reports.period import (
    bucket_index,
    counted_order_recent,
    day_and_weeks,
    fen,
    local_midnight,
    posted_moment,
)
from moments_desk.core.reports.table import yuan
from moments_desk.db.models import (
    CadenceSlot,
    Customer,
    Interaction,
    Order,
    Post,
    PostAccount,
    PostStatus,
    Reminder,
    ReminderState,
    WeChatAccount,
)


def _account_posts(account_id: int | None) -> list[object]:
    if account_id is None:
        return []
    return [
        exists(
            select(1).where(PostAccount.post_id == Post.id, PostAccount.account_id == account_id)
        )
    ]


def load_dashboard(
    session: Session,
    now: datetime,
    zone: tzinfo,
    *,
    account_id: int | None = None,
    mix_days: int = 14,
    dormant_days: int = 60,
    list_limit: int = 8,
) -> Dashboard:
    today, day_start, day_end, week_start, week_end, last_week_start = day_and_weeks(now, zone)
    for_account = _account_posts(account_id)

    due_rows = session.execute(
        select(Post.id, Post.scheduled_at, Post.kind, Post.status, Post.text)
        .where(
            Post.status.in_([PostStatus.SCHEDULED, PostStatus.DUE]),
            Post.scheduled_at >= day_start,
            Post.scheduled_at < day_end,
            *for_account,  # type: ignore[arg-type]
        )
        .order_by(Post.scheduled_at)
    ).all()

    upcoming_rows = session.execute(
        select(Post.id, Post.scheduled_at, Post.kind, Post.status, Post.text)
        .where(
            Post.status.in_([PostStatus.DRAFT, PostStatus.AWAITING_APPROVAL, PostStatus.SCHEDULED]),
            Post.scheduled_at >= day_end,
            *for_account,  # type: ignore[arg-type]
        )
        .order_by(Post.scheduled_at)
        .limit(list_limit)
    ).all()

    # As the due-now panel counts them: a reminder that fired is open until it is dismissed.
    open_reminders = and_(Reminder.state != ReminderState.DISMISSED, Reminder.due_at <= now)
    reminder_count = int(
        session.scalar(select(func.count()).select_from(Reminder).where(open_reminders)) or 0
    )
    reminder_rows = session.execute(
        select(Reminder.id, Reminder.due_at, Reminder.message)
        .where(open_reminders)
        .order_by(Reminder.due_at)
        .limit(list_limit)
    ).all()

    posted_this_week = int(
        session.scalar(
            select(func.count())
            .select_from(Post)
            .where(
                Post.status == PostStatus.POSTED,
                posted_moment() >= week_start,
                posted_moment() < week_end,
                *for_account,  # type: ignore[arg-type]
            )
        )
        or 0
    )
    slot_filter = [CadenceSlot.active, ~WeChatAccount.archived]
    if account_id is not None:
        slot_filter.append(CadenceSlot.account_id == account_id)
    daily, weekly = session.execute(
        select(
            func.count().filter(CadenceSlot.weekday.is_(None)),
            func.count().filter(CadenceSlot.weekday.is_not(None)),
        )
        .select_from(CadenceSlot)
        .join(WeChatAccount, WeChatAccount.id == CadenceSlot.account_id)
        .where(*slot_filter)
    ).one()

    slot_times = session.execute(
        select(CadenceSlot.weekday, CadenceSlot.time_of_day)
        .join(WeChatAccount, WeChatAccount.id == CadenceSlot.account_id)
        .where(*slot_filter)
    ).all()
    slots_left = slots_ahead(slot_times, now, week_end, zone)

    mix_since = now - timedelta(days=mix_days)
    sales, other = session.execute(
        select(
            func.count().filter(Post.kind.in_(SALES_KINDS)),
            func.count().filter(Post.kind.not_in(SALES_KINDS)),
        ).where(
            Post.status == PostStatus.POSTED,
            posted_moment() >= mix_since,
            posted_moment() <= now,
            *for_account,  # type: ignore[arg-type]
        )
    ).one()

    order_filter = [counted_order_recent()]
    if account_id is not None:
        order_filter.append(Order.account_id == account_id)

    def orders_between(start: datetime, end: datetime) -> tuple[int, int]:
        count, total = session.execute(
            select(func.count(), func.coalesce(func.sum(fen(Order.total)), 0)).where(
                *order_filter, Order.created_at >= start, Order.created_at < end
            )
        ).one()
        return int(count), int(total)

    day_list = [today - timedelta(days=13 - i) for i in range(14)]
    bounds = [local_midnight(d, zone) for d in [*day_list, today + timedelta(days=1)]]
    bucket = bucket_index(Order.created_at, bounds)
    per_day = {
        int(b): (int(n), int(total))
        for b, n, total in session.execute(
            select(bucket, func.count(), func.coalesce(func.sum(fen(Order.total)), 0))
            .where(*order_filter, Order.created_at >= bounds[0], Order.created_at < bounds[-1])
            .group_by(bucket)
        ).all()
    }
    days = tuple(
        DayFigures(d, per_day.get(i, (0, 0))[0], yuan(per_day.get(i, (0, 0))[1]))
        for i, d in enumerate(day_list)
    )
    this_orders, this_fen = orders_between(week_start, week_end)
    last_orders, last_fen = orders_between(last_week_start, week_start)

    customer_filter = [] if account_id is None else [Customer.account_id == account_id]

    def customers(*where: object) -> int:
        stmt: Select[Any] = select(func.count()).select_from(Customer)
        return int(session.scalar(stmt.where(*customer_filter, *where)) or 0)  # type: ignore[arg-type]

    quiet_since = now - timedelta(days=dormant_days)
    dormant = customers(
        ~exists(
            select(1).where(
                Interaction.customer_id == Customer.id, Interaction.occurred_at >= quiet_since
            )
        ),
        ~exists(select(1).where(Order.customer_id == Customer.id, Order.created_at >= quiet_since)),
    )
    accounts = int(
        session.scalar(
            select(func.count()).select_from(WeChatAccount).where(~WeChatAccount.archived)
        )
        or 0
    )
    return Dashboard(
        due_today=tuple(
            DuePost(r.id, r.scheduled_at, r.kind, r.status, first_line(r.text)) for r in due_rows
        ),
        upcoming=tuple(
            DuePost(r.id, r.scheduled_at, r.kind, r.status, first_line(r.text))
            for r in upcoming_rows
        ),
        days=days,
        reminders_open=reminder_count,
        reminders=tuple(OpenReminder(r.id, r.due_at, r.message) for r in reminder_rows),
        posted_this_week=posted_this_week,
        planned_this_week=int(daily) * 7 + int(weekly),
        mix_sales=int(sales),
        mix_other=int(other),
        mix_days=mix_days,
        orders_this_week=this_orders,
        orders_last_week=last_orders,
        revenue_this_week=yuan(this_fen),
        revenue_last_week=yuan(last_fen),
        customers=customers(),
        new_customers=customers(Customer.created_at >= now - timedelta(days=7)),
        dormant_customers=dormant,
        dormant_days=dormant_days,
        accounts=accounts,
        slots_left_this_week=slots_left,
        next_due_at=next((r.scheduled_at for r in due_rows if r.scheduled_at > now), None),
    )


__all__ = [
    "SALES_KINDS",
    "TARGET_SALES_SHARE",
    "Dashboard",
    "DayFigures",
    "DuePost",
    "OpenReminder",
    "load_dashboard",
    "slots_ahead",
]
