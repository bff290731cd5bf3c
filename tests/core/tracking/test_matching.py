"""Reading pasted WeChat names and matching them to customers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.tracking.matching import (
    CustomerIndex,
    MatchReason,
    MatchStatus,
    NameMatch,
    clean_name,
    match_names,
    parse_pasted,
)
from moments_desk.db.models import Customer
from tests.tracking_shop import NOW, build_shop

pytestmark = pytest.mark.db


def test_likes_split_on_commas_and_dun_and_keep_order() -> None:
    parsed = parse_pasted("小美, 阿花，Lily李🌸、曾小梅\n王 芳")
    assert [p.name for p in parsed.likes] == ["小美", "阿花", "Lily李🌸", "曾小梅", "王 芳"]
    assert parsed.comments == ()


def test_comment_lines_keep_their_text_with_either_colon() -> None:
    parsed = parse_pasted("小美：好看！多少钱\n阿花: 有M码吗？\n小美回复阿花：有的")
    assert [(p.name, p.comment) for p in parsed.comments] == [
        ("小美", "好看！多少钱 / 有的"),
        ("阿花", "有M码吗？"),
    ]


def test_duplicates_are_collapsed_and_reported() -> None:
    parsed = parse_pasted("小美, 阿花, 小美\nＡＭＹ, amy")
    assert [p.name for p in parsed.likes] == ["小美", "阿花", "ＡＭＹ"]
    assert ("小美", 2) in parsed.duplicates
    assert ("ＡＭＹ", 2) in parsed.duplicates


def test_names_are_cleaned_of_invisible_characters_and_full_width_spaces() -> None:
    assert clean_name("\u200b　小美\ufeff ") == "小美"
    assert clean_name("「阿花」") == "阿花"


def test_matching_exact_remark_pinyin_fuzzy_and_unknown(
    session_factory: sessionmaker[Session],
) -> None:
    shop = build_shop(session_factory)
    with session_factory() as s:
        index = CustomerIndex.load(s, shop.account_id)
    text = "小美\n杭州-陈姐\nxiaomei\nLily李\n王芳\n小美美\n陌生人甲"
    matches = {m.pasted.name: m for m in match_names(index, parse_pasted(text).likes)}
    assert matches["小美"].status is MatchStatus.MATCHED
    assert matches["小美"].customer_id == shop.customers["小美"]
    assert matches["杭州-陈姐"].candidates[0].reason is MatchReason.REMARK
    assert matches["xiaomei"].customer_id == shop.customers["小美"]
    assert matches["xiaomei"].candidates[0].reason is MatchReason.PINYIN
    # Emoji and spaces do not stop a match.
    assert matches["Lily李"].customer_id == shop.customers["Lily李🌸"]
    assert matches["王芳"].customer_id == shop.customers["王 芳"]
    # A resemblance is only offered, never decided.
    assert matches["小美美"].status is MatchStatus.AMBIGUOUS
    assert shop.customers["小美"] in [c.customer_id for c in matches["小美美"].candidates]
    assert matches["陌生人甲"].status is MatchStatus.UNKNOWN
    assert matches["陌生人甲"].customer_id is None


def test_two_customers_with_the_same_nickname_are_ambiguous(
    session_factory: sessionmaker[Session],
) -> None:
    shop = build_shop(session_factory, names=["小美", "小美 "])
    with session_factory() as s:
        index = CustomerIndex.load(s, shop.account_id)
    (match,) = match_names(index, parse_pasted("小美").likes)
    assert match.status is MatchStatus.AMBIGUOUS
    assert len(match.candidates) == 2


def test_a_customer_added_between_two_pastes_is_found_the_second_time(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.core.tracking.matching import review_paste

    shop = build_shop(session_factory)

    def review() -> MatchStatus:
        with session_factory() as s:
            return review_paste(s, shop.account_id, "xiaohong").rows[0].match.status

    assert review() is MatchStatus.UNKNOWN
    with session_factory.begin() as s:
        create_customer(s, CustomerDraft(account_id=shop.account_id, nickname="小红"))
    assert review() is MatchStatus.MATCHED


def test_private_chat_mode_records_every_name_as_an_inquiry(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.tracking.matching import review_paste
    from moments_desk.db.models import InteractionKind

    shop = build_shop(session_factory)
    with session_factory() as s:
        review = review_paste(s, shop.account_id, "阿花：有M码吗\n小美", private_chat=True)
    assert [(r.kind, r.match.pasted.name) for r in review.rows] == [
        (InteractionKind.INQUIRY, "阿花"),
        (InteractionKind.INQUIRY, "小美"),
    ]
    assert review.rows[0].match.pasted.comment == "有M码吗"


# -- the cached index follows the shop --------------------------------------------------------


def _paste(sessions: sessionmaker[Session], account_id: int, text: str) -> list[str]:
    from moments_desk.core.tracking.matching import review_paste

    with sessions() as s:
        review = review_paste(s, account_id, text)
    return [c.display for row in review.rows for c in row.match.candidates[:1]]


def test_a_renamed_friend_is_found_by_her_new_name_after_a_paste(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.customers.customers import CustomerDraft, update_customer
    from moments_desk.core.tracking.matching import clear_index_cache

    # Given a paste that built the index: "xiaohua" (pinyin) is nobody yet
    clear_index_cache()
    shop = build_shop(session_factory)
    assert _paste(session_factory, shop.account_id, "xiaohua") == []
    # When 阿花 is renamed 小花 (as many customers as before, no new one)
    with session_factory.begin() as s:
        update_customer(
            s, shop.customers["阿花"], CustomerDraft(account_id=shop.account_id, nickname="小花")
        )
    # Then the next paste finds her by the new name's pinyin
    assert _paste(session_factory, shop.account_id, "xiaohua") == ["小花"]


def test_each_shop_file_is_matched_against_its_own_customers(
    tmp_path: Path,
) -> None:
    from moments_desk.core.tracking.matching import clear_index_cache
    from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
    from moments_desk.db.migrate import upgrade_to_head

    # Given two shop files opened one after the other, each with account 1 and two
    # customers last changed at the same moment
    clear_index_cache()
    shops = []
    for name, friends in (("a", ["小美"]), ("b", ["小红"])):
        engine = make_engine(sqlite_url(tmp_path / f"{name}.sqlite3"))
        upgrade_to_head(engine)
        sessions = make_session_factory(engine)
        shops.append((engine, build_shop(sessions, names=friends)))
        with sessions.begin() as s:
            s.execute(update(Customer).values(updated_at=NOW))
    try:
        # When the same pinyin is pasted in both
        found = [
            _paste(make_session_factory(engine), shop.account_id, "xiaomei\nxiaohong")
            for engine, shop in shops
        ]
    finally:
        for engine, _shop in shops:
            engine.dispose()
    # Then each finds only its own friend
    assert found == [["小美"], ["小红"]]


def test_six_friends_of_one_name_offer_the_first_five(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.tracking.matching import (
        MAX_CHOICES,
        PastedName,
        clear_index_cache,
        match_pasted,
    )

    shop = build_shop(session_factory, names=["小美"] * 6)
    with session_factory() as s:
        ids = sorted(s.scalars(select(Customer.id).where(Customer.nickname == "小美")).all())
        clear_index_cache()
        (cold,), _ = match_pasted(s, shop.account_id, [PastedName("小美", "", 1)])
        (warm,), _ = match_pasted(s, shop.account_id, [PastedName("小美", "", 1)])
        (plain,), _ = match_pasted(s, shop.account_id, [PastedName("小美!", "", 1)])
    for match in (cold, warm, plain):
        assert match.status is MatchStatus.AMBIGUOUS
        assert [c.customer_id for c in match.candidates] == ids[:MAX_CHOICES]


# -- a whole paste, reviewed --------------------------------------------------------------------


def test_a_paste_lists_likers_in_their_order_then_commenters(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.tracking.matching import review_paste
    from moments_desk.db.models import InteractionKind

    # Given a shop of six customers
    shop = build_shop(session_factory)
    # When the seller pastes a comment, then two likers (one of them twice)
    with session_factory() as s:
        review = review_paste(s, shop.account_id, "小美：好看\n阿花, 曾小梅\n阿花")
    # Then the likers come first, in their order, then the comment, each matched
    assert [(r.kind, r.match.pasted.name, r.match.customer_id) for r in review.rows] == [
        (InteractionKind.LIKE, "阿花", shop.customers["阿花"]),
        (InteractionKind.LIKE, "曾小梅", shop.customers["曾小梅"]),
        (InteractionKind.COMMENT, "小美", shop.customers["小美"]),
    ]
    assert [r.match.pasted.line for r in review.rows] == [2, 2, 1]
    assert review.duplicates == (("阿花", 2),)
    assert review.customers_searched == 6


def test_in_a_private_chat_paste_each_friend_is_one_inquiry_with_what_she_wrote(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.tracking.matching import review_paste
    from moments_desk.db.models import InteractionKind

    shop = build_shop(session_factory)
    with session_factory() as s:
        review = review_paste(
            s, shop.account_id, "曾小梅\n阿花\n小美：有M码吗\n阿花：在吗", private_chat=True
        )
    assert [(r.kind, r.match.pasted.name, r.match.pasted.comment) for r in review.rows] == [
        (InteractionKind.INQUIRY, "曾小梅", ""),
        (InteractionKind.INQUIRY, "小美", "有M码吗"),
        (InteractionKind.INQUIRY, "阿花", "在吗"),
    ]
    assert review.customers_searched == 6


def test_a_friend_who_liked_and_commented_is_no_duplicate() -> None:
    parsed = parse_pasted("小美\n小美：好看")
    assert [p.name for p in parsed.likes] == [p.name for p in parsed.comments] == ["小美"]
    assert parsed.duplicates == ()


def test_a_comment_line_without_a_name_is_left_out() -> None:
    parsed = parse_pasted("「」：好看\n阿花：  有M码吗  ")
    assert [(p.name, p.comment, p.line) for p in parsed.comments] == [("阿花", "有M码吗", 2)]
    assert parsed.likes == ()


def test_a_paste_on_one_account_never_matches_a_friend_of_another(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.core.tracking.matching import (
        PastedName,
        clear_index_cache,
        match_pasted,
        review_paste,
    )
    from moments_desk.db.models import WeChatAccount

    # Given 小红 and 陈姐 are friends of the second account only
    shop = build_shop(session_factory)
    with session_factory.begin() as s:
        second = WeChatAccount(label="小号")
        s.add(second)
        s.flush()
        for nickname in ("小红", "陈姐"):
            create_customer(s, CustomerDraft(account_id=second.id, nickname=nickname))
    clear_index_cache()
    with session_factory() as s:
        # When the seller pastes them under a post of the main account, first before any
        # index is built, then after a search over every account built one
        cold = review_paste(s, shop.account_id, "小红\nxiaohong")
        match_pasted(s, None, [PastedName("无名", "", 1)])
        warm = review_paste(s, shop.account_id, "陈姐\nchenjie")
    # Then nobody is found: they are not her friends on this account
    for review in (cold, warm):
        assert [r.match.status for r in review.rows] == [MatchStatus.UNKNOWN] * 2
        assert review.customers_searched == 6


def test_the_sellers_remark_comes_before_an_older_friends_nickname(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.tracking.matching import (
        PastedName,
        cached_index,
        clear_index_cache,
        match_pasted,
    )

    # Given a friend whose nickname is 杭州-陈姐, and a newer friend the seller remarked so
    shop = build_shop(session_factory, names=["杭州-陈姐"])
    clear_index_cache()
    with session_factory() as s:
        (cold,), _ = match_pasted(s, shop.account_id, [PastedName("杭州-陈姐", "", 1)])
        cached_index(s, shop.account_id)  # as after a paste with a name not found exactly
        (warm,), _ = match_pasted(s, shop.account_id, [PastedName("杭州-陈姐", "", 1)])
    # Then, either way, the seller's own label is offered first, the nickname second
    for match in (cold, warm):
        assert match.status is MatchStatus.AMBIGUOUS
        assert [(c.customer_id, c.reason) for c in match.candidates] == [
            (shop.customers["备注人"], MatchReason.REMARK),
            (shop.customers["杭州-陈姐"], MatchReason.NICKNAME),
        ]


def test_one_long_comment_is_cut_at_2000_characters() -> None:
    (comment,) = parse_pasted("小美：" + "好" * 2500).comments
    assert comment.comment == "好" * 2000


def test_names_keep_their_own_letters_at_either_end() -> None:
    assert clean_name("Xavier X") == "Xavier X"
    assert clean_name("“Max”") == "Max"


def _statuses(sessions: sessionmaker[Session], account_id: int | None, text: str) -> list[str]:
    from moments_desk.core.tracking.matching import match_pasted

    with sessions() as s:
        matches, _ = match_pasted(s, account_id, list(parse_pasted(text).likes))
    return [m.status.value for m in matches]


def test_a_friend_deleted_since_the_last_paste_is_no_longer_offered(
    session_factory: sessionmaker[Session],
) -> None:
    from sqlalchemy import delete

    from moments_desk.core.tracking.matching import clear_index_cache

    # Given a paste that found 阿花 by her pinyin (the index is built and kept)
    clear_index_cache()
    shop = build_shop(session_factory)
    assert _statuses(session_factory, shop.account_id, "ahua") == ["matched"]
    # When she is deleted (not the newest customer, nor the last changed)
    with session_factory.begin() as s:
        s.execute(delete(Customer).where(Customer.id == shop.customers["阿花"]))
    # Then the next paste no longer offers her
    assert _statuses(session_factory, shop.account_id, "ahua") == ["unknown"]


def test_a_friend_added_on_a_laptop_whose_clock_is_behind_is_found(
    session_factory: sessionmaker[Session],
) -> None:
    from sqlalchemy import delete

    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.core.tracking.matching import clear_index_cache

    # Given a paste that built the index
    clear_index_cache()
    shop = build_shop(session_factory)
    assert _statuses(session_factory, shop.account_id, "xiaohong") == ["unknown"]
    # When another laptop, its clock an hour behind, deletes 阿花 and adds 小红: as many
    # customers as before, and none changed later than the last one here
    with session_factory.begin() as s:
        s.execute(delete(Customer).where(Customer.id == shop.customers["阿花"]))
        added = create_customer(s, CustomerDraft(account_id=shop.account_id, nickname="小红"))
        s.flush()
        s.execute(
            update(Customer)
            .where(Customer.id == added)
            .values(updated_at=NOW - timedelta(days=400))
        )
    # Then the next paste finds 小红
    assert _statuses(session_factory, shop.account_id, "xiaohong") == ["matched"]


def test_a_search_over_every_account_sees_a_friend_added_since(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.core.tracking.matching import clear_index_cache

    clear_index_cache()
    shop = build_shop(session_factory)
    assert _statuses(session_factory, None, "xiaohong") == ["unknown"]
    with session_factory.begin() as s:
        create_customer(s, CustomerDraft(account_id=shop.account_id, nickname="小红"))
    assert _statuses(session_factory, None, "xiaohong") == ["matched"]


def test_each_way_of_finding_a_friend_says_how_sure_it_is(
    session_factory: sessionmaker[Session],
) -> None:
    # Given friends 小美, 李, Lily李🌸 and 王 芳 (among others)
    shop = build_shop(session_factory, names=["小美", "李", "Lily李🌸", "王 芳"])
    with session_factory() as s:
        index = CustomerIndex.load(s, shop.account_id)
    text = "小美\nLily李\n王芳\nxiaomei\nli"
    found = [
        (m.pasted.name, m.status, m.customer_id, m.candidates[0].reason, m.candidates[0].score)
        for m in match_names(index, parse_pasted(text).likes)
    ]
    # Then a name written exactly, or but for spaces, is sure (100), one without its emoji
    # almost (99), a pinyin spelling of two letters or more less so (95); each is one friend
    assert found == [
        ("小美", MatchStatus.MATCHED, shop.customers["小美"], MatchReason.NICKNAME, 100.0),
        ("Lily李", MatchStatus.MATCHED, shop.customers["Lily李🌸"], MatchReason.NICKNAME, 99.0),
        ("王芳", MatchStatus.MATCHED, shop.customers["王 芳"], MatchReason.NICKNAME, 100.0),
        ("xiaomei", MatchStatus.MATCHED, shop.customers["小美"], MatchReason.PINYIN, 95.0),
        ("li", MatchStatus.MATCHED, shop.customers["李"], MatchReason.PINYIN, 95.0),
    ]


def _shop_of(sessions: sessionmaker[Session], people: list[tuple[str, str]]) -> dict[str, int]:
    """An account with these (nickname, remark) friends, made in this order."""
    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.db.models import WeChatAccount

    with sessions.begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        ids = {"account": account.id}
        for nickname, remark in people:
            draft = CustomerDraft(account_id=account.id, nickname=nickname, remark=remark)
            ids[nickname] = create_customer(s, draft)
    return ids


def _offered(sessions: sessionmaker[Session], account_id: int, name: str) -> NameMatch:
    from moments_desk.core.tracking.matching import PastedName, clear_index_cache, match_pasted

    clear_index_cache()
    with sessions() as s:
        (match,), _ = match_pasted(s, account_id, [PastedName(name, "", 1)])
    return match


def test_resemblances_are_offered_closest_first_each_friend_once_at_her_best(
    session_factory: sessionmaker[Session],
) -> None:
    # Given three friends resembling 小美美美, the oldest least; the middle one resembles it
    # by her nickname (86) and, closer, by the seller's remark (89)
    ids = _shop_of(
        session_factory,
        [("小美美美美美", ""), ("小美美", "小美美美美"), ("美美美", "")],
    )
    match = _offered(session_factory, ids["account"], "小美美美")
    # Then all three are offered, closest first, the middle one once, at 89
    assert match.status is MatchStatus.AMBIGUOUS
    assert [(c.customer_id, round(c.score)) for c in match.candidates] == [
        (ids["小美美"], 89),
        (ids["美美美"], 86),
        (ids["小美美美美美"], 80),
    ]
    assert {c.reason for c in match.candidates} == {MatchReason.FUZZY}


def test_a_resemblance_without_the_rarest_character_is_still_offered(
    session_factory: sessionmaker[Session],
) -> None:
    # 丰 is in no friend's name; 张三 still resembles 张三丰 (80)
    ids = _shop_of(session_factory, [("张三", ""), ("张小", ""), ("三小", "")])
    match = _offered(session_factory, ids["account"], "张三丰")
    assert [(c.customer_id, c.score) for c in match.candidates] == [(ids["张三"], 80.0)]


def test_the_sellers_remark_is_found_without_its_emoji(
    session_factory: sessionmaker[Session],
) -> None:
    ids = _shop_of(session_factory, [("Amy_2024", "梅姐🌸")])
    match = _offered(session_factory, ids["account"], "梅姐")
    assert match.status is MatchStatus.MATCHED
    assert [(c.customer_id, c.score) for c in match.candidates] == [(ids["Amy_2024"], 99.0)]


def test_a_remark_equal_to_the_nickname_is_one_friend_when_pasted_with_an_emoji(
    session_factory: sessionmaker[Session],
) -> None:
    ids = _shop_of(session_factory, [("张三", "张三"), ("李四🌸", "李四")])
    for pasted, friend in (("张三🌸", "张三"), ("李四!", "李四🌸")):
        match = _offered(session_factory, ids["account"], pasted)
        assert match.status is MatchStatus.MATCHED
        assert [c.customer_id for c in match.candidates] == [ids[friend]]


def test_a_name_differing_only_in_spaces_tabs_or_invisible_characters_is_exact(
    session_factory: sessionmaker[Session],
) -> None:
    # Given friends as a spreadsheet import may have left them: a tab inside a name
    ids = _shop_of(session_factory, [("Amy Lee", ""), ("小美\t芳", ""), ("王芳", "")])
    # When names are read without those spaces, or with a zero-width one (a screenshot)
    for pasted, friend in (("AmyLee", "Amy Lee"), ("小美芳", "小美\t芳"), ("王\u200b芳", "王芳")):
        match = _offered(session_factory, ids["account"], pasted)
        # Then each is her, as sure as a name written exactly
        assert [(c.customer_id, c.score) for c in match.candidates] == [(ids[friend], 100.0)]
        assert match.status is MatchStatus.MATCHED


def test_a_friend_whose_nickname_is_only_emoji_is_found_by_the_remark(
    session_factory: sessionmaker[Session],
) -> None:
    ids = _shop_of(session_factory, [("🌸🌸", "花姐🌸")])
    match = _offered(session_factory, ids["account"], "花姐")
    assert [(c.customer_id, c.score) for c in match.candidates] == [(ids["🌸🌸"], 99.0)]


def test_five_resemblances_are_offered_even_when_one_friend_resembles_twice(
    session_factory: sessionmaker[Session],
) -> None:
    # Given six friends resembling 小美美美, the first by her nickname and her remark
    people = [("小美美美a", "a小美美美")] + [(f"小美美美{c}", "") for c in "bcde"]
    ids = _shop_of(session_factory, [*people, ("小美美", "")])
    match = _offered(session_factory, ids["account"], "小美美美")
    # Then the five closest friends are offered, each once
    assert [c.customer_id for c in match.candidates] == [ids[n] for n, _ in people]
