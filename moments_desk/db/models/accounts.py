"""WeChat accounts, local user profiles and each account's anti-spam settings."""

from __future__ import annotations

from datetime import time

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moments_desk.db.models.base import Base, Timestamped
from moments_desk.db.models.enums import UserRole
from moments_desk.db.types import enum_column

#: WeChat shows Moments to at most this many friends of one personal account.
MOMENTS_FRIEND_LIMIT = 5000


class WeChatAccount(Timestamped, Base):
    """One of the seller's personal WeChat accounts; every limit is per account."""

    __tablename__ = "wechat_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(60))
    wechat_id: Mapped[str | None] = mapped_column(String(60), unique=True)
    nickname: Mapped[str] = mapped_column(String(60), default="")
    avatar_path: Mapped[str | None] = mapped_column(String(400))
    friend_limit: Mapped[int] = mapped_column(Integer, default=MOMENTS_FRIEND_LIMIT)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    rules: Mapped[AccountRules | None] = relationship(
        back_populates="account", uselist=False, cascade="all, delete-orphan"
    )


class AccountRules(Base):
    """Anti-spam limits for one account. Defaults follow the client's documents and equal
    ``core.planning.rules.RuleSettings()`` (a test keeps them in step)."""

    __tablename__ = "account_rules"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("wechat_account.id", ondelete="CASCADE"), primary_key=True
    )
    max_posts_per_day: Mapped[int] = mapped_column(Integer, default=3)
    min_gap_minutes: Mapped[int] = mapped_column(Integer, default=120)
    quiet_start: Mapped[time] = mapped_column(Time, default=time(23, 0))
    quiet_end: Mapped[time] = mapped_column(Time, default=time(7, 0))
    max_sales_posts_per_week: Mapped[int] = mapped_column(Integer, default=10)
    sales_share_pct: Mapped[int] = mapped_column(Integer, default=40)
    mix_window_days: Mapped[int] = mapped_column(Integer, default=7)
    product_cooldown_days: Mapped[int] = mapped_column(Integer, default=7)
    fold_chars: Mapped[int] = mapped_column(Integer, default=140)

    account: Mapped[WeChatAccount] = relationship(back_populates="rules")


class User(Timestamped, Base):
    """A local profile: the owner or an assistant. Not a WeChat identity."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), default=UserRole.OWNER)
    password_hash: Mapped[str | None] = mapped_column(Text)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
