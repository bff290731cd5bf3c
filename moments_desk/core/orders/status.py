"""The order pipeline: awaiting payment → paid → shipped → completed, or cancelled / refunded.

Each move takes or restores stock in the caller's transaction, and a cancelled order made
from first-N places frees them for the next friend waiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.orders.allocation import release_for_order
from moments_desk.core.orders.orders import (
    StockPolicy,
    restore_order_stock,
    stock_policy,
    take_order_stock,
)
from moments_desk.core.shared.batches import scalars_in
from moments_desk.core.stages.ladder import apply_ladder
from moments_desk.db.models import (
    Order,
    OrderStatus,
)

#: Where each status may go next; anything else is refused with a message.
TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.AWAITING_PAYMENT: (OrderStatus.PAID, OrderStatus.CANCELLED),
    OrderStatus.PAID: (OrderStatus.SHIPPED, OrderStatus.CANCELLED, OrderStatus.REFUNDED),
    OrderStatus.SHIPPED: (OrderStatus.COMPLETED, OrderStatus.REFUNDED),
    OrderStatus.COMPLETED: (OrderStatus.REFUNDED,),
    OrderStatus.CANCELLED: (),
    OrderStatus.REFUNDED: (),
}


@dataclass(frozen=True)
class StatusOutcome:
    changed: tuple[int, ...]
    #: (order id, its status) of orders that could not move to the new status
    skipped: tuple[tuple[int, OrderStatus], ...]


def change_status(
    session: Session,
    ids: Sequence[int],
    status: OrderStatus,
    now: datetime,
    *,
    courier: str = "",
    tracking_no: str = "",
    policy: StockPolicy | None = None,
) -> StatusOutcome:
    """Move orders along the pipeline, taking or restoring stock in the same transaction.

    Orders that cannot make this move (e.g. a completed order to "paid") are skipped and
    reported; if stock runs out for any order, nothing changes at all.
    """
    chosen = policy or stock_policy(session)
    orders = sorted(
        scalars_in(session, lambda chunk: select(Order).where(Order.id.in_(chunk)), ids),
        key=lambda order: order.id,
    )
    changed: list[int] = []
    skipped: list[tuple[int, OrderStatus]] = []
    for order in orders:
        if status not in TRANSITIONS[order.status]:
            skipped.append((order.id, order.status))
            continue
        if status is OrderStatus.PAID:
            order.paid_at = now
            if chosen is StockPolicy.ON_PAYMENT:
                take_order_stock(session, order)
        elif status is OrderStatus.SHIPPED:
            order.shipped_at = now
            if courier.strip():
                order.courier = courier.strip()[:40]
            if tracking_no.strip():
                order.tracking_no = tracking_no.strip()[:60]
            take_order_stock(session, order)  # shipped goods have left the shelf
        elif status is OrderStatus.COMPLETED:
            order.completed_at = now
        elif status is OrderStatus.CANCELLED or (
            status is OrderStatus.REFUNDED and order.shipped_at is None
        ):
            # A refund after shipping keeps the stock as it is: the goods may not come back.
            restore_order_stock(session, order)
        order.status = status
        order.updated_at = now
        changed.append(order.id)
        if status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
            session.flush()
            release_for_order(session, order.id)
    session.flush()
    # Paying (or a refund) moves the buyer on the stage ladder.
    apply_ladder(session, [o.customer_id for o in orders if o.id in changed and o.customer_id])
    return StatusOutcome(tuple(changed), tuple(skipped))
