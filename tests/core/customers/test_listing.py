"""The Customers page's list read a window at a time: the same rows, in the same order, as
the whole list; the count; every id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerDraft, CustomerQuery, CustomerSort
from moments_desk.core.customers.listing import customer_listing
from moments_desk.db.models import WeChatAccount

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


@pytest.fixture
def shop(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_factory.begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        for i in range(23):
            name = f"张{i:02d}" if i % 3 else f"李{i:02d}"
            cu.create_customer(s, CustomerDraft(account_id=account.id, nickname=name))
    return session_factory


@pytest.mark.parametrize(
    "query",
    [
        CustomerQuery(),
        CustomerQuery(text="张"),
        CustomerQuery(text="li"),
        CustomerQuery(sort=CustomerSort.NAME, descending=False),
        CustomerQuery(text="没有这个人"),
    ],
)
def test_windows_put_together_are_the_whole_list(
    shop: sessionmaker[Session], query: CustomerQuery
) -> None:
    source = customer_listing(shop, lambda: NOW)
    with shop() as s:
        whole = cu.search_customer_ids(s, query, NOW)
    read: list[int] = []
    offset = 0
    while True:
        window = source.window(query, offset, 5)
        assert window.offset == offset and len(window.rows) <= 5
        read.extend(row.id for row in window.rows)
        offset += len(window.rows)
        if not window.more:
            break
    assert read == whole
    assert source.count(query) == len(whole)
    assert source.all_ids(query) == whole
