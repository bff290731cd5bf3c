from __future__ import annotations

import pytest

from moments_desk.core.pinyin import normalise_query, search_keys


def matches(query: str, *texts: str) -> bool:
    initials, full = search_keys(*texts)
    q = normalise_query(query)
    return q in initials or q in full


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("zs", "张三"),
        ("zhangsan", "张三"),
        ("zxm", "曾小梅"),
        ("zengxiaomei", "曾小梅"),
        ("sl", "单丽"),
        ("shanli", "单丽"),
        ("xxd", "解晓东"),
        ("qc", "仇春"),
        ("piaozhi", "朴智"),
        ("oujiaming", "区家明"),
        ("Zhang San", "张三"),
    ],
)
def test_names_match_how_sellers_type_them(query: str, name: str) -> None:
    assert matches(query, name)


def test_surname_reading_only_applies_to_the_first_character() -> None:
    _, full = search_keys("小曾")
    assert "xiaozeng" not in full.split() and "xiaoceng" in full.split()


def test_latin_and_emoji_in_nicknames() -> None:
    assert matches("lily", "Lily李🌸")
    assert matches("lilyli", "Lily李🌸")
    initials, full = search_keys("🌸🌸")
    assert (initials, full) == ("", "")


def test_nickname_and_remark_are_both_indexed() -> None:
    assert matches("hzlj", "橙子🍊", "杭州-李姐")
    assert matches("chengzi", "橙子🍊", "杭州-李姐")


def test_empty_and_zero_width() -> None:
    assert search_keys("") == ("", "")
    assert matches("zs", "张\u200b三")
