"""What a first-N allocation accepts: at least one piece each, a first N that is a number of
friends (boundaries included), a product that is in the post. Refusals name the problem and
change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from moments_desk.core.orders.allocation import AllocationError
from moments_desk.core.shared import uow
from moments_desk.db.models import PostProduct
from tests.core.orders.test_allocation import Sessions, allocate, likes, places, shop_with
from tests.sentences import in_chinese, said

pytestmark = pytest.mark.db


@pytest.mark.parametrize(("quantity", "refused"), [(0, True), (1, False), (-1, True)])
def test_each_friend_gets_at_least_one_piece(
    session_factory: Sessions, quantity: int, refused: bool
) -> None:
    shop = shop_with(session_factory, stock=2)
    likes(session_factory, shop, ["阿花"])
    if refused:
        with pytest.raises(AllocationError) as caught:
            allocate(session_factory, shop, quantity_each=quantity)
        assert said(caught.value) == f"Each friend gets at least 1 piece, not {quantity}."
        in_chinese(caught.value)
        assert places(session_factory, shop) == []
    else:
        assert allocate(session_factory, shop, quantity_each=quantity).allocated == 1


@pytest.mark.parametrize(("limit", "allocated"), [(0, 0), (1, 1), (3, 2), (None, 2)])
def test_first_n_boundaries(session_factory: Sessions, limit: int | None, allocated: int) -> None:
    shop = shop_with(session_factory, stock=2)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    outcome = allocate(session_factory, shop, limit=limit)
    assert (outcome.allocated, outcome.waitlisted) == (allocated, 3 - allocated)


def test_a_negative_first_n_is_refused(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=2)
    likes(session_factory, shop, ["阿花"])
    with pytest.raises(AllocationError) as refused:
        allocate(session_factory, shop, limit=-1)
    assert said(refused.value) == "First -1 is not a number of friends."
    in_chinese(refused.value)


def test_a_product_not_in_the_post_is_refused(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=2)
    likes(session_factory, shop, ["阿花"])
    uow.write(session_factory, lambda s: s.execute(delete(PostProduct)))
    with pytest.raises(AllocationError) as refused:
        allocate(session_factory, shop)
    assert said(refused.value) == "This product is not in the post."
    in_chinese(refused.value)
