"""One place per friend, product, size and post.

Allocating again used to be able to queue a friend a second time for the same product of
the same post (nothing in the schema stopped it), so she could hold two places. Existing
repeats are removed first, keeping each friend's earliest row (the lowest id: the place she
was given first, with the order made from it), then a unique index makes a second row
impossible.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_PLACE = ("post_id", "product_id", "customer_id", "variant")
_ALLOCATION = sa.table("allocation", sa.column("id", sa.Integer), *(sa.column(c) for c in _PLACE))


def upgrade() -> None:
    allocation = _ALLOCATION
    earliest = sa.select(sa.func.min(allocation.c.id)).group_by(*(allocation.c[c] for c in _PLACE))
    op.get_bind().execute(sa.delete(allocation).where(allocation.c.id.not_in(earliest)))
    op.create_index("ux_allocation_place", "allocation", list(_PLACE), unique=True)


def downgrade() -> None:
    op.drop_index("ux_allocation_place", table_name="allocation")
