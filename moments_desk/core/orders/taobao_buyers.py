"""Taobao buyers and the shop's customers: finding them, and their search texts after an
import wrote their names and phones."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from moments_desk.core.shared.pinyin import customer_search_texts
from moments_desk.db.models import Customer


def customer_lookup(session: Session) -> tuple[dict[str, int], dict[str, list[int]]]:
    by_phone: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for customer_id, phone, remark, nickname in session.execute(
        select(Customer.id, Customer.phone, Customer.remark, Customer.nickname).order_by(
            Customer.id
        )
    ):
        if phone:
            by_phone.setdefault(phone, customer_id)
        for name in {remark, nickname}:
            if name:
                by_name.setdefault(name, []).append(customer_id)
    return by_phone, by_name


def search_texts_again(conn: Connection, ids: Sequence[int | None]) -> None:
    """Write the search text of these customers again from their names, IDs and phones."""
    people = conn.execute(
        select(
            Customer.id, Customer.nickname, Customer.remark, Customer.wechat_id, Customer.phone
        ).where(Customer.id.in_(ids))
    ).all()
    if not people:
        return
    texts = customer_search_texts(
        [p.nickname for p in people],
        [p.remark for p in people],
        [p.wechat_id for p in people],
        [p.phone for p in people],
    )
    conn.execute(
        update(Customer)
        .where(Customer.id == bindparam("customer_id"))
        .values(search_text=bindparam("text")),
        [{"customer_id": p.id, "text": t} for p, t in zip(people, texts, strict=True)],
    )
