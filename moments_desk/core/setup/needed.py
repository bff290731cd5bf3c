"""Whether a shop still needs the setup wizard: asked on every start, so kept apart from the
wizard's own code (pictures, cadence presets), which only a new shop imports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.db.models import Product, WeChatAccount


def first_run_needed(session: Session) -> bool:
    """A shop with no WeChat account and no product has not been set up yet."""
    has_account = session.scalar(select(WeChatAccount.id).limit(1)) is not None
    has_product = session.scalar(select(Product.id).limit(1)) is not None
    return not has_account and not has_product
