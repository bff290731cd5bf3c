"""The client's ladder, applied from recorded orders, interactions and referrals.

潜在客户 (prospect) → 客户 (customer: a first paid order) → 粉丝 (fan: a repeat purchase, or
regular interaction after buying) → 铁粉 (iron fan: many orders, or referrals and orders).
The thresholds are shop settings. A stage the seller set by hand (``stage_set_by_hand``)
stays until she clears it; then the ladder places her again.

Paid means paid, shipped or completed: an order still awaiting payment, cancelled or
refunded does not count. Interactions are likes, comments and 私聊 (notes are the seller's).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from sqlalchemy import Connection, Update, and_, case, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import (
    AppSetting,
    Customer,
    CustomerStage,
    Interaction,
    InteractionKind,
    Order,
    OrderStatus,
)

#: app_setting key of the thresholds (JSON)
LADDER_KEY = "customers.stage_ladder"
PAID = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)
COUNTED_KINDS = (InteractionKind.LIKE, InteractionKind.COMMENT, InteractionKind.INQUIRY)
#: SQLite's bound-parameter limit, with room for the thresholds
CHUNK = 900
LIMIT = 999


class LadderError(ValueError):
    """A threshold the ladder cannot use; the message names it."""


@dataclass(frozen=True)
class StageThresholds:
    #: paid orders that make a customer a fan
    fan_orders: int = 2
    #: likes, comments and 私聊 that make a buying customer a fan
    fan_interactions: int = 5
    #: paid orders that make an iron fan
    iron_orders: int = 5
    #: friends she referred that, with ``iron_referral_orders`` paid orders, make an iron fan
    iron_referrals: int = 1
    iron_referral_orders: int = 3

    def checked(self) -> StageThresholds:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int) or not 1 <= value <= LIMIT:
                raise LadderError(
                    QT_TRANSLATE_NOOP(
                        "StageLadder", "Each stage threshold is a whole number from 1 to 999."
                    )
                )
        if self.iron_orders <= self.fan_orders:
            raise LadderError(
                QT_TRANSLATE_NOOP(
                    "StageLadder",
                    "An iron fan needs more orders ({iron}) than a fan ({fan}).",
                ).format(iron=self.iron_orders, fan=self.fan_orders)
            )
        return self


def stage_for(
    paid_orders: int, interactions: int, referrals: int, t: StageThresholds
) -> CustomerStage:
    """The stage this history earns (the same rule as :func:`apply_ladder`, in Python)."""
    if paid_orders >= t.iron_orders or (
        paid_orders >= t.iron_referral_orders and referrals >= t.iron_referrals
    ):
        return CustomerStage.IRON_FAN
    if paid_orders >= t.fan_orders or (paid_orders >= 1 and interactions >= t.fan_interactions):
        return CustomerStage.FAN
    if paid_orders >= 1:
        return CustomerStage.CUSTOMER
    return CustomerStage.PROSPECT


def load_thresholds(conn: Session | Connection) -> StageThresholds:
    raw = conn.execute(select(AppSetting.value).where(AppSetting.key == LADDER_KEY)).scalar()
    if raw is None:
        return StageThresholds()
    try:
        saved = json.loads(raw)
        known = {f.name for f in fields(StageThresholds)}
        return StageThresholds(**{k: v for k, v in saved.items() if k in known}).checked()
    except (ValueError, TypeError, AttributeError, LadderError):
        return StageThresholds()  # a damaged setting falls back to the client's defaults


def save_thresholds(session: Session, thresholds: StageThresholds) -> int:
    """Keep the thresholds and place every customer again; returns how many moved."""
    thresholds.checked()
    text = json.dumps(asdict(thresholds))
    row = session.get(AppSetting, LADDER_KEY)
    if row is None:
        session.add(AppSetting(key=LADDER_KEY, value=text))
    else:
        row.value = text
    session.flush()
    return apply_ladder(session, None, thresholds)


def _earned(t: StageThresholds) -> object:
    paid = (
        select(func.count(Order.id))
        .where(Order.customer_id == Customer.id, Order.status.in_(PAID))
        .scalar_subquery()
    )
    touches = (
        select(func.count(Interaction.id))
        .where(Interaction.customer_id == Customer.id, Interaction.kind.in_(COUNTED_KINDS))
        .scalar_subquery()
    )
    friend = aliased(Customer)
    referred = select(func.count(friend.id)).where(friend.referred_by_id == Customer.id)
    referrals = referred.scalar_subquery()
    return case(
        (
            or_(
                paid >= t.iron_orders,
                and_(paid >= t.iron_referral_orders, referrals >= t.iron_referrals),
            ),
            CustomerStage.IRON_FAN.value,
        ),
        (
            or_(paid >= t.fan_orders, and_(paid >= 1, touches >= t.fan_interactions)),
            CustomerStage.FAN.value,
        ),
        (paid >= 1, CustomerStage.CUSTOMER.value),
        else_=CustomerStage.PROSPECT.value,
    )


@functools.lru_cache(maxsize=8)
def _statement(t: StageThresholds) -> Update:
    """The UPDATE for these thresholds, built once: building it (an aliased table and
    fourteen subqueries) costs far more than running it for one customer."""
    earned = _earned(t)
    base = update(Customer).where(Customer.stage_set_by_hand.is_(False), Customer.stage != earned)
    return base.values(stage=earned).execution_options(synchronize_session=False)


def apply_ladder(
    conn: Session | Connection,
    customer_ids: Sequence[int] | None,
    thresholds: StageThresholds | None = None,
) -> int:
    """Place these customers (None: all) on the ladder, except those set by hand.

    Runs inside the caller's transaction; returns how many changed stage.
    """
    base = _statement(thresholds or load_thresholds(conn))
    if customer_ids is None:
        # One statement for the whole shop: SQLite walks each customer's order and
        # interaction indexes, faster here than grouping 200,000 interactions by kind.
        return int(conn.execute(base).rowcount or 0)  # type: ignore[attr-defined]
    ids = sorted({i for i in customer_ids if i is not None})
    moved = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        moved += int(conn.execute(base.where(Customer.id.in_(chunk))).rowcount or 0)  # type: ignore[attr-defined]
    return moved
