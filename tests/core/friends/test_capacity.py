"""Splitting new friends over the accounts with room under WeChat's friend limit."""

from __future__ import annotations

from moments_desk.core.customers.customer_import import CustomerImportPlan
from moments_desk.core.friends.capacity import Room, split_plan, split_shares

ROOMS = [Room(1, "主号", 4_990, 5_000), Room(2, "小号", 4_000, 5_000), Room(3, "三号", 0, 5_000)]


def test_the_chosen_account_fills_first_then_the_others_in_order() -> None:
    assert split_shares(ROOMS, 1, 20_000) is None  # 10 + 1,000 + 5,000 is not enough
    assert split_shares(ROOMS, 1, 3_000) == [(1, 10), (2, 1_000), (3, 1_990)]
    assert split_shares(ROOMS, 2, 500) == [(2, 500)]


def test_a_split_plan_keeps_updates_with_the_chosen_account_and_file_order() -> None:
    plan = CustomerImportPlan(
        account_id=1,
        errors=[],
        rows=[2, 3, 4, 5, 6],
        columns={"nickname": ["甲", "乙", "丙", "丁", "戊"]},
        existing_ids=[None, 77, None, None, None],
    )
    first, second = split_plan(plan, [(1, 1), (2, 3)])
    assert (first.account_id, first.rows, first.existing_ids) == (1, [2, 3], [None, 77])
    assert (second.account_id, second.rows, second.column("nickname")) == (
        2,
        [4, 5, 6],
        ["丙", "丁", "戊"],
    )
