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


def test_the_plain_sql_sign_in_signs_in_only_when_nobody_would_be_asked(
    shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from moments_desk.app import _signed_in_without_asking
    from moments_desk.core.shared import uow
    from moments_desk.core.team import users
    from moments_desk.db.models import UserRole

    fresh = make_ctx()
    assert not _signed_in_without_asking(fresh, ask=True)  # no owner yet: the ORM creates it
    assert sign_in_at_start(fresh, ask=False)
    owner = fresh.user_id
    assert owner is not None

    alone = make_ctx()
    assert _signed_in_without_asking(alone, ask=True)
    assert (alone.user_id, alone.is_owner) == (owner, True)

    # The owner sets a PIN: a start must ask for it (the sign-in dialog, through the ORM).
    uow.write(
        shop.sessions,
        lambda s: users.update_user(s, owner, "店主", UserRole.OWNER, secret="2468", by=owner),
    )
    assert uow.read(shop.sessions, users.needs_sign_in)
    assert not _signed_in_without_asking(make_ctx(), ask=True)
    smoke = make_ctx()
    assert _signed_in_without_asking(smoke, ask=False)  # --smoke signs in as the owner
    assert (smoke.user_id, smoke.is_owner) == (owner, True)

    # Several profiles: asked as well, even when the others have no PIN.
    uow.write(
        shop.sessions,
        lambda s: users.update_user(
            s, owner, "店主", UserRole.OWNER, None, by=owner, clear_secret=True
        ),
    )
    assert _signed_in_without_asking(make_ctx(), ask=True)
    uow.write(
        shop.sessions,
        lambda s: users.create_user(s, "合伙人", UserRole.OWNER, None, by=owner),
    )
    assert not _signed_in_without_asking(make_ctx(), ask=True)
