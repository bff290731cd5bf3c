"""A small shop with rows in the tables a seller cares about, and pictures on disk."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine, text

from moments_desk.core.catalogue.catalogue import ProductDraft, create_product
from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.db.engine import make_session_factory
from moments_desk.db.models import (
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    WeChatAccount,
)

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
TABLES = ("customer", "product", "product_image", "media_file", "interaction", "sales_order")


def jpeg(path: Path, colour: str = "orange", size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


def fill_shop(engine: Engine, media_root: Path, work: Path, pictures: int = 3) -> None:
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        account = WeChatAccount(label="主号", nickname="小美")
        s.add(account)
        s.flush()
        media_ids = []
        for n in range(pictures):
            stored = store_image(
                jpeg(work / f"p{n}.jpg", ("red", "green", "blue", "pink")[n % 4], (64 + n, 48)),
                media_root,
            )
            media_ids.append(register_media(s, stored).id)
        product = create_product(
            s,
            ProductDraft(
                code="QZ-1",
                name="法式连衣裙",
                price=Decimal("259.00"),
                tags=["新品"],
                image_media_ids=media_ids,
            ),
        )
        customer = create_customer(
            s, CustomerDraft(account_id=account.id, nickname="张三", remark="杭州-张姐")
        )
        friend = create_customer(
            s,
            CustomerDraft(account_id=account.id, nickname="李四", referred_by_id=customer),
        )
        s.add(Interaction(customer_id=customer, kind=InteractionKind.COMMENT, occurred_at=NOW))
        order = Order(
            customer_id=friend, account_id=account.id, total=Decimal("259.00"), paid_at=NOW
        )
        order.items.append(
            OrderItem(
                product_id=product,
                product_name="法式连衣裙",
                quantity=1,
                unit_price=Decimal("259.00"),
            )
        )
        s.add(order)


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES
        }
