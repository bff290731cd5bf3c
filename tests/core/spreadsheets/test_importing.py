from __future__ import annotations

import gc
import weakref
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moments_desk.core.customers.customer_import import NEW_CUSTOMER_DEFAULTS
from moments_desk.core.spreadsheets.importing import bulk_insert_columns, gc_paused
from moments_desk.db.models import Customer, WeChatAccount


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_what_a_paused_phase_built_is_not_left_young() -> None:
    """The first collection after a 50,000-row phase must not walk every row it built:
    leaving the pause starts no collection at all."""
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(seen)
    try:
        with gc_paused():
            assert not gc.isenabled()
            rows = [[str(i), i] for i in range(20_000)]
        assert gc.isenabled()
        more = [[i] for i in range(100)]  # would start the collection the pause put off
    finally:
        gc.callbacks.remove(seen)
    assert collections == []
    assert len(rows) == 20_000 and len(more) == 100


def test_a_cycle_made_while_paused_is_still_collected() -> None:
    with gc_paused():
        node = _Node()
        gone = weakref.ref(node)
        del node
    gc.collect()
    assert gone() is None


def test_nested_pause_keeps_the_collector_off_until_the_outer_one_ends() -> None:
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_column_equal_at_its_ends_and_middle_is_still_written_as_it_is(
    engine: Engine,
) -> None:
    """Only a column equal on every row is written into the statement once: one that
    merely starts, ends and has its middle alike keeps every row's value."""
    with Session(engine) as session:
        account = WeChatAccount(label="主号")
        session.add(account)
        session.commit()
        account_id = account.id
    cities = ["杭州", "上海", "杭州", "北京", "杭州"]
    count = len(cities)
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    columns = {name: [value] * count for name, value in NEW_CUSTOMER_DEFAULTS.items()}
    columns |= {
        "account_id": [account_id] * count,
        "nickname": [f"客{i}" for i in range(count)],
        "city": cities,
        "search_text": [""] * count,
        "created_at": [moment] * count,
        "updated_at": [moment] * count,
    }
    with engine.begin() as conn:
        bulk_insert_columns(conn, Customer.__table__, columns)  # type: ignore[arg-type]
    with engine.connect() as conn:
        stored = conn.execute(select(Customer.nickname, Customer.city).order_by(Customer.id))
        assert [tuple(row) for row in stored] == [(f"客{i}", c) for i, c in enumerate(cities)]
