"""Matching pasted names gives the same answer whichever path finds it: the quick SQL look-up
of exact names, the cached index, or the fuzzy scan over a few candidate keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.tracking.matching import (
    FUZZY_THRESHOLD,
    MAX_CHOICES,
    CustomerIndex,
    MatchReason,
    MatchStatus,
    PastedName,
    cached_index,
    clean_name,
    clear_index_cache,
    match_pasted,
    name_key,
    parse_pasted,
)
from moments_desk.core.tracking.pasted import plain_key as _plain_key
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import Customer, WeChatAccount

FAST = settings(max_examples=60, deadline=None, derandomize=True)
WIDE = settings(max_examples=2000, deadline=None)
#: (nickname, remark, city, wechat id) on the main account; the second account has a few.
PEOPLE = [
    ("小美", "", "杭州", "wx_xm"),
    ("小美美", "", "", None),
    ("阿花", "杭州-陈姐", "杭州", "wx_ah"),
    ("杭州-陈姐", "", "宁波", None),  # someone's nickname is another one's remark
    ("Lily李🌸", "", "", "lily"),
    ("王 芳", "王芳", "", None),
    ("Amy", "", "上海", None),
    ("amy", "", "", None),
    ("ＡＢＣ", "", "", None),
    ("曾小梅", "梅姐", "", None),
    ("张三", "张三", "", None),
    ("张三丰", "", "", None),
]
OTHER = [("小美", "", "北京", None), ("陌生人", "", "", None)]
NAMES = sorted(
    {n for p in PEOPLE + OTHER for n in p[:2] if n}
    | {"xiaomei", "chenjie", "Lily李", "王芳", "AMY", "abc", "小美 ", "张三丰丰", "梅", "无名"}
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sessionmaker[Session], int]]:
    engine = make_engine(sqlite_url(tmp_path_factory.mktemp("match") / "shop.sqlite3"))
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        main, other = WeChatAccount(label="主号"), WeChatAccount(label="小号")
        s.add_all([main, other])
        s.flush()
        for account, people in ((main.id, PEOPLE), (other.id, OTHER)):
            for nickname, remark, city, wechat_id in people:
                create_customer(
                    s,
                    CustomerDraft(
                        account_id=account,
                        nickname=nickname,
                        remark=remark,
                        city=city,
                        wechat_id=wechat_id or "",
                    ),
                )
        main_id = main.id
    yield sessions, main_id
    engine.dispose()


def _compare(sessions: sessionmaker[Session], account: int | None, names: list[str]) -> None:
    pasted = [PastedName(n, "", i) for i, n in enumerate(names, 1)]
    with sessions() as s:
        clear_index_cache()
        cold, searched_cold = match_pasted(s, account, pasted)
        index = CustomerIndex.load(s, account)
        expected = [index.match(p) for p in pasted]
        warm, searched_warm = match_pasted(s, account, pasted)  # the index is cached now
    assert cold == expected
    assert warm == expected
    assert searched_cold == searched_warm == len(index)


@FAST
@given(st.lists(st.sampled_from(NAMES), max_size=8), st.sampled_from([True, False]))
def test_every_path_gives_the_same_matches(
    shop: tuple[sessionmaker[Session], int], names: list[str], this_account: bool
) -> None:
    sessions, account = shop
    _compare(sessions, account if this_account else None, names)


@pytest.mark.slow
@WIDE
@given(st.lists(st.sampled_from(NAMES) | st.text(max_size=6), max_size=12), st.booleans())
def test_every_path_gives_the_same_matches_wide(
    shop: tuple[sessionmaker[Session], int], names: list[str], this_account: bool
) -> None:
    sessions, account = shop
    _compare(sessions, account if this_account else None, [n for n in names if n])


def test_a_remark_beats_a_nickname_and_details_tell_people_apart(
    shop: tuple[sessionmaker[Session], int],
) -> None:
    sessions, account = shop
    with sessions() as s:
        clear_index_cache()
        (match,), searched = match_pasted(s, account, [PastedName("杭州-陈姐", "", 1)])
    assert searched == len(PEOPLE)
    assert match.status is MatchStatus.AMBIGUOUS
    assert [(c.display, c.reason, c.score, c.detail) for c in match.candidates] == [
        ("杭州-陈姐", MatchReason.REMARK, 100.0, "阿花 · 杭州 · wx_ah"),
        ("杭州-陈姐", MatchReason.NICKNAME, 100.0, "宁波"),
    ]


def test_a_remark_equal_to_the_nickname_is_one_match(
    shop: tuple[sessionmaker[Session], int],
) -> None:
    sessions, account = shop
    with sessions() as s:
        clear_index_cache()
        (cold,), _ = match_pasted(s, account, [PastedName("张三", "", 1)])
        (warm,), _ = match_pasted(s, account, [PastedName("张三", "", 1)])
    for match in (cold, warm):
        assert match.status is MatchStatus.MATCHED
        assert [(c.display, c.reason, c.detail) for c in match.candidates] == [
            ("张三", MatchReason.REMARK, "张三")
        ]


def test_the_index_is_rebuilt_when_customers_change_and_kept_otherwise(
    shop: tuple[sessionmaker[Session], int],
) -> None:
    sessions, account = shop
    clear_index_cache()
    with sessions() as s:
        first = cached_index(s, account)
        assert cached_index(s, account) is first
        assert cached_index(s, None) is not first
    with sessions.begin() as s:
        added = create_customer(s, CustomerDraft(account_id=account, nickname="新朋友"))
    with sessions() as s:
        second = cached_index(s, account)
        assert second is not first and len(second) == len(first) + 1
    with sessions.begin() as s:
        s.execute(delete(Customer).where(Customer.id == added))
    with sessions() as s:
        assert len(cached_index(s, account)) == len(first)


def test_the_cache_holds_a_few_shops_at_most(shop: tuple[sessionmaker[Session], int]) -> None:
    sessions, account = shop
    clear_index_cache()
    with sessions() as s:
        first = cached_index(s, account)
        for other in (None, account + 1, account + 2, account + 3):
            cached_index(s, other)
        assert cached_index(s, account) is not first  # the fifth shop emptied the cache


def test_fuzzy_matches_offer_the_closest_few(shop: tuple[sessionmaker[Session], int]) -> None:
    sessions, account = shop
    with sessions() as s:
        index = CustomerIndex.load(s, account)
    match = index.match(PastedName("张三丰丰", "", 1))
    assert match.status is MatchStatus.AMBIGUOUS
    assert [(c.display, c.reason) for c in match.candidates] == [("张三丰", MatchReason.FUZZY)]
    assert match.candidates[0].score == pytest.approx(fuzz.ratio("张三丰丰", "张三丰"))
    assert index.match(PastedName("无名", "", 1)).status is MatchStatus.UNKNOWN
    assert index.match(PastedName("🌸", "", 1)).status is MatchStatus.UNKNOWN


def _brute_fuzzy(index_keys: list[tuple[int, str]], key: str) -> dict[int, float]:
    best: dict[int, float] = {}
    for customer_id, candidate in index_keys:
        score = fuzz.ratio(key, candidate)
        if score >= FUZZY_THRESHOLD:
            best[customer_id] = max(best.get(customer_id, 0.0), score)
    return best


keys = st.text(alphabet=st.sampled_from("小美阿花张三丰梅姐王芳李ab"), min_size=1, max_size=6)


@FAST
@given(st.lists(st.tuples(keys, keys), min_size=1, max_size=25), keys)
def test_the_fuzzy_scan_misses_no_name_a_full_scan_would_find(
    people: list[tuple[str, str]], typed: str
) -> None:
    from moments_desk.core.tracking.matching import _Person

    persons = [
        _Person(
            i,
            nick,
            remark,
            "",
            None,
            name_key(nick),
            name_key(remark),
            tuple(dict.fromkeys(k for k in (_plain_key(nick), _plain_key(remark)) if k)),
            (),
        )
        for i, (nick, remark) in enumerate(people, 1)
    ]
    index = CustomerIndex(persons)
    found = index._fuzzy(typed)
    brute = _brute_fuzzy([(p.id, k) for p in persons for k in p.plain_keys], typed)
    best = sorted(brute.values(), reverse=True)[:MAX_CHOICES]
    assert sorted((c.score for c in found), reverse=True) == pytest.approx(best)
    assert all(c.reason is MatchReason.FUZZY for c in found)


@pytest.mark.parametrize(
    ("line", "likes", "comments"),
    [
        ("小美,阿花；曾小梅|王芳", ["小美", "阿花", "曾小梅", "王芳"], []),
        ("小美 回复 阿花：好的", [], [("小美", "好的")]),
        ("\u200b\n  \n小美", ["小美"], []),
        ("「小美」, 【阿花】", ["小美", "阿花"], []),
        ("小美: 多少钱: 包邮吗", [], [("小美", "多少钱: 包邮吗")]),
    ],
)
def test_pasted_lines(line: str, likes: list[str], comments: list[tuple[str, str]]) -> None:
    parsed = parse_pasted(line)
    assert [p.name for p in parsed.likes] == likes
    assert [(p.name, p.comment) for p in parsed.comments] == comments


def test_a_name_is_cut_at_100_characters_and_comments_at_2000() -> None:
    assert clean_name("长" * 150) == "长" * 100
    parsed = parse_pasted("小美：" + "好" * 2500 + "\n小美：再来")
    (comment,) = parsed.comments
    assert len(comment.comment) == 2000 and comment.times == 2 and comment.line == 1


def test_pasted_likes_report_every_repeat_with_its_count() -> None:
    parsed = parse_pasted("小美, 小美\n小美\n阿花：一\n阿花：二")
    assert parsed.duplicates == (("小美", 3), ("阿花", 2))
    assert parsed.likes[0].times == 3


def test_a_name_written_exactly_is_that_friend_with_or_without_the_index(
    shop: tuple[sessionmaker[Session], int],
) -> None:
    """Found by these tests: before the index was cached, "Amy" matched Amy; once cached,
    the same paste was ambiguous between Amy and amy."""
    sessions, account = shop
    pasted = [PastedName("Amy", "", 1), PastedName("AMY", "", 2)]
    with sessions() as s:
        clear_index_cache()
        cold, _ = match_pasted(s, account, pasted)
        warm, _ = match_pasted(s, account, pasted)
    for matches in (cold, warm):
        assert [m.status for m in matches] == [MatchStatus.MATCHED, MatchStatus.AMBIGUOUS]
        assert [c.display for c in matches[0].candidates] == ["Amy"]
        assert [c.display for c in matches[1].candidates] == ["Amy", "amy"]


def test_every_account_is_searched_when_no_account_is_given(
    shop: tuple[sessionmaker[Session], int],
) -> None:
    """Found by these tests: with every name found exactly, "every account" reported one
    customer searched."""
    sessions, _account = shop
    with sessions() as s:
        clear_index_cache()
        _, searched = match_pasted(s, None, [PastedName("阿花", "", 1)])
    assert searched == len(PEOPLE) + len(OTHER)
