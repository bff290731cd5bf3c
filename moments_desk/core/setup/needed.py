"""Whether a shop still needs the setup wizard: asked on every start, so kept apart from the
wizard's own code (pictures, cadence presets), which only a new shop imports."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def first_run_needed(session: Session) -> bool:
    """A shop with no WeChat account and no product has not been set up yet.

    Plain SQL: asked before the first paint, when the table classes are not loaded yet."""
    from sqlalchemy import text

    has_account = session.scalar(text("SELECT id FROM wechat_account LIMIT 1")) is not None
    has_product = session.scalar(text("SELECT id FROM product LIMIT 1")) is not None
    return not has_account and not has_product


def first_run_needed_sqlite(db: sqlite3.Connection) -> bool:
    """``first_run_needed`` over a SQLite shop's sqlite3 connection (before SQLAlchemy loads)."""
    has_account = db.execute("SELECT id FROM wechat_account LIMIT 1").fetchone() is not None
    has_product = db.execute("SELECT id FROM product LIMIT 1").fetchone() is not None
    return not has_account and not has_product
