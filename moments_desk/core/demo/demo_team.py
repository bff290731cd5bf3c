"""The demo shop's team: an assistant, posts missed while the app was closed, a post
awaiting approval, a few reminders and an audit trail, so those screens show real data."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Connection, func, insert, select

from moments_desk.core.team.approval import APPROVAL_KEY
from moments_desk.core.team.users import hash_secret
from moments_desk.db.models import (
    AppSetting,
    AudienceMode,
    AuditEntry,
    Customer,
    Post,
    PostAccount,
    PostKind,
    PostStatus,
    Reminder,
    ReminderKind,
    ReminderState,
    User,
    UserRole,
)
from moments_desk.db.models.posts import reminder_key

OWNER_ID = 1
ASSISTANT_ID = 2
#: The demo assistant's PIN, shown in the README so testers can sign in as her.
ASSISTANT_PIN = "2468"


#: Local times for the demo's missed posts: awake hours, 2 h clear of the cadence (12:00,
#: 20:00, 21:00), and at most one of them a day, so no day holds more than three posts.
MISSED_TIMES = (time(9, 30), time(15, 0), time(17, 0))


def missed_times(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """Two moments in the past the seller missed: the latest allowed time at least half an
    hour ago, and one on the day before it."""
    today = now.astimezone(zone).date()
    candidates = [
        datetime.combine(today - timedelta(days=back), at, zone).astimezone(UTC)
        for back in (0, 1)
        for at in MISSED_TIMES
    ]
    recent = max(c for c in candidates if c <= now - timedelta(minutes=30))
    day_before = recent.astimezone(zone).date() - timedelta(days=1)
    earlier = datetime.combine(day_before, time(15, 0), zone).astimezone(UTC)
    return recent, earlier


def add_team_demo(
    conn: Connection, now: datetime, account_ids: list[int], zone: tzinfo = UTC
) -> None:
    conn.execute(
        insert(User),
        [
            {
                "id": ASSISTANT_ID,
                "name": "小林",
                "role": UserRole.ASSISTANT,
                "password_hash": hash_secret(ASSISTANT_PIN),
                "active": True,
                "created_at": now - timedelta(days=20),
                "updated_at": now - timedelta(days=20),
            }
        ],
    )
    first_id = int(conn.scalar(select(func.max(Post.id))) or 0) + 1
    just_missed, earlier = missed_times(now, zone)
    extra = [
        (
            earlier,
            PostKind.FEEDBACK,
            PostStatus.SCHEDULED,
            "【买家秀】杭州的陈姐穿上那件燕麦色开衫去西湖边拍照，说被同事追着问链接～谢谢陈姐的返图！",
            OWNER_ID,
        ),
        (
            just_missed,
            PostKind.LIFESTYLE,
            PostStatus.SCHEDULED,
            "降温了，出门记得多穿一件。今天分享一个小技巧：大衣里面配高领打底，显瘦又保暖。",
            OWNER_ID,
        ),
        (
            # 17:00, clear of the cadence; "now + 3 h" fell in the quiet hours for a late demo.
            datetime.combine(
                now.astimezone(zone).date() + timedelta(days=2), time(17), zone
            ).astimezone(UTC),
            PostKind.PROMOTION,
            PostStatus.AWAITING_APPROVAL,
            "周末福利｜羊毛围巾第二条半价，老顾客私聊我报暗号“暖冬”再送护手霜一支～",
            ASSISTANT_ID,
        ),
    ]
    posts, links, audit = [], [], []
    for offset, (when, kind, status, text, author) in enumerate(extra):
        post_id = first_id + offset
        posts.append(
            {
                "id": post_id,
                "kind": kind,
                "text": text,
                "status": status,
                "scheduled_at": when,
                "audience_mode": AudienceMode.EVERYONE,
                "author_id": author,
                "edited_by_person": True,
                "created_at": when - timedelta(days=2),
                "updated_at": when - timedelta(days=2),
            }
        )
        targets = account_ids if kind == PostKind.PROMOTION else account_ids[:1]
        links += [{"post_id": post_id, "account_id": a} for a in targets]
        audit.append(
            {
                "at": when - timedelta(days=2),
                "user_id": author,
                "action": "create",
                "entity_type": "post",
                "entity_id": post_id,
                "summary": text[:30],
            }
        )
    conn.execute(insert(Post), posts)
    conn.execute(insert(PostAccount), links)
    audit.append(
        {
            "at": now - timedelta(days=2, hours=1),
            "user_id": ASSISTANT_ID,
            "action": "submit",
            "entity_type": "post",
            "entity_id": first_id + 2,
            "summary": "",
        }
    )
    recent = conn.execute(
        select(Post.id, Post.posted_at)
        .where(Post.status == PostStatus.POSTED, Post.posted_at >= now - timedelta(days=7))
        .order_by(Post.posted_at)
    ).all()
    for index, (post_id, posted_at) in enumerate(recent):
        if posted_at is None:
            continue
        who = ASSISTANT_ID if index % 3 == 1 else OWNER_ID
        audit.append(
            {
                "at": posted_at,
                "user_id": who,
                "action": "post",
                "entity_type": "post",
                "entity_id": post_id,
                "summary": "主号",
            }
        )
        if who == ASSISTANT_ID:
            audit.append(
                {
                    "at": posted_at - timedelta(days=1),
                    "user_id": OWNER_ID,
                    "action": "approve",
                    "entity_type": "post",
                    "entity_id": post_id,
                    "summary": "",
                }
            )
    audit += [
        {
            "at": now - timedelta(days=3, hours=5),
            "user_id": ASSISTANT_ID,
            "action": "sign_in_failed",
            "entity_type": "user",
            "entity_id": ASSISTANT_ID,
            "summary": "小林",
        },
        {
            "at": now - timedelta(days=3, hours=5) + timedelta(seconds=20),
            "user_id": ASSISTANT_ID,
            "action": "sign_in",
            "entity_type": "user",
            "entity_id": ASSISTANT_ID,
            "summary": "小林",
        },
    ]
    conn.execute(insert(AuditEntry), audit)
    conn.execute(insert(AppSetting), [{"key": APPROVAL_KEY, "value": "true"}])
    customers = conn.execute(select(Customer.id, Customer.nickname).limit(2)).all()
    reminders: list[dict[str, Any]] = []
    if customers:
        reminders.append(
            {
                "kind": ReminderKind.BIRTHDAY,
                "due_at": now - timedelta(minutes=30),
                "state": ReminderState.PENDING,
                "customer_id": customers[0][0],
                "message": f"{customers[0][1]} 今天生日，发句祝福吧",
                "created_at": now - timedelta(days=1),
                "updated_at": now - timedelta(days=1),
            }
        )
    if len(customers) > 1:
        reminders.append(
            {
                "kind": ReminderKind.UNPAID_ORDER,
                "due_at": now + timedelta(hours=3),
                "state": ReminderState.PENDING,
                "customer_id": customers[1][0],
                "message": f"{customers[1][1]} 的订单拍下两天还没付款",
                "created_at": now - timedelta(days=1),
                "updated_at": now - timedelta(days=1),
            }
        )
    for row in reminders:  # keyed like every stored reminder, so a follow-up never repeats it
        row["dedupe_key"] = reminder_key(
            row["kind"].value, row["due_at"], customer_id=row["customer_id"]
        )
    if reminders:
        conn.execute(insert(Reminder), reminders)
