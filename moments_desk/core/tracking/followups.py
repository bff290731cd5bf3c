"""Who to follow up with today: unpaid orders, parcels not confirmed, quiet friends, birthdays.

Plain rows, so the Tracking page, the reminders (their kinds are ``ReminderKind`` values)
and the dashboard can all use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import and_, func, or_, select, tuple_, union_all
from sqlalchemy.orm import Session

from moments_desk.core.customers.birthdays import Birthday, birthdays_between
from moments_desk.core.planning.reminders import store_reminder
from moments_desk.core.shared.money import format_price
from moments_desk.db.models import (
    Customer,
    CustomerStage,
    Interaction,
    Order,
    OrderStatus,
    Reminder,
    ReminderKind,
)


@dataclass(frozen=True)
class FollowUpSettings:
    unpaid_hours: int = 24
    shipped_days: int = 7
    dormant_days: int = 60
    birthday_days: int = 7
    #: rows per kind at most: a "today" list longer than this is not read anyway
    limit: int = 50


@dataclass(frozen=True)
class FollowUp:
    kind: ReminderKind
    customer_id: int | None
    customer_name: str
    #: when the thing to follow up started: order created/shipped, last contact, birthday
    since: datetime | None
    order_id: int | None = None
    amount: Decimal | None = None
    birthday: date | None = None
    lunar: bool = False


def _name(remark: str | None, nickname: str | None) -> str:
    return remark or nickname or "—"


def follow_ups(
    session: Session,
    now: datetime,
    zone: tzinfo,
    settings: FollowUpSettings = FollowUpSettings(),
) -> list[FollowUp]:
    """Everything to follow up on at ``now``, most urgent kind first, oldest first within."""
    rows: list[FollowUp] = []
    unpaid_before = now - timedelta(hours=settings.unpaid_hours)
    for r in session.execute(
        select(
            Order.id,
            Order.customer_id,
            Order.created_at,
            Order.total,
            Customer.remark,
            Customer.nickname,
        )
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(Order.status == OrderStatus.AWAITING_PAYMENT, Order.created_at <= unpaid_before)
        .order_by(Order.created_at)
        .limit(settings.limit)
    ):
        rows.append(
            FollowUp(
                ReminderKind.UNPAID_ORDER,
                r.customer_id,
                _name(r.remark, r.nickname),
                r.created_at,
                r.id,
                r.total,
            )
        )
    shipped_before = now - timedelta(days=settings.shipped_days)
    for s in session.execute(
        select(
            Order.id,
            Order.customer_id,
            Order.shipped_at,
            Order.total,
            Customer.remark,
            Customer.nickname,
        )
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(Order.status == OrderStatus.SHIPPED, Order.shipped_at <= shipped_before)
        .order_by(Order.shipped_at)
        .limit(settings.limit)
    ):
        rows.append(
            FollowUp(
                ReminderKind.SHIPPED_UNCONFIRMED,
                s.customer_id,
                _name(s.remark, s.nickname),
                s.shipped_at,
                s.id,
                s.total,
            )
        )
    rows += _dormant(session, now, settings)
    rows += _birthdays(session, now, zone, settings)
    return rows


def _dormant(session: Session, now: datetime, settings: FollowUpSettings) -> list[FollowUp]:
    """Buyers (stage customer and up) with no like, comment, chat or order for N days;
    the ones who went quiet most recently first: they are the easiest to win back."""
    contacts = union_all(
        select(Interaction.customer_id.label("cid"), Interaction.occurred_at.label("at")),
        select(Order.customer_id.label("cid"), Order.created_at.label("at")).where(
            Order.customer_id.is_not(None)
        ),
    ).subquery()
    last = (
        select(contacts.c.cid, func.max(contacts.c.at).label("last"))
        .group_by(contacts.c.cid)
        .subquery()
    )
    since = now - timedelta(days=settings.dormant_days)
    result = session.execute(
        select(Customer.id, Customer.remark, Customer.nickname, last.c.last)
        .join(last, last.c.cid == Customer.id)
        .where(Customer.stage != CustomerStage.PROSPECT, last.c.last < since)
        .order_by(last.c.last.desc())
        .limit(settings.limit)
    )
    return [
        FollowUp(ReminderKind.DORMANT_CUSTOMER, r.id, _name(r.remark, r.nickname), _aware(r.last))
        for r in result
    ]


def _aware(value: datetime | None) -> datetime | None:
    # MAX() over a union loses the column type on SQLite: the UTC value comes back naive.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _birthdays(
    session: Session, now: datetime, zone: tzinfo, settings: FollowUpSettings
) -> list[FollowUp]:
    today = now.astimezone(zone).date()
    solar, lunar = birthdays_between(today, today + timedelta(days=settings.birthday_days))
    conditions = [
        and_(
            Customer.birthday_lunar.is_(False),
            tuple_(Customer.birthday_month, Customer.birthday_day).in_(sorted(solar)),
        )
    ]
    if lunar:
        conditions.append(
            and_(
                Customer.birthday_lunar.is_(True),
                tuple_(
                    Customer.birthday_month, Customer.birthday_day, Customer.birthday_leap_month
                ).in_(sorted(lunar)),
            )
        )
    found = []
    next_dates: dict[tuple[int, int, bool, bool], date] = {}
    for r in session.execute(
        select(
            Customer.id,
            Customer.remark,
            Customer.nickname,
            Customer.birthday_month,
            Customer.birthday_day,
            Customer.birthday_year,
            Customer.birthday_lunar,
            Customer.birthday_leap_month,
        )
        # The month list first lets SQLite seek the birthday index instead of testing row
        # values on every customer (270 ms → a few ms at 50,000 customers).
        .where(
            Customer.birthday_month.in_(sorted({p[0] for p in solar} | {p[0] for p in lunar})),
            or_(*conditions),
        )
        .limit(settings.limit * 4)
    ):
        # Converting a lunar date costs milliseconds; the window holds only a few distinct
        # birthdays, so each is converted once (the birth year does not move the next one).
        key = (r.birthday_month, r.birthday_day, r.birthday_lunar, r.birthday_leap_month)
        when = next_dates.get(key)
        if when is None:
            when = next_dates[key] = Birthday(
                r.birthday_month,
                r.birthday_day,
                None,
                r.birthday_lunar,
                r.birthday_leap_month,
            ).next_occurrence(today)
        found.append(
            FollowUp(
                ReminderKind.BIRTHDAY,
                r.id,
                _name(r.remark, r.nickname),
                None,
                birthday=when,
                lunar=r.birthday_lunar,
            )
        )
    found.sort(key=lambda f: (f.birthday or today, f.customer_name))
    return found[: settings.limit]


def remind_follow_ups(
    session: Session,
    now: datetime,
    zone: tzinfo,
    settings: FollowUpSettings = FollowUpSettings(),
) -> int:
    """Feed today's follow-ups to the reminders (tray and due-now panel); returns how many
    reminders were added. Safe to call repeatedly: an order is reminded of once per kind, a
    quiet friend once per quiet spell, a birthday once, on the day itself at 09:00."""
    start_of_day = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    added = 0
    for item in follow_ups(session, now, zone, settings):
        due = (
            datetime.combine(item.birthday, time(9), tzinfo=zone)
            if item.birthday is not None
            else start_of_day
        ).astimezone(UTC)
        same = select(Reminder.id).where(Reminder.kind == item.kind)
        if item.order_id is not None:
            same = same.where(Reminder.order_id == item.order_id)
        elif item.kind is ReminderKind.DORMANT_CUSTOMER:
            quiet_since = now - timedelta(days=settings.dormant_days)
            same = same.where(
                Reminder.customer_id == item.customer_id, Reminder.due_at > quiet_since
            )
        else:
            same = same.where(Reminder.customer_id == item.customer_id, Reminder.due_at == due)
        if session.scalar(same.limit(1)) is not None:
            continue
        message = item.customer_name
        if item.amount is not None:
            message += f" · {format_price(item.amount)}"
        if item.birthday is not None:
            message += f" · {item.birthday:%m-%d}"
        key = None
        if item.kind is ReminderKind.DORMANT_CUSTOMER and item.since is not None:
            # One quiet spell is one reminder: the spell is named by its last contact, which
            # every laptop reads the same from the database, whatever its own clock says.
            since = item.since.astimezone(UTC)
            key = f"{item.kind.value}:customer={item.customer_id}:since={since:%Y-%m-%dT%H:%M:%S}"
        stored = store_reminder(
            session,
            item.kind,
            due,
            message,
            customer_id=item.customer_id,
            order_id=item.order_id,
            key=key,
        )
        added += stored is not None
    return added
