"""Shop-wide settings and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from moments_desk.db.models.base import Base
from moments_desk.db.types import UTCDateTime, utcnow


class AppSetting(Base):
    """Settings shared by everyone using this database, stored as JSON text."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Who created, changed, approved, posted or deleted what."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")


class ChangeLogEntry(Base):
    """One transaction's write to one kind of data, logged by the database (``db.change_log``)
    so every laptop of a team hears it, whatever its clock or its own writes say."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    #: the writer's ``application_name``: a laptop skips what it wrote itself
    origin: Mapped[str] = mapped_column(String(120), server_default="")
    #: the writer's transaction id (PostgreSQL ``pg_current_xact_id()``; 0 on SQLite)
    tx: Mapped[int] = mapped_column(BigInteger(), server_default="0", index=True)
    #: the server's clock, for pruning only
    at: Mapped[datetime] = mapped_column(DateTime(), server_default=func.now(), index=True)
