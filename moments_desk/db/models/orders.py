"""Orders with their items, and first-N allocations under a post."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moments_desk.db.models.base import Base, Timestamped
from moments_desk.db.models.enums import AllocationStatus, OrderSource, OrderStatus
from moments_desk.db.types import Money, UTCDateTime, enum_column


class Order(Timestamped, Base):
    # "order" is reserved in SQL; a plain name avoids quoting in every hand-written query.
    __tablename__ = "sales_order"
    __table_args__ = (
        Index("ix_sales_order_status_created", "status", "created_at"),
        # Each customer's history in time order, covering the reports' aggregates (migration 0003).
        Index("ix_sales_order_customer_history", "customer_id", "created_at", "status", "total"),
        Index("ix_sales_order_post_sales", "post_id", "status", "total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Nullable: a customer deleted for privacy leaves anonymised order totals behind.
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("wechat_account.id", ondelete="SET NULL")
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="SET NULL"), index=True
    )
    external_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    source: Mapped[OrderSource] = mapped_column(
        enum_column(OrderSource), default=OrderSource.MOMENTS
    )
    status: Mapped[OrderStatus] = mapped_column(
        enum_column(OrderStatus), default=OrderStatus.AWAITING_PAYMENT
    )
    discount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    shipping_fee: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    recipient: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    courier: Mapped[str] = mapped_column(String(40), default="")
    tracking_no: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    stock_taken: Mapped[bool] = mapped_column(default=False)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: bumped by every ORM save and bulk update; a save from a stale copy fails (0016)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    items: Mapped[list[OrderItem]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class OrderItem(Base):
    __tablename__ = "order_item"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        # Covers revenue per post and category in the reports (migration 0003).
        Index("ix_order_item_order_lines", "order_id", "product_id", "quantity", "unit_price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("sales_order.id", ondelete="CASCADE"), index=True
    )
    # RESTRICT: a product that was sold can be archived but never deleted.
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("product.id", ondelete="RESTRICT"), index=True
    )
    product_name: Mapped[str] = mapped_column(String(200))
    variant: Mapped[str] = mapped_column(String(60), default="")
    # The SKU whose stock this line moves (0010); ``variant`` keeps its label as sold.
    variant_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_variant.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money())


class Allocation(Base):
    """A liker's place in the "first N get it" queue for one product of a post."""

    __tablename__ = "allocation"
    __table_args__ = (
        Index("ix_allocation_post_product_rank", "post_id", "product_id", "rank"),
        # One place per friend, product and size of a post (migration 0007).
        Index(
            "ux_allocation_place", "post_id", "product_id", "customer_id", "variant", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="RESTRICT"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    variant: Mapped[str] = mapped_column(String(60), default="")
    # The SKU this place is for (0010); places and waitlists are counted per variant.
    variant_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_variant.id", ondelete="RESTRICT"), index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[AllocationStatus] = mapped_column(enum_column(AllocationStatus))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order.id", ondelete="SET NULL"))
