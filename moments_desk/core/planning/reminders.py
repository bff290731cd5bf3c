"""Reminders in the database: post timings, atomic claims, generic reminders, due lists.

Every notice is won by a conditional UPDATE, so on a team database each reminder is shown
on one machine only, and on one machine a replayed timer shows nothing twice:

- "N minutes before": ``UPDATE post SET reminder_claimed_by=:me WHERE ... IS NULL``
- "due now": ``UPDATE post SET status='due' WHERE status='scheduled' AND scheduled_at<=:now``
- other reminders: ``UPDATE reminder SET state='fired' WHERE state='pending'``

A due post stays ``due`` (in the due-now panel) until it is posted, skipped or rescheduled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Table, func, or_, select, update
from sqlalchemy.orm import Session

from moments_desk.core.shared.insert_once import insert_once
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.shop_settings import get_setting, set_setting
from moments_desk.core.shared.uow import affected
from moments_desk.core.team import approval, audit
from moments_desk.db.models import Post, PostStatus, Reminder, ReminderKind, ReminderState
from moments_desk.db.models.posts import reminder_key
from moments_desk.scheduling.reconcile import (
    MAX_TIMERS,
    MISSED_AFTER,
    Action,
    ActionKind,
    Plan,
    PostTiming,
    ReminderTiming,
    plan,
)

LEAD_KEY = "reminders.lead_minutes"
DEFAULT_LEAD_MINUTES = 15
PREVIEW_CHARS = 60


def lead_minutes(session: Session) -> int:
    value = get_setting(session, LEAD_KEY, DEFAULT_LEAD_MINUTES)
    return value if isinstance(value, int) and 0 <= value <= 24 * 60 else DEFAULT_LEAD_MINUTES


def set_lead_minutes(session: Session, minutes: int, by: int | None) -> None:
    if not 0 <= minutes <= 24 * 60:
        raise ValueError(QT_TRANSLATE_NOOP("Reminders", "lead must be between 0 and 1440 minutes"))
    set_setting(session, LEAD_KEY, minutes)
    audit.record(session, by, "change", "setting", None, f"{LEAD_KEY}={minutes}")


def load_plan(session: Session, now: datetime) -> Plan:
    """Everything due (or inside the lead window) plus the earliest future timings.

    Later rows cannot change the plan (only the earliest ``MAX_TIMERS`` are armed), so they
    are not read: a year of scheduled posts costs no more than a week.
    """
    lead = timedelta(minutes=lead_minutes(session))
    columns = select(Post.id, Post.scheduled_at, Post.reminder_claimed_by).where(
        Post.status == PostStatus.SCHEDULED, Post.scheduled_at.is_not(None)
    )
    soon = columns.where(Post.scheduled_at <= now + lead)
    future = (
        columns.where(Post.scheduled_at > now + lead)
        .order_by(Post.scheduled_at, Post.id)
        .limit(MAX_TIMERS)
    )
    posts = [
        PostTiming(post_id, scheduled_at, claimed is not None)
        for query in (soon, future)
        for post_id, scheduled_at, claimed in session.execute(query)
        if scheduled_at is not None
    ]
    pending = select(Reminder.id, Reminder.due_at).where(Reminder.state == ReminderState.PENDING)
    reminder_rows = [
        ReminderTiming(reminder_id, due_at)
        for query in (
            pending.where(Reminder.due_at <= now),
            pending.where(Reminder.due_at > now)
            .order_by(Reminder.due_at, Reminder.id)
            .limit(MAX_TIMERS),
        )
        for reminder_id, due_at in session.execute(query)
    ]
    return plan(now, posts, reminder_rows, lead)


@dataclass(frozen=True)
class Notice:
    """One reminder this machine won and should show (tray, panel)."""

    kind: ActionKind
    target_id: int
    when: datetime
    text: str
    missed: bool = False
    reminder_kind: ReminderKind | None = None


def preview(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= PREVIEW_CHARS else first[: PREVIEW_CHARS - 1] + "…"


def claim_post_soon(session: Session, post_id: int, me: str, now: datetime) -> bool:
    done = session.execute(
        update(Post)
        .where(
            Post.id == post_id,
            Post.status == PostStatus.SCHEDULED,
            Post.reminder_claimed_by.is_(None),
        )
        .values(reminder_claimed_by=me, reminder_claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return affected(done) == 1


def release_post_reminders(session: Session, post_id: int) -> None:
    """Forget that this post's reminders were shown: call when its time changes, so the
    "N minutes before" notice is shown again for the new time."""
    session.execute(
        update(Post)
        .where(Post.id == post_id, Post.status == PostStatus.SCHEDULED)
        .values(reminder_claimed_by=None, reminder_claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def claim_post_due(session: Session, post_id: int, me: str, now: datetime) -> bool:
    done = session.execute(
        update(Post)
        .where(
            Post.id == post_id,
            Post.status == PostStatus.SCHEDULED,
            Post.scheduled_at <= now,
        )
        .values(status=PostStatus.DUE, reminder_claimed_by=me, reminder_claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return affected(done) == 1


def claim_reminder(session: Session, reminder_id: int, me: str, now: datetime) -> bool:
    done = session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.state == ReminderState.PENDING,
            Reminder.due_at <= now,
        )
        .values(state=ReminderState.FIRED, claimed_by=me, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return affected(done) == 1


def apply_actions(session: Session, actions: list[Action], me: str, now: datetime) -> list[Notice]:
    """Make the claims; return the notices this machine won, in time order."""
    notices = []
    for action in actions:
        if action.kind == ActionKind.POST_SOON:
            won = claim_post_soon(session, action.target_id, me, now)
        elif action.kind == ActionKind.POST_DUE:
            won = claim_post_due(session, action.target_id, me, now)
        else:
            won = claim_reminder(session, action.target_id, me, now)
        if not won:
            continue
        if action.kind == ActionKind.REMINDER:
            reminder = session.get(Reminder, action.target_id)
            assert reminder is not None
            notices.append(
                Notice(
                    action.kind,
                    reminder.id,
                    reminder.due_at,
                    reminder.message,
                    reminder_kind=reminder.kind,
                )
            )
            continue
        row = session.execute(
            select(Post.scheduled_at, Post.text).where(Post.id == action.target_id)
        ).one()
        notices.append(
            Notice(action.kind, action.target_id, row[0] or now, preview(row[1]), action.missed)
        )
    notices.sort(key=lambda n: (n.when, n.target_id))
    return notices


def reconcile_once(
    session: Session, now: datetime, me: str
) -> tuple[dict[str, datetime], list[Notice]]:
    """One reconcile pass: claim what is due now, return the timers for what is not yet."""
    wanted = load_plan(session, now)
    notices = apply_actions(session, wanted.actions, me, now)
    return wanted.timers, notices


# -- generic reminders (birthdays, unpaid orders, dormant customers, ...) ----------------------


def add_reminder(
    session: Session,
    kind: ReminderKind,
    due_at: datetime,
    message: str,
    *,
    post_id: int | None = None,
    customer_id: int | None = None,
    order_id: int | None = None,
    key: str | None = None,
) -> int:
    """Add a reminder, or return the existing one for the same thing at the same time.

    Other areas call this inside their own transaction; the scheduler picks it up on the
    next reconcile.
    """
    dedupe_key = key or reminder_key(
        kind.value, due_at, post_id=post_id, customer_id=customer_id, order_id=order_id
    )
    new_id = store_reminder(
        session,
        kind,
        due_at,
        message,
        post_id=post_id,
        customer_id=customer_id,
        order_id=order_id,
        key=dedupe_key,
    )
    if new_id is not None:
        return new_id
    return session.scalars(select(Reminder.id).where(Reminder.dedupe_key == dedupe_key)).one()


def store_reminder(
    session: Session,
    kind: ReminderKind,
    due_at: datetime,
    message: str,
    *,
    post_id: int | None = None,
    customer_id: int | None = None,
    order_id: int | None = None,
    key: str | None = None,
) -> int | None:
    """Store a reminder unless the same one is stored already; its id, or None if it was.

    ``key`` says what makes it the same reminder (default: ``reminder_key`` of the rest).
    The database keeps keys unique and the insert skips a conflict, so two laptops adding
    the same reminder at the same moment store it once and neither transaction fails.
    """
    if due_at.tzinfo is None:
        raise ValueError(QT_TRANSLATE_NOOP("Reminders", "a reminder needs a timezone-aware time"))
    table = Reminder.__table__
    assert isinstance(table, Table)
    return insert_once(
        session,
        table,
        {
            "kind": kind,
            "due_at": due_at,
            "message": message,
            "post_id": post_id,
            "customer_id": customer_id,
            "order_id": order_id,
            "state": ReminderState.PENDING,
            "dedupe_key": key
            or reminder_key(
                kind.value, due_at, post_id=post_id, customer_id=customer_id, order_id=order_id
            ),
        },
        ["dedupe_key"],
    )


@dataclass(frozen=True)
class ReminderRow:
    id: int
    kind: ReminderKind
    due_at: datetime
    message: str
    state: ReminderState
    customer_id: int | None
    order_id: int | None
    post_id: int | None


def due_reminders(session: Session, now: datetime) -> list[ReminderRow]:
    """Reminders whose time has come and that nobody dismissed yet, oldest first."""
    query = (
        select(Reminder)
        .where(Reminder.state != ReminderState.DISMISSED, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
    )
    return [
        ReminderRow(
            r.id, r.kind, r.due_at, r.message, r.state, r.customer_id, r.order_id, r.post_id
        )
        for r in session.scalars(query)
    ]


def dismiss_reminder(session: Session, reminder_id: int, by: int | None) -> bool:
    done = session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.state != ReminderState.DISMISSED)
        .values(state=ReminderState.DISMISSED)
    )
    if affected(done):
        audit.record(session, by, "dismiss", "reminder", reminder_id)
    return affected(done) == 1


# -- posts that are due ------------------------------------------------------------------------


@dataclass(frozen=True)
class DuePost:
    id: int
    scheduled_at: datetime
    text: str
    missed: bool
    claimed_by: str | None


def due_posts(session: Session) -> list[DuePost]:
    query = (
        select(
            Post.id,
            Post.scheduled_at,
            Post.text,
            Post.reminder_claimed_at,
            Post.reminder_claimed_by,
        )
        .where(Post.status == PostStatus.DUE)
        .order_by(Post.scheduled_at, Post.id)
    )
    rows = []
    for post_id, scheduled_at, text, claimed_at, claimed_by in session.execute(query):
        when = scheduled_at or claimed_at or datetime.min.replace(tzinfo=UTC)
        missed = bool(scheduled_at and claimed_at and claimed_at - scheduled_at > MISSED_AFTER)
        rows.append(DuePost(post_id, when, preview(text), missed, claimed_by))
    return rows


class AwaitingPost(NamedTuple):
    """An assistant's post waiting for the owner, as the due-now panel lists it."""

    post_id: int
    scheduled_at: datetime | None
    text: str


def awaiting_posts(session: Session) -> list[AwaitingPost]:
    """Posts waiting for approval, in ``approval.awaiting_approval``'s order."""
    ids = approval.awaiting_approval(session)
    rows = session.execute(
        select(Post.id, Post.scheduled_at, Post.text).where(Post.id.in_(ids))
    ).all()
    by_id = {r[0]: AwaitingPost(r[0], r[1], preview(r[2])) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def change_marker(session: Session) -> tuple[object, ...]:
    """A cheap fingerprint of posts and reminders: when it changes, someone wrote."""
    posts = session.execute(select(func.max(Post.updated_at), func.count(Post.id))).one()
    reminders = session.execute(
        select(func.max(Reminder.updated_at), func.count(Reminder.id))
    ).one()
    due = session.scalar(
        select(func.count(Post.id)).where(
            or_(Post.status == PostStatus.DUE, Post.status == PostStatus.AWAITING_APPROVAL)
        )
    )
    return (*posts, *reminders, due)
