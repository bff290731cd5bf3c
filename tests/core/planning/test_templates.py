"""Templates with placeholders, and the text WeChat forbids in Moments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from moments_desk.core.planning.templates import (
    TemplateContext,
    TemplateError,
    TemplateProduct,
    render_template,
    template_placeholders,
    validate_template,
)
from moments_desk.core.planning.wording import ForbiddenReason, forbidden_text
from tests.sentences import error_text

DRESS = TemplateProduct(
    name="法式碎花连衣裙",
    price=Decimal("129.00"),
    code="QZ2611-03",
    category="连衣裙",
    selling_points="显瘦、垂感好",
    link="https://item.taobao.com/item.htm?id=1",
    stock=5,
    tags=("新品", "连衣裙"),
)
COAT = TemplateProduct(name="燕麦色开衫", price=Decimal("89.90"), code="KS01")
TUESDAY = date(2026, 11, 24)


def test_every_placeholder_renders_from_the_product() -> None:
    template = (
        "✨周{weekday}上新｜{name} {price}\n{selling_points} {code} {category} {link} {tags} "
        "剩{stock}件 {shop} {date}"
    )
    text = render_template(template, TemplateContext([DRESS], "棉袄小铺🌸", TUESDAY))
    assert text == (
        "✨周二上新｜法式碎花连衣裙 ¥129\n显瘦、垂感好 QZ2611-03 连衣裙 "
        "https://item.taobao.com/item.htm?id=1 #新品 #连衣裙 剩5件 棉袄小铺🌸 11月24日"
    )


def test_several_products_are_joined_and_each_price_names_its_product() -> None:
    text = render_template("{name}：{price}", TemplateContext([DRESS, COAT]))
    assert text == "法式碎花连衣裙、燕麦色开衫：法式碎花连衣裙 ¥129 / 燕麦色开衫 ¥89.90"
    listed = render_template("{清单}", TemplateContext([DRESS, COAT]))
    assert listed == "· 法式碎花连衣裙 ¥129\n· 燕麦色开衫 ¥89.90"
    assert render_template("{商品名} {价格}", TemplateContext([DRESS])) == "法式碎花连衣裙 ¥129"


def test_emoji_and_literal_braces_survive() -> None:
    text = render_template("🆕💕{{限量}} {name}👗", TemplateContext([DRESS]))
    assert text == "🆕💕{限量} 法式碎花连衣裙👗"


def test_without_products_the_product_placeholders_are_empty() -> None:
    assert render_template("周{weekday}的午间分享{name}", TemplateContext(day=TUESDAY)) == (
        "周二的午间分享"
    )


def test_an_unknown_placeholder_is_named() -> None:
    with pytest.raises(TemplateError) as caught:
        render_template("上新啦 {名字} {price}", TemplateContext([DRESS]))
    assert caught.value.params["placeholder"] == "{名字}"
    assert "{名字}" in str(caught.value) and "{name}" in str(caught.value)
    assert "{名字}" in error_text(caught.value.code, caught.value.params, "zh_CN")
    assert "不是可用的占位符" in error_text(caught.value.code, caught.value.params, "zh_CN")


@pytest.mark.parametrize("template", ["{price:.2f}", "{name!r}", "{0}", "{}"])
def test_format_tricks_are_not_placeholders(template: str) -> None:
    with pytest.raises(TemplateError) as caught:
        validate_template(template)
    assert caught.value.code == "unknown_placeholder"


def test_an_unmatched_brace_is_explained() -> None:
    with pytest.raises(TemplateError) as caught:
        validate_template("价格 {price")
    assert caught.value.code == "bad_braces"
    assert template_placeholders("{name}{price}{name}") == ["name", "price"]


@pytest.mark.parametrize(
    ("text", "reason", "phrase"),
    [
        ("集赞30个送同款", ForbiddenReason.COLLECT_LIKES, "集赞"),
        ("点赞送小礼物", ForbiddenReason.COLLECT_LIKES, "点赞送"),
        ("转发抽奖三位", ForbiddenReason.REWARD_SHARING, "转发抽奖"),
        ("转发送试用装", ForbiddenReason.REWARD_SHARING, "转发送"),
        ("帮我助力一下", ForbiddenReason.HELP_FOR_REWARD, "助力"),
        ("转发到群里领红包", ForbiddenReason.RED_PACKET_SHARING, "转发到群里领红包"),
        ("￥AbCd1234XyZ￥", ForbiddenReason.TAOBAO_CODE, "￥AbCd1234XyZ￥"),
        ("€Xy12Ab34Cd€ 去看看", ForbiddenReason.TAOBAO_CODE, "€Xy12Ab34Cd€"),
        ("复制这段描述后打开", ForbiddenReason.TAOBAO_CODE, "复制这段描述"),
        ("转发有奖，评论区见", ForbiddenReason.REWARD_SHARING, "转发有奖"),
        ("点赞的宝贝优先发货", ForbiddenReason.LIKES_FOR_PRIORITY, "点赞的宝贝优先发货"),
        ("前20位点赞的优先发货", ForbiddenReason.LIKES_FOR_PRIORITY, "点赞的优先发货"),
    ],
)
def test_forbidden_phrases_are_found(text: str, reason: ForbiddenReason, phrase: str) -> None:
    (warning,) = [w for w in forbidden_text(text) if w.phrase == phrase]
    assert warning.reason is reason
    assert text[warning.start : warning.end] == phrase


def test_only_likes_for_priority_is_a_mere_warning() -> None:
    hard = {w.reason: w.hard for w in forbidden_text("集赞，转发有奖，助力，点赞的宝贝优先发货")}
    assert hard == {
        ForbiddenReason.COLLECT_LIKES: True,
        ForbiddenReason.REWARD_SHARING: True,
        ForbiddenReason.HELP_FOR_REWARD: True,
        ForbiddenReason.LIKES_FOR_PRIORITY: False,
    }


@pytest.mark.parametrize(
    "text",
    [
        "到手价 ¥129，喜欢的私聊我",
        "今晚评论区随机抽2位送同款",
        "¥129 ¥99 两件更优惠",
        "发了个红包给妈妈过生日",
        "",
    ],
)
def test_ordinary_selling_text_is_not_flagged(text: str) -> None:
    assert forbidden_text(text) == []
