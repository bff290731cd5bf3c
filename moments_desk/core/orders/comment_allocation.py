"""前 N 名 per variant from order comments: "M码", "黑色L", "+1 S" each get a place in
their own size's queue, in comment order; a comment that could mean several sizes (or
none of this product's) is not guessed but handed back for the seller to ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.variants import VariantInfo, ensure_default_variant
from moments_desk.core.orders.allocation import AllocationOutcome, allocate_first_n
from moments_desk.core.orders.variant_words import match_variant
from moments_desk.core.screenshots.intents import order_intent
from moments_desk.db.models import Interaction, InteractionKind


@dataclass(frozen=True)
class VariantAsk:
    """A comment the seller has to settle: which of ``choices`` did she mean?"""

    customer_id: int
    comment: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class CommentAllocation:
    #: variant label ("黑色 M", "" for a product in one version) → its outcome
    outcomes: dict[str, AllocationOutcome]
    asks: tuple[VariantAsk, ...]

    @property
    def allocated(self) -> int:
        return sum(o.allocated for o in self.outcomes.values())

    @property
    def waitlisted(self) -> int:
        return sum(o.waitlisted for o in self.outcomes.values())


def allocate_order_comments(
    session: Session, post_id: int, product_id: int, *, limit: int | None = None
) -> CommentAllocation:
    """Give each friend whose comment orders this product a place in her variant's queue.

    ``limit`` is the 前 N 名 per variant. Places, waitlists and free stock are counted per
    variant, so the fourth M waits while S still has room.
    """
    variants = ensure_default_variant(session, product_id)
    by_id: dict[int, VariantInfo] = {v.id: v for v in variants}
    queues: dict[tuple[int, int], list[int]] = {}
    asks: list[VariantAsk] = []
    seen: set[int] = set()
    rows = session.execute(
        select(Interaction.customer_id, Interaction.content)
        .where(Interaction.post_id == post_id, Interaction.kind == InteractionKind.COMMENT)
        .order_by(Interaction.occurred_at, Interaction.id)
    ).all()
    for customer_id, content in rows:
        if customer_id in seen:
            continue
        # Several comments by one friend are recorded joined by " / " (see core.matching).
        for part in (content or "").split(" / "):
            intent = order_intent(part)
            if intent is None:
                continue
            seen.add(customer_id)
            match = match_variant(variants, intent.variant)
            if match.variant_id is None:
                asks.append(
                    VariantAsk(customer_id, part.strip(), tuple(v.label for v in match.candidates))
                )
            else:
                queues.setdefault((match.variant_id, intent.quantity), []).append(customer_id)
            break
    outcomes: dict[str, AllocationOutcome] = {}
    for (variant_id, quantity), queue in queues.items():
        label = by_id[variant_id].label
        outcome = allocate_first_n(
            session,
            post_id,
            product_id,
            limit=limit,
            quantity_each=quantity,
            variant_id=variant_id,
            queue=queue,
        )
        before = outcomes.get(label)
        outcomes[label] = (
            outcome
            if before is None
            else AllocationOutcome(
                before.allocated + outcome.allocated,
                before.waitlisted + outcome.waitlisted,
                outcome.free_after,
            )
        )
    return CommentAllocation(outcomes, tuple(asks))
