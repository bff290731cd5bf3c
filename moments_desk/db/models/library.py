"""The 素材库: the seller's reusable life, tips, 买家秀 and brand-story posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moments_desk.db.models.base import Base, Timestamped
from moments_desk.db.types import UTCDateTime


class ContentEntry(Timestamped, Base):
    """One reusable post. ``kind``: life, tips, buyer_show, brand_story, question, holiday
    (``core.library`` names them); ``season``: spring/summer/autumn/winter or "" for any."""

    __tablename__ = "content_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    #: Free words separated by spaces, e.g. "针织 保养".
    tags: Mapped[str] = mapped_column(String(200), default="")
    season: Mapped[str] = mapped_column(String(10), default="")
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    images: Mapped[list[ContentEntryImage]] = relationship(
        order_by="ContentEntryImage.position", cascade="all, delete-orphan"
    )


class ContentEntryImage(Base):
    __tablename__ = "content_entry_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("content_entry.id", ondelete="CASCADE"), index=True
    )
    media_id: Mapped[int] = mapped_column(ForeignKey("media_file.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
