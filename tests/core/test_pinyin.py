from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


_NAME_CHARS = (
    "张王李赵刘陈杨黄周吴曾单解仇朴区查乐长重行和了乐音银小美丽华强军芳敏静燕红霞玲"
    "婷雪梅兰英秀娟桂珍莉萍娜琳晶欢乐都会朝阳银行重庆长沙解放调查火燵"
)


@given(
    st.text(
        alphabet=st.sampled_from(_NAME_CHARS + "abcXYZ09 _-🌸\u200b·"),
        max_size=8,
    )
)
def test_fast_reading_agrees_with_pypinyin(text: str) -> None:
    """The character-table shortcut must read every text exactly as pypinyin does."""
    from moments_desk.core.pinyin import _pypinyin_syllables, _syllables

    assert _syllables(text) == _pypinyin_syllables(text)


def test_phrases_still_decide_polyphonic_readings() -> None:
    full = search_keys("重庆姑娘")[1]
    assert "chongqingguniang" in full.split()
    assert "yinxing" not in search_keys("银行卡")[1]
    # a phrase may even change a character the table knows only one reading for
    assert search_keys("火燵")[1] == "huota"
