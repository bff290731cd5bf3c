"""Sizes and colours: every product gets variants (SKUs) with their own stock.

A product used to hold one stock number, so 前 N 名 could not refuse the fourth M while S
was still there. Each existing product gets one default variant (no colour, no size)
carrying today's stock; order lines and first-N places point at their product's default
variant. The free-text ``variant`` labels they had stay as they were.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_PRODUCT = sa.table("product", sa.column("id", sa.Integer), sa.column("stock", sa.Integer))
_VARIANT = sa.table(
    "product_variant",
    sa.column("id", sa.Integer),
    sa.column("product_id", sa.Integer),
    sa.column("color", sa.String),
    sa.column("size", sa.String),
    sa.column("extra", sa.String),
    sa.column("position", sa.Integer),
    sa.column("stock", sa.Integer),
)


def upgrade() -> None:
    op.create_table(
        "product_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("color", sa.String(40), nullable=False, server_default=""),
        sa.Column("size", sa.String(40), nullable=False, server_default=""),
        sa.Column("extra", sa.String(400), nullable=False, server_default=""),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("stock", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("price", sa.BigInteger(), nullable=True),
        sa.Column("code", sa.String(60), nullable=True),
        sa.Column("media_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_product_variant_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_product_variant_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media_file.id"],
            name=op.f("fk_product_variant_media_id_media_file"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_variant")),
        sa.UniqueConstraint(
            "product_id", "color", "size", "extra", name=op.f("uq_product_variant_product_id")
        ),
    )
    op.create_index(
        op.f("ix_product_variant_product_id"), "product_variant", ["product_id"], unique=False
    )
    bind = op.get_bind()
    # Negative stock could only come from hand-edited databases; the variant refuses it.
    bind.execute(
        sa.insert(_VARIANT).from_select(
            ["product_id", "color", "size", "extra", "position", "stock"],
            sa.select(
                _PRODUCT.c.id,
                sa.literal(""),
                sa.literal(""),
                sa.literal(""),
                sa.literal(0),
                sa.case((_PRODUCT.c.stock > 0, _PRODUCT.c.stock), else_=0),
            ),
        )
    )
    for table in ("order_item", "allocation"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_{table}_variant_id_product_variant",
                "product_variant",
                ["variant_id"],
                ["id"],
                ondelete="RESTRICT",
            )
            batch.create_index(f"ix_{table}_variant_id", ["variant_id"], unique=False)
        lines = sa.table(table, sa.column("product_id", sa.Integer), sa.column("variant_id"))
        default = (
            sa.select(_VARIANT.c.id)
            .where(_VARIANT.c.product_id == lines.c.product_id)
            .scalar_subquery()
        )
        bind.execute(
            sa.update(lines).where(lines.c.product_id.is_not(None)).values(variant_id=default)
        )


def downgrade() -> None:
    for table in ("allocation", "order_item"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_variant_id")
            batch.drop_constraint(f"fk_{table}_variant_id_product_variant", type_="foreignkey")
            batch.drop_column("variant_id")
    op.drop_index(op.f("ix_product_variant_product_id"), table_name="product_variant")
    op.drop_table("product_variant")
