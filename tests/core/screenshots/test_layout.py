"""WeChat's layout from text boxes: likes, comments, replies, wraps, headers, overlaps.

These feed the layout made-up boxes (what the engine returns), so they run without OCR.
"""

from __future__ import annotations

from moments_desk.core.screenshots.engine import TextBox
from moments_desk.core.screenshots.layout import group_lines, read_page, whole_lines
from moments_desk.core.screenshots.parse import merge_blocks, read_block

H = 45  # a block line's text height at phone scale


def box(x: float, y: float, text: str, link: float = 1.0, starts: bool | None = None) -> TextBox:
    width = len(text) * H * 0.9
    return TextBox(
        x, y, x + width, y + H, text, 0.99, link, link > 0.5 if starts is None else starts
    )


def shot(rows: list[list[TextBox]], height: int = 2400) -> list[TextBox]:
    return [b for row in rows for b in row]


def post_boxes(top: int = 300) -> list[TextBox]:
    """A header and a block as the engine reads a phone screenshot (boxes split by colour)."""
    y = top
    rows = [
        [box(57, 40, "20:31", 0.0)],  # status bar
        [box(483, 140, "详情", 0.0)],  # title bar, centred
        [box(192, y, "Vivian的衣橱")],
        [box(192, y + 75, "新款到货，显瘦不挑人", 0.0)],
        [box(192, y + 160, "昨天", 0.0)],
        # heart not read; likes start after it
        [box(277, y + 260, "知足阿花，Irene，笑笑，Chloe 马，")],
        [box(216, y + 322, "邹婷，七七，深圳-雷老师")],  # the engine missed the end comma
        [box(216, y + 384, "向日葵，熊静")],
        [box(216, y + 470, "朵朵"), box(300, y + 470, "：收到啦，衣服很好看，同事都问", 0.0)],
        [box(216, y + 532, "我在哪里买的", 0.0)],
        [
            box(216, y + 594, "Vivian的衣橱"),
            box(480, y + 594, "回复", 0.0),
            box(560, y + 594, "朵朵"),
            box(650, y + 594, "：明天发货哦", 0.0),
        ],
        [box(216, y + 656, "苏州-赵小妹：M码", 0.35, True)],  # one box, name and text
    ]
    return shot(rows)


def test_a_screenshot_gives_seller_time_likes_in_order_and_comments() -> None:
    page = read_page(whole_lines(group_lines(post_boxes(), 0), 2400), 0)
    assert page.seller == "Vivian的衣橱"
    assert page.time == "昨天"
    assert page.post_text == "新款到货，显瘦不挑人"
    likes, comments = read_block(merge_blocks([page]))
    assert [like.name for like in likes] == [
        "知足阿花", "Irene", "笑笑", "Chloe 马", "邹婷", "七七", "深圳-雷老师", "向日葵", "熊静",
    ]  # fmt: skip
    assert [(c.name, c.reply_to, c.text) for c in comments] == [
        ("朵朵", None, "收到啦，衣服很好看，同事都问我在哪里买的"),
        ("Vivian的衣橱", "朵朵", "明天发货哦"),
        ("苏州-赵小妹", None, "M码"),
    ]
    assert all(like.region is not None and like.region.source == 0 for like in likes)


def test_lines_cut_by_the_screen_edge_or_half_hidden_are_left_out() -> None:
    boxes = post_boxes()
    cut_top = TextBox(216, 231, 700, 251, "半行看不清", 0.99, 1.0, True)  # under the title bar
    cut_bottom = TextBox(216, 2370, 700, 2400, "厦门-史同学：扣1", 0.99, 0.4, True)
    lines = whole_lines(group_lines([*boxes, cut_top, cut_bottom], 0), 2400)
    texts = [line.text for line in lines]
    assert "半行看不清" not in texts and "厦门-史同学：扣1" not in texts
    assert "朵朵：收到啦，衣服很好看，同事都问" in texts


def test_overlapping_screenshots_are_merged_without_duplicates_in_order() -> None:
    first = read_page(whole_lines(group_lines(post_boxes(), 0), 2400), 0)
    # The second screenshot scrolled down: it starts at the wrapped likes line.
    rows = [
        [box(57, 40, "20:31", 0.0)],
        [box(483, 140, "详情", 0.0)],
        [box(216, 300, "向日葵，熊静")],
        [box(216, 386, "朵朵"), box(300, 386, "：收到啦，衣服很好看，同事都问", 0.0)],
        [box(216, 448, "我在哪里买的", 0.0)],
        [box(216, 510, "Vivian的衣橱回复朵朵：明天发货哦", 0.3, True)],
        [box(216, 572, "苏州-赵小妹：M码", 0.35, True)],
        [box(216, 634, "杭州-王姐：黑色L", 0.3, True)],
        [box(216, 696, "Lily：要一件", 0.3, True)],
    ]
    second = read_page(whole_lines(group_lines(shot(rows), 1), 2400), 1)
    assert second.time is None
    # Given in the wrong order: the screenshot with the post's header still goes first.
    likes, comments = read_block(merge_blocks([second, first]))
    assert [like.name for like in likes][-2:] == ["向日葵", "熊静"]
    assert [c.name for c in comments] == [
        "朵朵",
        "Vivian的衣橱",
        "苏州-赵小妹",
        "杭州-王姐",
        "Lily",
    ]
    assert comments[-1].region is not None and comments[-1].region.source == 1


def test_emoji_junk_around_a_name_is_dropped_and_a_name_said_twice_counts_once() -> None:
    rows = [
        [box(192, 300, "2小时前", 0.0)],
        [box(277, 400, "?Lily，小美☆，Amy，"), box(900, 400, "小美")],
    ]
    page = read_page(whole_lines(group_lines(shot(rows), 0), 2400), 0)
    likes, _ = read_block(page.block)
    assert [like.name for like in likes] == ["Lily", "小美", "Amy"]


def test_a_glyph_read_by_two_overlapping_boxes_is_kept_once_and_edge_marks_dropped() -> None:
    first = TextBox(216, 400, 300, 445, "，安", 0.9, 1.0, True)
    second = TextBox(270, 400, 520, 445, "安然清风，", 0.9, 1.0, True)
    rows = [[box(192, 300, "昨天", 0.0)], [first, second, box(540, 400, "「陈露.")]]
    page = read_page(whole_lines(group_lines(shot(rows), 0), 2400), 0)
    likes, _ = read_block(page.block)
    assert [like.name for like in likes] == ["安然清风", "陈露"]


def test_dark_mode_likes_with_fainter_blue_are_still_likes() -> None:
    rows = [
        [box(192, 300, "昨天", 0.0)],
        [box(277, 400, "妞妞十一，果果，微笑，", 0.67)],  # dark mode: less ink reads as blue
        [box(216, 462, "Ivy贾，段兰", 0.62)],
        [box(216, 524, "果果：要一件", 0.35, True)],
    ]
    likes, comments = read_block(read_page(whole_lines(group_lines(shot(rows), 0), 2400), 0).block)
    assert [like.name for like in likes] == ["妞妞十一", "果果", "微笑", "Ivy贾", "段兰"]
    assert [(c.name, c.text) for c in comments] == [("果果", "要一件")]


def test_the_sellers_reply_is_hers_even_with_one_character_misread() -> None:
    from moments_desk.core.screenshots.review import _is_own

    assert _is_own("悦己服饰", {"悦已服饰"})
    assert not _is_own("悦己", {"悦已"})  # two characters: too short to forgive
    assert not _is_own("小美", {"悦已服饰"})
