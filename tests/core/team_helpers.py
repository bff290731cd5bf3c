"""Rows for the reminder, publishing and approval tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.shared import uow
from moments_desk.db.models import Post, PostAccount, PostKind, PostStatus, WeChatAccount


def add_post(
    sessions: sessionmaker[Session],
    at: datetime | None,
    text: str = "周二上新：雾霾蓝连衣裙",
    status: PostStatus = PostStatus.SCHEDULED,
    accounts: list[str] | None = None,
    author_id: int | None = None,
) -> int:
    def work(s: Session) -> int:
        post = Post(
            kind=PostKind.NEW_ARRIVAL,
            text=text,
            status=status,
            scheduled_at=at,
            author_id=author_id,
        )
        s.add(post)
        s.flush()
        for label in accounts or []:
            account = WeChatAccount(label=label)
            s.add(account)
            s.flush()
            s.add(PostAccount(post_id=post.id, account_id=account.id))
        return post.id

    return uow.write(sessions, work)


def post_status(sessions: sessionmaker[Session], post_id: int) -> PostStatus:
    def work(s: Session) -> PostStatus:
        post = s.get(Post, post_id)
        assert post is not None
        return post.status

    return uow.read(sessions, work)
