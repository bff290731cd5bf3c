"""Whether a shop still needs the setup wizard: asked on every start, so kept apart from the
wizard's own code (pictures, cadence presets), which only a new shop imports."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def first_run_needed(session: Session) -> bool:
    """A shop with no WeChat account and no product has not been set up yet.

    Plain SQL: asked before the first paint, when the table classes are not loaded yet."""
    has_account = session.scalar(text("SELECT id FROM wechat_account LIMIT 1")) is not None
    has_product = session.scalar(text("SELECT id FROM product LIMIT 1")) is not None
    return not has_account and not has_product
