"""Cadence slots, posts with their images/products/accounts, draws and reminders."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moments_desk.db.models.base import Base, Timestamped
from moments_desk.db.models.enums import (
    AudienceMode,
    PostKind,
    PostStatus,
    ReminderKind,
    ReminderState,
)
from moments_desk.db.types import UTCDateTime, enum_column, utcnow


class CadenceSlot(Base):
    """A weekly slot such as "Tue 20:00 new arrivals"; weekday None means every day."""

    __tablename__ = "cadence_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("wechat_account.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int | None] = mapped_column(SmallInteger)  # 0 = Monday
    time_of_day: Mapped[time] = mapped_column(Time)
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind))
    label: Mapped[str] = mapped_column(String(60), default="")
    category: Mapped[str | None] = mapped_column(String(60))
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tag.id", ondelete="SET NULL"))
    template: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the cadence report counts the slot's occurrences from here (migration 0009)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)


post_audience_tag = Table(
    "post_audience_tag",
    Base.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Post(Timestamped, Base):
    __tablename__ = "post"
    __table_args__ = (Index("ix_post_status_scheduled", "status", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PostStatus] = mapped_column(enum_column(PostStatus), default=PostStatus.DRAFT)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    skip_reason: Mapped[str] = mapped_column(Text, default="")
    audience_mode: Mapped[AudienceMode] = mapped_column(
        enum_column(AudienceMode), default=AudienceMode.EVERYONE
    )
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("cadence_slot.id", ondelete="SET NULL"), index=True
    )
    auto_drafted: Mapped[bool] = mapped_column(Boolean, default=False)
    edited_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    review_comment: Mapped[str] = mapped_column(Text, default="")
    #: Why the seller scheduled wording WeChat forbids anyway ("" = no override).
    wording_override: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set atomically by the machine that shows the reminder, so a team sees it once.
    reminder_claimed_by: Mapped[str | None] = mapped_column(String(120))
    reminder_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: bumped by every ORM save; a save from a stale copy fails instead of overwriting (0011)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    accounts: Mapped[list[PostAccount]] = relationship(cascade="all, delete-orphan")
    images: Mapped[list[PostImage]] = relationship(
        order_by="PostImage.position", cascade="all, delete-orphan"
    )
    products: Mapped[list[PostProduct]] = relationship(
        order_by="PostProduct.position", cascade="all, delete-orphan"
    )


class PostAccount(Base):
    """A post goes out on one or several WeChat accounts, each posted by hand."""

    __tablename__ = "post_account"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("wechat_account.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PostImage(Base):
    __tablename__ = "post_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media_file.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)


class PostProduct(Base):
    __tablename__ = "post_product"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Draw(Timestamped, Base):
    """A verifiable random draw among a post's commenters or likers."""

    __tablename__ = "draw"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    pool: Mapped[str] = mapped_column(String(20))
    winners_count: Mapped[int] = mapped_column(Integer)
    seed: Mapped[str] = mapped_column(String(64))
    exclude_days: Mapped[int | None] = mapped_column(Integer)
    winner_ids: Mapped[str] = mapped_column(Text, default="")


def reminder_key(
    kind: str,
    due_at: datetime,
    *,
    post_id: int | None = None,
    customer_id: int | None = None,
    order_id: int | None = None,
) -> str:
    """What makes a reminder the same reminder, as one string the database keeps unique.

    Two laptops deriving the same follow-up compute the same key, so the second insert is
    skipped by the database (``ux_reminder_dedupe_key``) instead of showing it twice. An
    order is reminded of once per kind whatever the day, so two laptops whose clocks
    disagree around midnight still agree; everything else is keyed by its time (UTC).
    """
    if order_id is not None and kind in ("unpaid_order", "shipped_unconfirmed"):
        return f"{kind}:order={order_id}"
    at = due_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{kind}:post={post_id}:customer={customer_id}:order={order_id}:at={at}"


class Reminder(Timestamped, Base):
    """Something to tell the seller at a time; the scheduler only mirrors these rows."""

    __tablename__ = "reminder"
    __table_args__ = (
        Index("ix_reminder_state_due", "state", "due_at"),
        Index("ux_reminder_dedupe_key", "dedupe_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[ReminderState] = mapped_column(
        enum_column(ReminderState), default=ReminderState.PENDING
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: ``reminder_key(...)``: unique, so a reminder two laptops derive is stored once (0011)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))


class PostScreenshot(Base):
    """A screenshot of a posted post's likes and comments, sent from the phone.

    The file lives once in the media store (``media_id``), so backups and the integrity
    check cover it like any picture; ``position`` keeps the order the phone sent them in.
    """

    __tablename__ = "post_screenshot"
    __table_args__ = (UniqueConstraint("post_id", "media_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media_file.id", ondelete="RESTRICT"))
    size_bytes: Mapped[int] = mapped_column(Integer)
    #: Where it came from: "phone" (the relay page) or "file" (picked on the laptop).
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
