"""Signing in at start reads only: the first owner is written once, later starts commit
nothing (no write transaction on every start)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.users.login import sign_in_at_start


def test_later_starts_sign_in_without_a_write_transaction(
    shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    commits: list[object] = []

    def committed(connection: object) -> None:
        commits.append(connection)

    event.listen(shop.engine, "commit", committed)
    try:
        first = make_ctx()
        assert sign_in_at_start(first, ask=False)  # a new shop: the owner is created
        assert len(commits) == 1
        owner = first.user_id
        assert owner is not None and first.is_owner

        again = make_ctx()
        assert sign_in_at_start(again, ask=False)
        assert (again.user_id, again.is_owner) == (owner, True)
        assert len(commits) == 1, "a start that only signs in opened a write transaction"
    finally:
        event.remove(shop.engine, "commit", committed)
