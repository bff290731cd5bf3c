"""A customer's pinyin lives only in her search text.

``search_initials`` and ``search_full`` repeated what ``search_text`` already holds, and
nothing searched them; matching names read the full pinyin. The search text now keeps
each name's lowercase form, initials and full pinyin in fixed fields
(``pinyin.CUSTOMER_SEARCH_FIELDS``), so matching reads the pinyin back from it. Every row
is a few dozen bytes narrower, which an import of 50,000 friends notices. Existing search
texts are written again in the new layout.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 5000
#: The customer columns both directions read or write (a lightweight table: no model).
_CUSTOMERS = sa.table(
    "customer",
    sa.column("id", sa.Integer),
    sa.column("nickname", sa.String),
    sa.column("remark", sa.String),
    sa.column("wechat_id", sa.String),
    sa.column("phone", sa.String),
    sa.column("search_text", sa.Text),
    sa.column("search_initials", sa.String),
    sa.column("search_full", sa.String),
)


def upgrade() -> None:
    from moments_desk.core.shared.pinyin import customer_search_texts

    bind = op.get_bind()
    customers = _CUSTOMERS
    rows = bind.execute(
        sa.select(
            customers.c.id,
            customers.c.nickname,
            customers.c.remark,
            customers.c.wechat_id,
            customers.c.phone,
        ).order_by(customers.c.id)
    ).all()
    rewrite = (
        sa.update(customers)
        .where(customers.c.id == sa.bindparam("customer_id"))
        .values(search_text=sa.bindparam("text"))
    )
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        texts = customer_search_texts(
            [r.nickname or "" for r in batch],
            [r.remark or "" for r in batch],
            [r.wechat_id for r in batch],
            [r.phone for r in batch],
        )
        bind.execute(
            rewrite,
            [{"customer_id": r.id, "text": t} for r, t in zip(batch, texts, strict=True)],
        )
    # Plain DROP COLUMN (SQLite 3.35+): neither column is indexed or constrained, and a
    # batch copy of the customer table would cascade deletes to everything that refers to it.
    op.drop_column("customer", "search_initials")
    op.drop_column("customer", "search_full")


def downgrade() -> None:
    op.add_column(
        "customer",
        sa.Column("search_initials", sa.String(400), nullable=False, server_default=""),
    )
    op.add_column(
        "customer",
        sa.Column("search_full", sa.String(1000), nullable=False, server_default=""),
    )
    # The columns back as 0005 wrote them (each key once, space-separated), read from the
    # search text's fields; the search text itself still matches the same queries.
    bind = op.get_bind()
    customers = _CUSTOMERS
    refill = (
        sa.update(customers)
        .where(customers.c.id == sa.bindparam("customer_id"))
        .values(search_initials=sa.bindparam("initials"), search_full=sa.bindparam("full"))
    )
    rows = bind.execute(sa.select(customers.c.id, customers.c.search_text)).all()
    values = []
    for customer_id, text in rows:
        fields = (text or "").split("\x1f")
        # 0006's fields: nickname, its initials, its pinyin, WeChat ID, phone, remark, its
        # initials, its pinyin; empty fields at the end are left out.
        fields += [""] * (8 - len(fields))
        values.append(
            {
                "customer_id": customer_id,
                "initials": " ".join(dict.fromkeys(fields[1].split() + fields[6].split())),
                "full": " ".join(dict.fromkeys(fields[2].split() + fields[7].split())),
            }
        )
    for start in range(0, len(values), _BATCH):
        bind.execute(refill, values[start : start + _BATCH])
