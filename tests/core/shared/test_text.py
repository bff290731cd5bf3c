"""Tag cells and pasted text, as products, customers and imports all read them."""

from __future__ import annotations

from moments_desk.core.shared.tags import MAX_TAG, split_tags
from moments_desk.core.shared.text import clean_text


def test_split_tags_accepts_chinese_separators() -> None:
    assert split_tags("新品，百搭、法式;新品 通勤") == ["新品", "百搭", "法式", "通勤"]


def test_a_tag_longer_than_allowed_is_cut_and_then_counted_once() -> None:
    long = "长" * (MAX_TAG + 5)
    assert split_tags(f"{long}，{long}x") == ["长" * MAX_TAG]


def test_pasted_zero_width_noise_is_removed_and_the_length_bounded() -> None:
    assert clean_text(" \u200b小美\ufeff ", 100) == "小美"
    assert clean_text("张三丰", 2) == "张三"
