"""The publish helper's use-cases: what to post, pictures in order, posted / skipped.

The app never touches WeChat. It prepares the text and the pictures; the seller posts from
her phone and then records it here, per WeChat account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moments_desk.core.pictures.image_export import ExportSettings, export_pictures
from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.pictures.shared_store import ensure_local
from moments_desk.core.shared.uow import affected
from moments_desk.core.team import approval, audit
from moments_desk.db.models import (
    AudienceMode,
    MediaFile,
    Post,
    PostAccount,
    PostImage,
    PostKind,
    PostStatus,
    Tag,
    WeChatAccount,
    post_audience_tag,
)

#: Posts the helper can record as posted or skipped.
OPEN_STATUSES = (PostStatus.SCHEDULED, PostStatus.DUE)


class PublishError(Exception):
    """``code``: gone, closed (already posted/skipped), reason_missing, in_past, no_images."""

    def __init__(self, code: str, post_id: int, detail: str = "") -> None:
        super().__init__(f"{code}: post {post_id} {detail}".strip())
        self.code = code
        self.post_id = post_id
        self.detail = detail


@dataclass(frozen=True)
class AccountTarget:
    account_id: int
    label: str
    posted_at: datetime | None


@dataclass(frozen=True)
class PublishJob:
    post_id: int
    kind: PostKind
    status: PostStatus
    text: str
    scheduled_at: datetime | None
    audience_mode: AudienceMode
    audience_tags: list[str]
    accounts: list[AccountTarget]
    images: list[Path]  # in posting order; at most 9


def load_job(session: Session, post_id: int, media_root: Path) -> PublishJob:
    post = session.get(Post, post_id)
    if post is None:
        raise PublishError("gone", post_id)
    tags = list(
        session.scalars(
            select(Tag.name)
            .join(post_audience_tag, post_audience_tag.c.tag_id == Tag.id)
            .where(post_audience_tag.c.post_id == post_id)
            .order_by(Tag.name)
        )
    )
    accounts = [
        AccountTarget(account_id, label, posted_at)
        for account_id, label, posted_at in session.execute(
            select(PostAccount.account_id, WeChatAccount.label, PostAccount.posted_at)
            .join(WeChatAccount, WeChatAccount.id == PostAccount.account_id)
            .where(PostAccount.post_id == post_id)
            .order_by(WeChatAccount.label)
        )
    ]
    ensure_local(
        session,
        session.scalars(select(PostImage.media_id).where(PostImage.post_id == post_id)),
        media_root,
    )
    images = [
        media_file_path(media_root, rel)
        for rel in session.scalars(
            select(MediaFile.rel_path)
            .join(PostImage, PostImage.media_id == MediaFile.id)
            .where(PostImage.post_id == post_id)
            .order_by(PostImage.position)
        )
    ][:9]
    return PublishJob(
        post.id,
        post.kind,
        post.status,
        post.text,
        post.scheduled_at,
        post.audience_mode,
        tags,
        accounts,
        images,
    )


def export_images(job: PublishJob, target_dir: Path, settings: ExportSettings) -> list[Path]:
    """The post's pictures resized and marked per the export settings, numbered 1–9.

    Old files from an earlier export of the same post are removed first, so the folder
    never shows a stale tenth picture or an old order.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    stem = f"post{job.post_id}"
    for old in target_dir.glob(f"{stem}-*.jpg"):
        old.unlink()
    missing = [p for p in job.images if not p.exists()]
    if missing:
        raise PublishError("image_missing", job.post_id, str(missing[0]))
    return export_pictures(job.images, target_dir, settings, stem)


def _open_post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise PublishError("gone", post_id)
    if post.status not in OPEN_STATUSES:
        raise PublishError("closed", post_id, post.status.value)
    return post


def mark_posted(
    session: Session,
    post_id: int,
    account_id: int | None,
    by: int | None,
    at: datetime,
) -> bool:
    """Record that the seller posted it on one account (``account_id``) or on every account
    still waiting (None). Returns True when the whole post is now posted. One transaction:
    the account's time, the post's status and the audit entry are committed together or not
    at all, so a crash cannot leave half a record.
    A second click on the same account changes nothing (conditional UPDATE).
    """
    post = _open_post(session, post_id)
    label = ""
    if account_id is not None:
        done = session.execute(
            update(PostAccount)
            .where(
                PostAccount.post_id == post_id,
                PostAccount.account_id == account_id,
                PostAccount.posted_at.is_(None),
            )
            .values(posted_at=at)
            .execution_options(synchronize_session=False)
        )
        if affected(done) != 1:
            raise PublishError("closed", post_id, f"account {account_id}")
        label = (
            session.scalar(select(WeChatAccount.label).where(WeChatAccount.id == account_id)) or ""
        )
    else:
        session.execute(
            update(PostAccount)
            .where(PostAccount.post_id == post_id, PostAccount.posted_at.is_(None))
            .values(posted_at=at)
            .execution_options(synchronize_session=False)
        )
    waiting = session.scalar(
        select(PostAccount.account_id).where(
            PostAccount.post_id == post_id, PostAccount.posted_at.is_(None)
        )
    )
    finished = waiting is None
    if finished:
        post.status = PostStatus.POSTED
        post.posted_at = at
    audit.record(session, by, "post", "post", post_id, label, at=at)
    return finished


def skip_post(session: Session, post_id: int, reason: str, by: int | None, at: datetime) -> None:
    reason = reason.strip()
    if not reason:
        raise PublishError("reason_missing", post_id)
    post = _open_post(session, post_id)
    post.status = PostStatus.SKIPPED
    post.skip_reason = reason
    audit.record(session, by, "skip", "post", post_id, reason, at=at)


def reschedule_post(
    session: Session, post_id: int, when: datetime, by: int | None, now: datetime
) -> None:
    """Back to scheduled at a new time; its reminders will be shown again then."""
    if when <= now:
        raise PublishError("in_past", post_id)
    post = _open_post(session, post_id)
    before = post.scheduled_at
    post.status = PostStatus.SCHEDULED
    post.scheduled_at = when
    post.reminder_claimed_by = None
    post.reminder_claimed_at = None
    audit.record(session, by, "reschedule", "post", post_id, when.isoformat(), at=now)
    # A new time is a change the owner's approval did not cover.
    approval.resubmit_if_changed(session, post, by, ["time"] if when != before else [])
