"""Room for friends on each WeChat account, checked before an import fills one past its limit.

Personal WeChat stops at 5,000 friends (``friend_limit``). An import of 20,000 friends into one
account would leave the header reading 20,003/5,000, so the import dialog says so first and
offers to split the new friends over the accounts that have room, in account order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moments_desk.core.customers.customer_import_plan import CustomerImportPlan
from moments_desk.db.models import Customer, WeChatAccount


@dataclass(frozen=True)
class Room:
    account_id: int
    label: str
    friends: int
    limit: int

    @property
    def free(self) -> int:
        return max(self.limit - self.friends, 0)


def rooms(session: Session) -> list[Room]:
    """Every account in use, in account order, with its friends and limit."""
    counts: dict[int, int] = {
        account: int(count)
        for account, count in session.execute(
            select(Customer.account_id, func.count()).group_by(Customer.account_id)
        )
    }
    return [
        Room(a.id, a.label, int(counts.get(a.id, 0)), a.friend_limit)
        for a in session.scalars(
            select(WeChatAccount).where(~WeChatAccount.archived).order_by(WeChatAccount.id)
        )
    ]


def split_shares(found: list[Room], account_id: int, adding: int) -> list[tuple[int, int]] | None:
    """How many new friends go to which account: the chosen one first, then the others in
    order, each up to its room. None when all the accounts together have too little room."""
    ordered = sorted(found, key=lambda r: (r.account_id != account_id, r.account_id))
    if sum(r.free for r in ordered) < adding:
        return None
    shares: list[tuple[int, int]] = []
    left = adding
    for room in ordered:
        take = min(room.free, left)
        if take or room.account_id == account_id:
            shares.append((room.account_id, take))
        left -= take
        if not left:
            break
    return shares


def split_plan(plan: CustomerImportPlan, shares: list[tuple[int, int]]) -> list[CustomerImportPlan]:
    """One plan per account: the first keeps the updates and its share of the new friends;
    each further account gets the next new friends, in file order."""
    new = [i for i, existing in enumerate(plan.existing_ids) if existing is None]
    updates = [i for i, existing in enumerate(plan.existing_ids) if existing is not None]
    plans: list[CustomerImportPlan] = []
    start = 0
    for number, (account_id, count) in enumerate(shares):
        positions = sorted((updates if number == 0 else []) + new[start : start + count])
        start += count
        plans.append(
            replace(
                plan,
                account_id=account_id,
                rows=[plan.rows[i] for i in positions],
                columns={
                    name: [values[i] for i in positions] for name, values in plan.columns.items()
                },
                existing_ids=[plan.existing_ids[i] for i in positions],
                warnings=list(plan.warnings) if number == 0 else [],
            )
        )
    return plans


def clashes(session: Session, plans: list[CustomerImportPlan]) -> int:
    """New friends whose WeChat ID the account they would move to already has."""
    found = 0
    for part in plans[1:]:
        ids = [w for w in part.column("wechat_id") if w]
        for start in range(0, len(ids), 900):
            found += int(
                session.scalar(
                    select(func.count()).where(
                        Customer.account_id == part.account_id,
                        Customer.wechat_id.in_(ids[start : start + 900]),
                    )
                )
                or 0
            )
    return found
