"""买家秀 quotes: which comments are praise, how names are masked, no repeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from moments_desk.core.library.buyer_quotes import (
    BuyerQuote,
    BuyerShowPicker,
    is_positive,
    mask_name,
    quote_text,
)
from moments_desk.core.planning.fold import visual_lines
from moments_desk.core.planning.similarity import NEAR_DUPLICATE_PCT, similarity_pct
from moments_desk.core.shared.wording import forbidden_text

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "comment",
    ["好看！", "质量好，很满意", "上次买的很好穿，再来一件", "已经回购第三次了", "不错不错，喜欢"],
)
def test_praise_is_positive(comment: str) -> None:
    assert is_positive(comment)


@pytest.mark.parametrize(
    "comment",
    [
        "不好看",
        "质量差，想退",
        "好看吗？",
        "喜欢但是掉色",
        "没有想象中好看",
        "求链接",
        "多少钱呀",
        "",
        "好看，集赞送我一件",
        "好看" * 50,
    ],
)
def test_complaints_questions_and_plain_comments_are_not(comment: str) -> None:
    assert not is_positive(comment)


def test_names_are_masked_to_their_first_character() -> None:
    assert mask_name("王小美") == "王*"
    assert mask_name("  Lily🌸 ") == "L*"
    # The seller's own remark (杭州-李姐) is never shown.
    assert mask_name("", "杭州-李姐") == "一位老客户"
    assert "杭州" not in mask_name("", "杭州-李姐")


def quote(customer: int, interaction: int, days_ago: int = 0, product: str = "") -> BuyerQuote:
    return BuyerQuote(
        customer, interaction, "好看，喜欢", "王*", T0 - timedelta(days=days_ago), product
    )


def test_no_customer_is_quoted_twice_within_the_window() -> None:
    quotes = [quote(1, 10), quote(1, 11, 1), quote(2, 20, 2)]
    picker = BuyerShowPicker(quotes, timedelta(weeks=4))
    weekly = [picker.pick(T0 + timedelta(weeks=n)) for n in range(6)]
    chosen = [p[0].customer_id if p else None for p in weekly]
    assert chosen[:2] == [1, 2]  # the newest praise first, then the other customer
    assert chosen[2:4] == [None, None]  # both quoted within four weeks
    assert chosen[4] == 1 and weekly[4] is not None
    # Four weeks on she may be quoted again.
    assert weekly[4][0].interaction_id in {10, 11}


def test_earlier_drafts_count_as_used() -> None:
    picker = BuyerShowPicker([quote(1, 10), quote(2, 20)], timedelta(weeks=4), [(T0, 1, 10)])
    picked = picker.pick(T0 + timedelta(days=7))
    assert picked is not None and picked[0].customer_id == 2
    assert picker.pick(T0 + timedelta(days=14)) is None


def test_a_quote_names_the_product_and_passes_the_wording_and_fold_checks() -> None:
    for turn in range(3):
        for product in ("法式碎花连衣裙", ""):
            text = quote_text(quote(1, 10, product=product), turn)
            assert "王*" in text and "好看，喜欢" in text
            assert product in text
            assert not forbidden_text(text)
            assert visual_lines(text) <= 6  # above WeChat's 全文 fold


def test_a_near_duplicate_caption_is_passed_over() -> None:
    """Two buyers writing 好看！ under the same dress would make two near-identical posts."""
    same = [
        BuyerQuote(1, 10, "好看！", "王*", T0, "法式碎花连衣裙"),
        BuyerQuote(2, 20, "好看！", "李*", T0 - timedelta(days=1), "法式碎花连衣裙"),
    ]
    picker = BuyerShowPicker(same, timedelta(weeks=1))
    first = picker.pick(T0)
    assert first is not None
    # Her turn's template is already on the account (as another buyer's 好看！, say).
    shown = [first[1], quote_text(BuyerQuote(3, 30, "好看！", "张*", T0, "法式碎花连衣裙"), 1)]

    def fresh(text: str) -> bool:
        return all(similarity_pct(text, other) < NEAR_DUPLICATE_PCT for other in shown)

    second = picker.pick(T0 + timedelta(days=1), fresh)
    assert not fresh(quote_text(same[1], 1))  # 90 % alike
    assert second is not None and second[0].customer_id == 2
    assert second[1] == quote_text(same[1], 2) and fresh(second[1])
    assert picker.pick(T0 + timedelta(days=2), lambda _text: False) is None
