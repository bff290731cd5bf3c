"""Friend-customers, their addresses and their timeline of interactions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moments_desk.db.models.base import Base, Timestamped
from moments_desk.db.models.catalogue import Tag
from moments_desk.db.models.enums import (
    CustomerSource,
    CustomerStage,
    Gender,
    InteractionKind,
    Relationship,
)
from moments_desk.db.types import UTCDateTime, enum_column, utcnow

customer_tag = Table(
    "customer_tag",
    Base.metadata,
    Column("customer_id", ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Customer(Timestamped, Base):
    __tablename__ = "customer"
    __table_args__ = (
        UniqueConstraint("account_id", "wechat_id"),
        Index("ix_customer_birthday", "birthday_month", "birthday_day"),
        Index("ix_customer_created", "created_at", "account_id"),
        # Covers the search scan and its default order (migration 0005).
        Index("ix_customer_search", "search_text", "updated_at"),
        # The default order, newest change first, without sorting; with the search text a
        # typed search stops at its first page of matches (migration 0014).
        Index("ix_customer_recent", "updated_at", "id", "search_text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("wechat_account.id", ondelete="RESTRICT"), index=True
    )
    wechat_id: Mapped[str | None] = mapped_column(String(60))
    nickname: Mapped[str] = mapped_column(String(100), default="")
    remark: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    gender: Mapped[Gender] = mapped_column(enum_column(Gender), default=Gender.UNKNOWN)
    # Birthdays may be lunar (农历) and often come without a year.
    birthday_year: Mapped[int | None] = mapped_column(SmallInteger)
    birthday_month: Mapped[int | None] = mapped_column(SmallInteger)
    birthday_day: Mapped[int | None] = mapped_column(SmallInteger)
    birthday_lunar: Mapped[bool] = mapped_column(Boolean, default=False)
    birthday_leap_month: Mapped[bool] = mapped_column(Boolean, default=False)
    city: Mapped[str] = mapped_column(String(60), default="")
    relationship_kind: Mapped[Relationship] = mapped_column(
        "relationship", enum_column(Relationship), default=Relationship.CUSTOMER
    )
    stage: Mapped[CustomerStage] = mapped_column(
        enum_column(CustomerStage), default=CustomerStage.PROSPECT, index=True
    )
    stage_set_by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[CustomerSource] = mapped_column(
        enum_column(CustomerSource), default=CustomerSource.UNKNOWN
    )
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    consent_note: Mapped[str] = mapped_column(Text, default="")
    consent_date: Mapped[date | None] = mapped_column(Date)
    #: She allowed her comments and photos to be shown as 买家秀 (migration 0015).
    #: Only a server default: bulk imports leave the column out and every row starts off.
    shares_buyer_show: Mapped[bool] = mapped_column(Boolean, server_default=false())
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Names, IDs and pinyin in one column (``pinyin.customer_search_text``).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: bumped by every ORM save; a save from a stale copy fails instead of overwriting (0011)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    addresses: Mapped[list[CustomerAddress]] = relationship(cascade="all, delete-orphan")
    tags: Mapped[list[Tag]] = relationship(secondary=customer_tag)


class CustomerAddress(Base):
    __tablename__ = "customer_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    province: Mapped[str] = mapped_column(String(30), default="")
    city: Mapped[str] = mapped_column(String(30), default="")
    district: Mapped[str] = mapped_column(String(30), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class Interaction(Base):
    """A like, comment, private inquiry or hand-written note on a customer's timeline."""

    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_customer_time", "customer_id", "occurred_at"),
        Index("ix_interaction_post_kind_rank", "post_id", "kind", "rank"),
        Index("ix_interaction_time", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    kind: Mapped[InteractionKind] = mapped_column(enum_column(InteractionKind))
    content: Mapped[str] = mapped_column(Text, default="")
    # Order of likes under a post: it decides "the first N likers get it".
    rank: Mapped[int | None] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )


class CustomerPhoto(Base):
    """A photo a buyer sent of what she bought (买家返图); the file lives in the media store."""

    __tablename__ = "customer_photo"
    __table_args__ = (UniqueConstraint("customer_id", "media_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    media_id: Mapped[int] = mapped_column(ForeignKey("media_file.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BuyerShowSource(Base):
    """Which customer (and which of her comments) a drafted 买家秀 quotes."""

    __tablename__ = "buyer_show_source"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL")
    )
