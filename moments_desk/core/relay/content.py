"""What a relay serves: its posts, their export-quality pictures, and what the phone sends back.

Every state change goes through the use-cases the laptop uses (``publishing.mark_posted``);
screenshots are stored in the media store and attached to their post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures.export_settings import load_export_settings
from moments_desk.core.pictures.media import (
    check_image_data,
    media_file_path,
    register_media,
    store_image_data,
)
from moments_desk.core.planning import publishing
from moments_desk.core.planning.publishing import PublishError, PublishJob
from moments_desk.core.shared import uow
from moments_desk.db.models import (
    MediaFile,
    Post,
    PostAccount,
    PostScreenshot,
    PostStatus,
    WeChatAccount,
)

#: Posts a 今日 relay shows: still to post, and those already posted today (ticked).
TODAY_STATUSES = (PostStatus.SCHEDULED, PostStatus.DUE, PostStatus.POSTED)


@dataclass(frozen=True)
class RelayPost:
    """One post of a relay as the phone sees it; ``pictures`` are export-quality files."""

    job: PublishJob
    pictures: tuple[Path, ...]

    @property
    def post_id(self) -> int:
        return self.job.post_id


def find_account(session: Session, name: str) -> WeChatAccount | None:
    """An account by its label (as the seller names it) or by its id."""
    found = session.scalar(select(WeChatAccount).where(WeChatAccount.label == name))
    if found is None and name.isdigit():
        found = session.get(WeChatAccount, int(name))
    return found


def local_day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def todays_post_ids(session: Session, account_id: int, now: datetime, zone: tzinfo) -> list[int]:
    """Posts planned for the seller's today on one account, in posting order."""
    start, end = local_day_bounds(now.astimezone(zone).date(), zone)
    return list(
        session.scalars(
            select(Post.id)
            .join(PostAccount, PostAccount.post_id == Post.id)
            .where(
                PostAccount.account_id == account_id,
                Post.status.in_(TODAY_STATUSES),
                Post.scheduled_at >= start,
                Post.scheduled_at < end,
            )
            .order_by(Post.scheduled_at, Post.id)
        )
    )


def load_relay_posts(
    sessions: sessionmaker[Session],
    post_ids: list[int],
    media_root: Path,
    folder: Path,
) -> list[RelayPost]:
    """Each post with its pictures exported once into ``folder`` by the publish helper's own
    export (size, watermark, price tag from the seller's settings)."""
    settings = uow.read(sessions, load_export_settings)
    posts = []
    for post_id in post_ids:
        job = reload_job(sessions, post_id, media_root)
        pictures = publishing.export_images(job, folder / str(post_id), settings)
        posts.append(RelayPost(job, tuple(pictures)))
    return posts


def reload_job(sessions: sessionmaker[Session], post_id: int, media_root: Path) -> PublishJob:
    """The post's current state (posted per account), read fresh for every page."""
    return uow.read(sessions, lambda s: publishing.load_job(s, post_id, media_root))


@dataclass(frozen=True)
class PostedOutcome:
    #: "posted": recorded now; "already": it was recorded before (a double tap).
    state: str
    #: Every account of the post is now posted.
    finished: bool
    account_label: str


def record_posted(
    sessions: sessionmaker[Session],
    post_id: int,
    account_id: int | None,
    by: int | None,
    at: datetime,
) -> PostedOutcome:
    """我已发布 from the phone: the laptop's own ``mark_posted`` (one transaction, audited).

    A second tap, or two taps racing on two server threads, finds the account already
    posted and changes nothing; PublishError("closed") means skipped or gone.
    """

    def label_of(s: Session) -> str:
        if account_id is None:
            return ""
        return s.scalar(select(WeChatAccount.label).where(WeChatAccount.id == account_id)) or ""

    def already(s: Session) -> PostedOutcome | None:
        post = s.get(Post, post_id)
        if post is None:
            raise PublishError("gone", post_id)
        if account_id is None:
            posted = post.status == PostStatus.POSTED
        else:
            posted_at = s.scalar(
                select(PostAccount.posted_at).where(
                    PostAccount.post_id == post_id, PostAccount.account_id == account_id
                )
            )
            posted = posted_at is not None
        if not posted:
            return None
        return PostedOutcome("already", post.status == PostStatus.POSTED, label_of(s))

    before = uow.read(sessions, already)
    if before is not None:
        return before

    def write(s: Session) -> PostedOutcome:
        finished = publishing.mark_posted(s, post_id, account_id, by, at)
        return PostedOutcome("posted", finished, label_of(s))

    try:
        return uow.write(sessions, write)
    except PublishError as error:
        raced = uow.read(sessions, already) if error.code == "closed" else None
        if raced is None:
            raise
        return raced


@dataclass(frozen=True)
class Screenshot:
    path: Path
    size_bytes: int
    created_at: datetime
    source: str


def post_screenshots(session: Session, media_root: Path, post_id: int) -> list[Screenshot]:
    """The screenshots attached to a post, in the order they arrived."""
    rows = session.execute(
        select(
            MediaFile.rel_path,
            PostScreenshot.size_bytes,
            PostScreenshot.created_at,
            PostScreenshot.source,
        )
        .join(MediaFile, MediaFile.id == PostScreenshot.media_id)
        .where(PostScreenshot.post_id == post_id)
        .order_by(PostScreenshot.id)
    ).all()
    return [Screenshot(media_file_path(media_root, r[0]), r[1], r[2], r[3]) for r in rows]


def screenshot_paths(session: Session, media_root: Path, post_id: int) -> list[Path]:
    """Paths of a post's screenshots in upload order (what the screenshot reader reads)."""
    return [shot.path for shot in post_screenshots(session, media_root, post_id)]


def check_screenshots(files: list[tuple[str, bytes]]) -> None:
    """The import's picture checks on every file, before anything is written."""
    for name, data in files:
        check_image_data(Path(name or "upload"), data)


def attach_screenshots(
    sessions: sessionmaker[Session],
    media_root: Path,
    post_id: int,
    files: list[tuple[str, bytes]],
    source: str,
    at: datetime,
) -> int:
    """Store checked screenshots and attach them to the post in one transaction.

    Returns how many are new to this post (the same picture sent twice is kept once).
    Raises ImageRejected before writing anything when any file is not a usable picture.
    """
    check_screenshots(files)
    stored = [store_image_data(Path(name or "upload"), data, media_root) for name, data in files]

    def write(s: Session) -> int:
        if s.get(Post, post_id) is None:
            raise PublishError("gone", post_id)
        added = 0
        for picture, (_, data) in zip(stored, files, strict=True):
            media = register_media(s, picture)
            exists = s.scalar(
                select(PostScreenshot.id).where(
                    PostScreenshot.post_id == post_id, PostScreenshot.media_id == media.id
                )
            )
            if exists is None:
                s.add(
                    PostScreenshot(
                        post_id=post_id,
                        media_id=media.id,
                        size_bytes=len(data),
                        source=source,
                        created_at=at,
                    )
                )
                s.flush()
                added += 1
        return added

    return uow.write(sessions, write)
