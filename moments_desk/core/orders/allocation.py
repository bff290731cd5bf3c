"""First-N allocation: "the first 100 friends who like it get it shipped".

The queue is the post's likers in the order they liked, then its commenters in the order
they wrote. Places go to the queue up to the stock that is really free (stock minus what is
already promised elsewhere); everyone else waits, and a released place goes to the next one
waiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.stock import lock_stock
from moments_desk.core.catalogue.variants import variant_label, variants_of
from moments_desk.core.orders.orders import (
    ItemDraft,
    OrderDraft,
    OrderError,
    StockPolicy,
    create_order,
    resolve_variant,
    stock_policy,
)
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, message_of
from moments_desk.core.shared.uow import affected
from moments_desk.core.tracking.tracking import PostProductInfo, post_products
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    Customer,
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    OrderStatus,
    PostProduct,
    Product,
    ProductVariant,
)


class AllocationError(ValueError):
    """Something the seller can fix; ``str()`` says what."""


@dataclass(frozen=True)
class AllocationRow:
    id: int
    product_id: int
    product_name: str
    customer_id: int
    customer_name: str
    rank: int
    quantity: int
    status: AllocationStatus
    order_id: int | None
    variant: str = ""


@dataclass(frozen=True)
class AllocationOutcome:
    allocated: int
    waitlisted: int
    #: pieces free for this product after the allocation
    free_after: int


def free_stock(session: Session, product_id: int, variant_id: int | None = None) -> int:
    """Stock not yet promised: allocated places and unpaid orders that hold no stock yet.

    With ``variant_id``, of that size/colour only: the fourth M is refused while S is left.
    """
    stock = session.scalar(select(Product.stock).where(Product.id == product_id))
    if stock is None:
        raise AllocationError(
            QT_TRANSLATE_NOOP("Allocation", "This product was deleted meanwhile.")
        )
    place_filter = Allocation.product_id == product_id
    line_filter = OrderItem.product_id == product_id
    if variant_id is not None:
        stock = session.scalar(select(ProductVariant.stock).where(ProductVariant.id == variant_id))
        if stock is None:
            raise AllocationError(
                QT_TRANSLATE_NOOP("Allocation", "This size or colour was removed meanwhile.")
            )
        place_filter = Allocation.variant_id == variant_id
        line_filter = OrderItem.variant_id == variant_id
    promised = session.scalar(
        select(func.coalesce(func.sum(Allocation.quantity), 0)).where(
            place_filter, Allocation.status == AllocationStatus.ALLOCATED
        )
    )
    unpaid = session.scalar(
        select(func.coalesce(func.sum(OrderItem.quantity), 0))
        .join(Order, Order.id == OrderItem.order_id)
        .where(
            line_filter,
            Order.status == OrderStatus.AWAITING_PAYMENT,
            Order.stock_taken.is_(False),
        )
    )
    return max(0, int(stock) - int(promised or 0) - int(unpaid or 0))


def queue_for_post(session: Session, post_id: int, include_comments: bool = True) -> list[int]:
    """Customer ids in first-come order: likers by rank, then commenters by time."""
    likers = session.scalars(
        select(Interaction.customer_id)
        .where(Interaction.post_id == post_id, Interaction.kind == InteractionKind.LIKE)
        .order_by(
            Interaction.rank.is_(None), Interaction.rank, Interaction.occurred_at, Interaction.id
        )
    ).all()
    queue = list(dict.fromkeys(likers))
    if include_comments:
        commenters = session.scalars(
            select(Interaction.customer_id)
            .where(Interaction.post_id == post_id, Interaction.kind == InteractionKind.COMMENT)
            .order_by(Interaction.occurred_at, Interaction.id)
        ).all()
        seen = set(queue)
        queue += [c for c in dict.fromkeys(commenters) if c not in seen]
    return queue


def allocate_first_n(
    session: Session,
    post_id: int,
    product_id: int,
    *,
    limit: int | None = None,
    quantity_each: int = 1,
    variant: str = "",
    variant_id: int | None = None,
    include_comments: bool = True,
    queue: Sequence[int] | None = None,
) -> AllocationOutcome:
    """Give the first friends in the queue a place each, up to ``limit`` and the free stock.

    Places and waitlists are per variant (``variant_id``, or the one labelled ``variant``
    such as "黑色 M"); a product sold in one version needs neither.

    Friends already in this product's queue keep their place; newcomers join at the end.
    ``queue`` replaces the likes-then-comments order (e.g. order intents in comment order).
    """
    if quantity_each < 1:
        raise AllocationError(
            QT_TRANSLATE_NOOP(
                "Allocation", "Each friend gets at least 1 piece, not {quantity_each}."
            ).format(quantity_each=quantity_each)
        )
    if limit is not None and limit < 0:
        raise AllocationError(
            QT_TRANSLATE_NOOP("Allocation", "First {limit} is not a number of friends.").format(
                limit=limit
            )
        )
    if (
        session.scalar(
            select(PostProduct.product_id).where(
                PostProduct.post_id == post_id, PostProduct.product_id == product_id
            )
        )
        is None
    ):
        raise AllocationError(QT_TRANSLATE_NOOP("Allocation", "This product is not in the post."))
    # Another laptop allocating this product (for this post or another) waits here, so both
    # never hand out the same free pieces.
    lock_stock(session, product_id)
    variant_id, variant = _variant_of(session, product_id, variant_id, variant)
    free = free_stock(session, product_id, variant_id)
    existing = {
        a.customer_id: a
        for a in session.scalars(
            select(Allocation).where(
                Allocation.post_id == post_id,
                Allocation.product_id == product_id,
                Allocation.variant == variant,
            )
        )
    }
    held = sum(
        1
        for a in existing.values()
        if a.status in (AllocationStatus.ALLOCATED, AllocationStatus.ORDERED)
    )
    places = free // quantity_each
    if limit is not None:
        places = min(places, max(0, limit - held))
    rank = max((a.rank for a in existing.values()), default=0)
    allocated = waitlisted = 0
    # Waiting friends already in the queue move up first, in their order.
    for waiting in sorted(
        (a for a in existing.values() if a.status is AllocationStatus.WAITLISTED),
        key=lambda a: a.rank,
    ):
        if places <= 0:
            break
        waiting.status = AllocationStatus.ALLOCATED
        waiting.quantity = quantity_each
        places -= 1
        allocated += 1
    if queue is None:
        queue = queue_for_post(session, post_id, include_comments)
    for customer_id in queue:
        if customer_id in existing:
            continue
        rank += 1
        give = places > 0
        session.add(
            Allocation(
                post_id=post_id,
                product_id=product_id,
                customer_id=customer_id,
                variant=variant,
                variant_id=variant_id,
                rank=rank,
                quantity=quantity_each,
                status=AllocationStatus.ALLOCATED if give else AllocationStatus.WAITLISTED,
            )
        )
        if give:
            places -= 1
            allocated += 1
        else:
            waitlisted += 1
    session.flush()
    waitlisted_total = (
        sum(1 for a in existing.values() if a.status is AllocationStatus.WAITLISTED) + waitlisted
    )
    return AllocationOutcome(
        allocated, waitlisted_total, free_stock(session, product_id, variant_id)
    )


def _variant_of(
    session: Session, product_id: int, variant_id: int | None, variant: str
) -> tuple[int | None, str]:
    try:
        chosen = resolve_variant(session, product_id, variant_id, "前 N 名", variant)
    except OrderError as error:
        raise AllocationError(message_of(error)) from error
    if chosen is None:
        raise AllocationError(
            QT_TRANSLATE_NOOP("Allocation", "This product was deleted meanwhile.")
        )
    row = session.get(ProductVariant, chosen)
    label = variant_label(row.color, row.size, row.extra) if row is not None else ""
    # A product sold in one version keeps the free text the seller typed ("M码").
    return chosen, (label or variant.strip())[:60]


def list_allocations(session: Session, post_id: int) -> list[AllocationRow]:
    rows = session.execute(
        select(
            Allocation.id,
            Allocation.product_id,
            Product.name,
            Allocation.customer_id,
            Customer.remark,
            Customer.nickname,
            Allocation.rank,
            Allocation.quantity,
            Allocation.status,
            Allocation.order_id,
            Allocation.variant,
        )
        .join(Product, Product.id == Allocation.product_id)
        .join(Customer, Customer.id == Allocation.customer_id)
        .where(Allocation.post_id == post_id)
        .order_by(Allocation.product_id, Allocation.variant, Allocation.rank)
    ).all()
    return [
        AllocationRow(
            r.id,
            r.product_id,
            r.name,
            r.customer_id,
            r.remark or r.nickname,
            r.rank,
            r.quantity,
            r.status,
            r.order_id,
            r.variant,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class PostAllocations:
    """What the allocation panel shows for one post."""

    products: list[PostProductInfo]
    #: product id → pieces free now
    free: dict[int, int]
    rows: list[AllocationRow]
    #: product id → (size/colour label, pieces free) for products sold in several
    sizes: dict[int, list[tuple[str, int]]] = field(default_factory=dict)


def post_allocations(session: Session, post_id: int) -> PostAllocations:
    products = post_products(session, post_id)
    skus = variants_of(session, [p.id for p in products])
    return PostAllocations(
        products,
        {p.id: free_stock(session, p.id) for p in products},
        list_allocations(session, post_id),
        {
            pid: [(v.label, free_stock(session, pid, v.id)) for v in found]
            for pid, found in skus.items()
            if len(found) > 1
        },
    )


def promote_waitlist(
    session: Session, post_id: int, product_id: int, variant: str = "", places: int | None = None
) -> int:
    """Give freed places to the next friends waiting; returns how many moved up.

    ``places`` caps how many move up: a released place goes to one friend waiting, never to
    everyone the free stock could serve (that would break a "first N" the seller chose).
    """
    moved = 0
    for waiting in session.scalars(
        select(Allocation)
        .where(
            Allocation.post_id == post_id,
            Allocation.product_id == product_id,
            Allocation.variant == variant,
            Allocation.status == AllocationStatus.WAITLISTED,
        )
        .order_by(Allocation.rank)
    ):
        if places is not None and moved >= places:
            break
        if free_stock(session, product_id, waiting.variant_id) < waiting.quantity:
            break
        waiting.status = AllocationStatus.ALLOCATED
        session.flush()
        moved += 1
    return moved


def release_allocations(session: Session, ids: Sequence[int]) -> int:
    """Give places back (a friend changed her mind); the next friends waiting move up."""
    allocations = session.scalars(select(Allocation).where(Allocation.id.in_(ids))).all()
    if len(allocations) != len(set(ids)):
        raise AllocationError(
            QT_TRANSLATE_NOOP(
                "Allocation", "Some of these places were removed meanwhile; reload the post."
            )
        )
    ordered = [a for a in allocations if a.status is AllocationStatus.ORDERED]
    if ordered:
        raise AllocationError(
            QT_TRANSLATE_NOOP(
                "Allocation",
                "Order {order_id} was already created for this place: "
                "cancel the order instead (the next friend then moves up).",
            ).format(order_id=ordered[0].order_id)
        )
    freed: dict[tuple[int, int, str], int] = {}
    for allocation in allocations:
        if allocation.status is not AllocationStatus.RELEASED:
            group = (allocation.post_id, allocation.product_id, allocation.variant)
            # Releasing a friend who was only waiting frees no place.
            was_held = allocation.status is AllocationStatus.ALLOCATED
            freed[group] = freed.get(group, 0) + (1 if was_held else 0)
            allocation.status = AllocationStatus.RELEASED
    session.flush()
    for (post_id, product_id, variant), places in freed.items():
        promote_waitlist(session, post_id, product_id, variant, places)
    return len(freed)


def release_for_order(session: Session, order_id: int) -> int:
    """An order made from allocations was cancelled: free its places, move the next up."""
    allocations = session.scalars(
        select(Allocation).where(
            Allocation.order_id == order_id, Allocation.status == AllocationStatus.ORDERED
        )
    ).all()
    for allocation in allocations:
        allocation.status = AllocationStatus.RELEASED
    session.flush()
    for allocation in allocations:
        promote_waitlist(
            session, allocation.post_id, allocation.product_id, allocation.variant, places=1
        )
    return len(allocations)


def create_orders_from_allocations(
    session: Session,
    post_id: int,
    now: datetime,
    product_id: int | None = None,
    policy: StockPolicy | None = None,
) -> list[int]:
    """One unpaid order per friend with places (several products of the post together)."""
    stmt = select(Allocation).where(
        Allocation.post_id == post_id, Allocation.status == AllocationStatus.ALLOCATED
    )
    if product_id is not None:
        stmt = stmt.where(Allocation.product_id == product_id)
    allocations = session.scalars(stmt.order_by(Allocation.rank, Allocation.id)).all()
    if not allocations:
        raise AllocationError(
            QT_TRANSLATE_NOOP("Allocation", "No friend holds a place yet: allocate first.")
        )
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_({a.product_id for a in allocations}))
        )
    }
    by_customer: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_customer.setdefault(allocation.customer_id, []).append(allocation)
    chosen = policy or stock_policy(session)
    created = []
    for customer_id, places in by_customer.items():
        items = []
        for place in places:
            product = products.get(place.product_id)
            if product is None:
                raise AllocationError(
                    QT_TRANSLATE_NOOP("Allocation", "A product of this post was deleted meanwhile.")
                )
            sku = session.get(ProductVariant, place.variant_id) if place.variant_id else None
            price = sku.price if sku is not None and sku.price is not None else product.price
            items.append(
                ItemDraft(
                    product.id,
                    product.name,
                    place.quantity,
                    price,
                    place.variant,
                    place.variant_id,
                )
            )
        # The places stop counting as promised now; the order holds the pieces instead. Claimed
        # only while still allocated: two laptops making orders at once make them once.
        claimed = session.execute(
            update(Allocation)
            .where(
                Allocation.id.in_([p.id for p in places]),
                Allocation.status == AllocationStatus.ALLOCATED,
            )
            .values(status=AllocationStatus.ORDERED)
            .execution_options(synchronize_session="fetch")
        )
        if affected(claimed) != len(places):
            raise AllocationError(
                QT_TRANSLATE_NOOP(
                    "Allocation",
                    "Another computer made orders from these places meanwhile; nothing was "
                    "changed here.",
                )
            )
        try:
            order_id = create_order(
                session, OrderDraft(customer_id, items, post_id=post_id), now, chosen
            )
        except OrderError as error:
            raise AllocationError(message_of(error)) from error
        for place in places:
            place.order_id = order_id
        created.append(order_id)
    session.flush()
    return created
