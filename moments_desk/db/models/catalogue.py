"""Products, tags and the content-addressed media store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moments_desk.db.models.base import Base, Timestamped
from moments_desk.db.models.enums import ProductStatus
from moments_desk.db.types import Money, enum_column


class Tag(Base):
    """A label shared by products and customers; on customers it is also a Moments audience."""

    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    color: Mapped[str | None] = mapped_column(String(9))


product_tag = Table(
    "product_tag",
    Base.metadata,
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class MediaFile(Timestamped, Base):
    """A picture stored once under its content hash in the media folder."""

    __tablename__ = "media_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    rel_path: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(255), default="")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(10))
    size_bytes: Mapped[int] = mapped_column(Integer)


class SharedPicture(Base):
    """A picture's stored bytes in a team's shared database, so every laptop can fetch it.

    Keyed by the media store's content hash (``MediaFile.sha256``, of the original bytes);
    ``content_sha256`` is the hash of the stored bytes, checked after every download."""

    __tablename__ = "shared_picture"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    chunk_count: Mapped[int] = mapped_column(Integer)


class SharedPictureChunk(Base):
    """One slice of a shared picture (at most ``core.pictures.shared_store.CHUNK_BYTES``), so
    neither side ever holds a whole 60 MB picture in one message."""

    __tablename__ = "shared_picture_chunk"

    sha256: Mapped[str] = mapped_column(
        ForeignKey("shared_picture.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Product(Timestamped, Base):
    __tablename__ = "product"
    __table_args__ = (Index("ix_product_status_new_arrival", "status", "new_arrival_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(60), default="", index=True)
    price: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    cost: Mapped[Decimal | None] = mapped_column(Money())
    stock: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[ProductStatus] = mapped_column(
        enum_column(ProductStatus), default=ProductStatus.ON_SALE
    )
    new_arrival_date: Mapped[date | None] = mapped_column(Date)
    selling_points: Mapped[str] = mapped_column(Text, default="")
    taobao_url: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Pinyin search keys computed on write (see core.pinyin); several readings space-separated.
    search_initials: Mapped[str] = mapped_column(String(400), default="")
    search_full: Mapped[str] = mapped_column(String(1000), default="")
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: bumped by every ORM save; a save from a stale copy fails instead of overwriting (0011)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    images: Mapped[list[ProductImage]] = relationship(
        order_by="ProductImage.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=product_tag)
    variants: Mapped[list[ProductVariant]] = relationship(
        order_by="ProductVariant.position", cascade="all, delete-orphan"
    )


class ProductVariant(Base):
    """One sellable version of a product (a SKU: 黑色 M) with its own stock (migration 0010).

    A product without sizes or colours has one default variant with both attributes empty.
    ``Product.stock`` stays the sum of its variants' stock, kept by ``core.catalogue.variants``
    and the stock moves of ``core.orders``, so lists and planning read one number.
    """

    __tablename__ = "product_variant"
    __table_args__ = (
        UniqueConstraint("product_id", "color", "size", "extra"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    color: Mapped[str] = mapped_column(String(40), default="", server_default="")
    size: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Further attributes (款式, 材质 ...) as canonical JSON with sorted keys, "" when none.
    extra: Mapped[str] = mapped_column(String(400), default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # None: the product's price applies.
    price: Mapped[Decimal | None] = mapped_column(Money())
    code: Mapped[str | None] = mapped_column(String(60))
    # A picture per colour, optional.
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))


class ProductImage(Base):
    """Ordered pictures of a product; position 0 is the cover."""

    __tablename__ = "product_image"
    __table_args__ = (UniqueConstraint("product_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    media_id: Mapped[int] = mapped_column(ForeignKey("media_file.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)

    media: Mapped[MediaFile] = relationship()
