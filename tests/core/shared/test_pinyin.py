from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moments_desk.core.shared.pinyin import (
    CUSTOMER_SEARCH_FIELDS,
    FIELD_SEPARATOR,
    customer_search_text,
    customer_search_texts,
    name_pinyin,
    normalise_query,
    search_keys,
)


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
    from moments_desk.core.shared.pinyin import _pypinyin_syllables, _syllables

    assert _syllables(text) == _pypinyin_syllables(text)


def test_phrases_still_decide_polyphonic_readings() -> None:
    full = search_keys("重庆姑娘")[1]
    assert "chongqingguniang" in full.split()
    assert "yinxing" not in search_keys("银行卡")[1]
    # a phrase may even change a character the table knows only one reading for
    assert search_keys("火燵")[1] == "huota"


_NAME_PARTS = st.sampled_from(
    ["张", "三", "曾", "单", "小", "梅", "重庆", "银行", "-", " ", "Amy", "VIP", "🌸", "䷀", "1"]
)
_NAMES = st.lists(_NAME_PARTS, max_size=5).map("".join)
_PLAIN = st.one_of(st.none(), st.just(""), st.sampled_from(["wxid_AB", "lily", "13800138000"]))


@given(st.lists(st.tuples(_NAMES, _NAMES, _PLAIN, _PLAIN), max_size=12))
def test_many_customers_get_the_search_text_one_customer_gets(
    rows: list[tuple[str, str, str | None, str | None]],
) -> None:
    """An import's batch path writes exactly what saving each customer would write."""
    nicknames = [row[0] for row in rows]
    remarks = [row[1] for row in rows]
    wechat_ids = [row[2] for row in rows]
    phones = [row[3] for row in rows]
    expected = [customer_search_text(*row) for row in rows]
    assert customer_search_texts(nicknames, remarks, wechat_ids, phones) == expected


def test_many_customers_with_very_long_names_match_one_customer() -> None:
    long = "张" * 150 + "-" + "三" * 150
    rows = [(long, long, "w", None), ("张三", "李四", None, "13800138000")]
    expected = [customer_search_text(*row) for row in rows]
    columns = [list(c) for c in zip(*rows, strict=True)]
    assert customer_search_texts(*columns) == expected


def test_a_customer_search_text_holds_every_field_in_its_place() -> None:
    text = customer_search_text("曾小梅", "杭州-Lily", "Wxid_AB", "13800138000")
    fields = dict(zip(CUSTOMER_SEARCH_FIELDS, text.split(FIELD_SEPARATOR), strict=True))
    assert fields == {
        "nickname": "曾小梅",
        "nickname_initials": "zxm cxm",
        "nickname_pinyin": "zengxiaomei cengxiaomei",
        "wechat_id": "wxid_ab",
        "phone": "13800138000",
        "remark": "杭州-lily",
        "remark_initials": "hzl",
        "remark_pinyin": "hangzhoulily",
    }
    assert name_pinyin(text) == ("zengxiaomei", "cengxiaomei", "hangzhoulily")
    no_remark = customer_search_text("🌸", "", None, None)
    assert no_remark.split(FIELD_SEPARATOR) == ["🌸"]  # empty fields at the end left out
    assert name_pinyin(no_remark) == ()
    assert name_pinyin(customer_search_text("张三", "", None, None)) == ("zhangsan",)


def _keys_one_by_one(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A text's keys read from its own syllables, as saving one customer reads them."""
    from moments_desk.core.shared.pinyin import SURNAME_READINGS, _keys_with_surname, _syllables

    surname = SURNAME_READINGS.get(text.lstrip()[:1])
    if surname is not None:
        return _keys_with_surname(text, surname)
    syllables = _syllables(text)
    full = "".join(syllables)
    return (("".join(s[0] for s in syllables),), (full,)) if full else ((), ())


_BATCH_PARTS = st.sampled_from(
    ["张", "三", "曾", "长沙", "重庆", "银行", "-", " ", "\n", "Amy", "vip", "🌸", "䷀", "1", "·"]
)


@given(st.lists(st.lists(_BATCH_PARTS, max_size=5).map("".join), max_size=15))
def test_names_read_together_get_the_keys_each_gets_alone(texts: list[str]) -> None:
    """An import reads all names in one pass (joined, split into Han runs once); every name
    must come out as if read on its own, whatever its neighbours end or start with."""
    from moments_desk.core.shared.pinyin import (
        _name_fields,
        _names_fields,
        _text_keys,
        forget_cached_names,
    )

    forget_cached_names()
    together = _names_fields(set(texts))
    for text in texts:
        assert _text_keys(text) == _keys_one_by_one(text)
        assert together[text] == _name_fields(text)
