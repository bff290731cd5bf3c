"""Seller-facing sentences for rule codes, slot problems and planning errors, in English and
Simplified Chinese, without Qt (the UI passes its language, e.g. "zh_CN" or "en").

Every code has both languages; a test checks that every code and every parameter renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from moments_desk.core.planning.rules import RuleCode, RuleViolation

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

#: code → (English message, English advice, Chinese message, Chinese advice)
RULE_TEXTS: Mapping[RuleCode, tuple[str, str, str, str]] = {
    RuleCode.MAX_PER_DAY: (
        "{count} posts on {day}; this account allows {limit} a day.",
        "Move one to another day or skip it: friends mute accounts that flood their feed.",
        "{day} 发了 {count} 条，本号每天最多 {limit} 条。",
        "把其中一条挪到别的日子或跳过：刷屏容易被好友屏蔽。",
    ),
    RuleCode.MIN_GAP: (
        "Only {gap_minutes} minutes between the post at {first_time} ({first_hook}) and the "
        "one at {second_time} ({second_hook}); keep at least {limit_minutes}.",
        "Drag one of them further away.",
        "{first_time}「{first_hook}」和 {second_time}「{second_hook}」只隔了 {gap_minutes} 分钟，"
        "至少要隔 {limit_minutes} 分钟。",
        "把其中一条往后或往前挪一挪。",
    ),
    RuleCode.QUIET_HOURS: (
        "{time} is inside the quiet hours {start}–{end}.",
        "Friends are asleep: pick a time outside the quiet hours.",
        "{time} 在免打扰时段 {start}–{end} 内。",
        "好友都睡了，换个不在免打扰时段的时间。",
    ),
    RuleCode.SALES_PER_WEEK: (
        "{count} sales posts in the week of {week_start}; this account allows {limit}.",
        "Turn one into a lifestyle post or move it to the next week.",
        "{week_start} 这一周有 {count} 条卖货朋友圈，本号每周最多 {limit} 条。",
        "把其中一条改成生活分享，或挪到下一周。",
    ),
    RuleCode.SALES_MIX: (
        "Sales posts are {share_pct}% of the last {window_days} days ({sales} of {total}); "
        "the target is {target_pct}%.",
        "Add a lifestyle post (outfit, daily life, buyer feedback) or move a sales post.",
        "近 {window_days} 天卖货朋友圈占 {share_pct}%（{total} 条里 {sales} 条），"
        "目标是 {target_pct}%。",
        "加一条生活分享（穿搭、日常、买家反馈），或挪走一条卖货朋友圈。",
    ),
    RuleCode.PRODUCT_COOLDOWN: (
        "The same product again after {days} days; wait at least {limit_days}.",
        "Show another product, or post this one later.",
        "同一件商品 {days} 天后又发了，至少间隔 {limit_days} 天。",
        "换一件商品，或晚些再发这件。",
    ),
    RuleCode.TOO_MANY_IMAGES: (
        "{count} pictures; a Moments post holds at most {limit}.",
        "Remove pictures until {limit} are left (or make a 九宫格 of one).",
        "有 {count} 张图片，一条朋友圈最多 {limit} 张。",
        "删掉多余的图片，只留 {limit} 张（也可以用九宫格）。",
    ),
    RuleCode.TEXT_FOLDED: (
        "The text runs to about {lines} lines; WeChat folds it behind 全文 after {fold_lines}.",
        "Put the hook in the first line and shorten the rest.",
        "文案约 {lines} 行，超过 {fold_lines} 行会被折叠成“全文”。",
        "把最吸引人的一句放在第一行，其余精简一些。",
    ),
    RuleCode.MISSING_IMAGE: (
        "{count} picture file(s) are missing from disk: {files}.",
        "Add the pictures again or remove them from the post.",
        "有 {count} 张图片文件在电脑上找不到了：{files}。",
        "重新添加这些图片，或把它们从这条朋友圈里删掉。",
    ),
    RuleCode.FORBIDDEN_TEXT: (
        "“{phrase}”: {reason_text}.",
        "WeChat may fold or restrict such posts: rewrite that part.",
        "“{phrase}”：{reason_text}。",
        "微信可能折叠或限制这类朋友圈，请改写这部分。",
    ),
    RuleCode.NO_ACCOUNT: (
        "No WeChat account chosen.",
        "Pick the account(s) this post goes out on.",
        "还没选微信号。",
        "选择这条朋友圈要发在哪个（些）微信号上。",
    ),
    RuleCode.NO_TIME: (
        "No time set.",
        "Give the post a date and time, or drop it on a slot in the planner.",
        "还没设置发布时间。",
        "给它定个日期和时间，或在规划里拖到某个时段。",
    ),
    RuleCode.EMPTY_POST: (
        "The post has neither text nor pictures.",
        "Write a few lines or add pictures.",
        "这条朋友圈既没有文字也没有图片。",
        "写几句话或加几张图片。",
    ),
}

#: ForbiddenReason value → (English, Chinese)
FORBIDDEN_REASONS: Mapping[str, tuple[str, str]] = {
    "collect_likes": (
        "rewarding likes (集赞) is against WeChat's rules",
        "集赞换奖励违反微信规则",
    ),
    "reward_sharing": (
        "rewarding shares (转发抽奖, 转发送) is against WeChat's rules",
        "转发抽奖、转发送礼违反微信规则",
    ),
    "help_for_reward": (
        "asking friends to help (助力, 砍一刀) for a reward is against WeChat's rules",
        "助力、砍一刀换奖励违反微信规则",
    ),
    "red_packet_sharing": (
        "red packets for forwarding are against WeChat's rules",
        "用红包诱导转发违反微信规则",
    ),
    "taobao_code": (
        "淘口令-style codes are blocked in Moments",
        "朋友圈里不能发淘口令",
    ),
}

#: Errors (PlanningError.code) and slot problems → (English, Chinese)
ERROR_TEXTS: Mapping[str, tuple[str, str]] = {
    "unknown_placeholder": (
        "The template uses {placeholder}, which is not a placeholder. Known: {known}.",
        "模板里的 {placeholder} 不是可用的占位符。可用：{known}。",
    ),
    "bad_braces": (
        "The template has an unmatched brace. Write {{{{ or }}}} for a brace.",
        "模板里有不成对的花括号。要写花括号本身请写 {{{{ 或 }}}}。",
    ),
    "slot_same_time": (
        "{first} and {second} are at the same time on the same account. Delete one or move it.",
        "{first} 和 {second} 在同一个号的同一时间。删掉一个或换个时间。",
    ),
    "slot_too_close": (
        "{first} and {second} are only {gap_minutes} minutes apart; this account keeps at "
        "least {limit_minutes} minutes between posts.",
        "{first} 和 {second} 只隔 {gap_minutes} 分钟，本号两条朋友圈至少隔 {limit_minutes} 分钟。",
    ),
    "slot_quiet_hours": (
        "{time} is inside the quiet hours {start}–{end}: friends are asleep.",
        "{time} 在免打扰时段 {start}–{end} 内，好友都睡了。",
    ),
    "slot_bad_weekday": (
        "Weekday {weekday} does not exist.",
        "不存在星期 {weekday}。",
    ),
    "setting_out_of_range": (
        "{setting} must be between {low} and {high} (got {value}).",
        "{setting} 必须在 {low} 到 {high} 之间（现在是 {value}）。",
    ),
    "unknown_zone": (
        "{zone} is not a time zone, e.g. Asia/Shanghai.",
        "{zone} 不是时区，例如 Asia/Shanghai。",
    ),
    "account_gone": ("This account was removed meanwhile.", "这个微信号已被删除。"),
    "slot_gone": ("This slot was removed meanwhile.", "这个时段已被删除。"),
    "post_gone": ("This post was removed meanwhile.", "这条朋友圈已被删除。"),
    "image_gone": ("A picture was removed meanwhile.", "有图片已被删除。"),
    "product_gone": ("A product was removed meanwhile.", "有商品已被删除。"),
    "tag_gone": ("A tag was removed meanwhile.", "有标签已被删除。"),
    "audience_without_tags": (
        "部分可见 / 不给谁看 needs at least one customer tag.",
        "部分可见 / 不给谁看 至少要选一个客户标签。",
    ),
    "naive_time": ("A post time must carry its time zone.", "发布时间缺少时区。"),
    "not_editable": (
        "A post that was posted or skipped can no longer be changed.",
        "已发布或已跳过的朋友圈不能再修改。",
    ),
    "edited_by_person": (
        "A person edited this post; auto-drafting leaves it alone.",
        "这条朋友圈已被人工修改，自动草稿不会覆盖它。",
    ),
    "edit_conflict": (
        "{field} was changed on another computer while you were editing: saved there "
        "“{theirs}”, yours “{mine}”{more}. Your changes are still in the composer: save again "
        "to keep yours, or reopen the post to take theirs.",
        "你编辑期间，另一台电脑修改了{field}：那边保存的是“{theirs}”，你的是“{mine}”{more}。"
        "你的修改仍在编辑框里：再次保存即保留你的版本，或重新打开这条朋友圈采用对方的版本。",
    ),
    "saved_meanwhile": (
        "Another computer saved this post at the same moment. Your changes are still in the "
        "composer: save again.",
        "另一台电脑在同一时刻保存了这条朋友圈。你的修改仍在编辑框里，请再次保存。",
    ),
    "posted_is_history": (
        "This post went out; its likes and orders refer to it. Keep it.",
        "这条朋友圈已经发出，点赞和订单都关联着它，请保留。",
    ),
    "bad_transition": (
        "A {status} post cannot become {target}.",
        "“{status}”状态的朋友圈不能改成“{target}”。",
    ),
    "bad_weeks": ("Plan between 1 and 53 weeks ahead.", "只能规划未来 1 到 53 周。"),
}

#: Why auto-drafting left an occurrence empty → (English, Chinese)
EMPTY_REASONS: Mapping[str, tuple[str, str]] = {
    "no_product": (
        "no product on sale, in stock and outside the cooldown fits this slot",
        "没有符合这个时段、在售有库存且不在冷却期的商品",
    ),
    "template": ("the slot's template is broken", "这个时段的模板有错误"),
    "quiet_hours": ("inside the quiet hours", "在免打扰时段内"),
    "max_per_day": ("the day already has its maximum of posts", "当天的条数已达上限"),
    "min_gap": ("too close to another post", "离另一条朋友圈太近"),
    "sales_per_week": ("the week already has its maximum of sales posts", "本周卖货条数已达上限"),
}

KIND_LABELS: Mapping[str, tuple[str, str]] = {
    "new_arrival": ("New arrival", "上新"),
    "promotion": ("Promotion", "促销"),
    "activity": ("Activity", "活动"),
    "lifestyle": ("Lifestyle", "生活"),
    "feedback": ("Buyer feedback", "买家反馈"),
}
STATUS_LABELS: Mapping[str, tuple[str, str]] = {
    "draft": ("Draft", "草稿"),
    "awaiting_approval": ("Awaiting approval", "待审核"),
    "scheduled": ("Scheduled", "已排期"),
    "due": ("Due", "到点待发"),
    "posted": ("Posted", "已发布"),
    "skipped": ("Skipped", "已跳过"),
}


def is_chinese(language: str) -> bool:
    return language.lower().replace("-", "_").startswith("zh")


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if is_chinese(language) else pair[0]


def _fill(template: str, params: Mapping[str, Any]) -> str:
    class _Safe(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Safe(params))


def _day_text(iso: str, language: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    if is_chinese(language):
        return f"{day.month}月{day.day}日（{_WEEKDAYS_ZH[day.weekday()]}）"
    return f"{_WEEKDAYS_EN[day.weekday()]} {day:%d %b}"


def violation_text(violation: RuleViolation, language: str = "en") -> tuple[str, str]:
    """(message, advice) for a violation in ``language`` ("zh_CN" → Chinese, else English)."""
    en, en_advice, zh, zh_advice = RULE_TEXTS[violation.rule]
    params = dict(violation.params)
    for key in ("day", "week_start"):
        if key in params:
            params[key] = _day_text(str(params[key]), language)
    for side in ("first", "second"):
        # A post without text is named by its kind.
        if f"{side}_kind" in params and not params.get(f"{side}_hook"):
            params[f"{side}_hook"] = kind_label(str(params[f"{side}_kind"]), language)
    if "reason" in params:
        params["reason_text"] = _pick(
            FORBIDDEN_REASONS.get(str(params["reason"]), (str(params["reason"]),) * 2), language
        )
    if is_chinese(language):
        return _fill(zh, params), _fill(zh_advice, params)
    return _fill(en, params), _fill(en_advice, params)


def error_text(code: str, params: Mapping[str, Any], language: str = "en") -> str:
    """A ``PlanningError``/``SlotProblem`` code with its params, in ``language``."""
    pair = ERROR_TEXTS.get(code)
    if pair is None:
        return code
    params = dict(params)
    if code == "edit_conflict":
        label = POST_FIELD_LABELS.get(str(params.get("what")))
        params["field"] = _pick(label, language) if label else params.get("what")
        extra = int(params.get("others", 0) or 0)
        params["more"] = (
            _pick((f" (and {extra} more fields)", f"（另有 {extra} 项）"), language)
            if extra
            else ""
        )
    if code == "unknown_placeholder":
        from moments_desk.core.planning.templates import PLACEHOLDERS

        params.setdefault("known", " ".join("{" + p + "}" for p in PLACEHOLDERS))
    return _fill(_pick(pair, language), params)


#: Composer fields as an edit conflict names them.
POST_FIELD_LABELS: Mapping[str, tuple[str, str]] = {
    "kind": ("Kind", "类型"),
    "text": ("The text", "文案"),
    "account_ids": ("WeChat accounts", "微信号"),
    "image_media_ids": ("Pictures", "图片"),
    "product_ids": ("Products", "商品"),
    "audience_mode": ("Audience", "可见范围"),
    "audience_tag_ids": ("Audience tags", "可见标签"),
    "scheduled_at": ("The time", "发布时间"),
    "author_id": ("Author", "作者"),
    "slot_id": ("Slot", "时段"),
}


def empty_reason_text(reason: str, language: str = "en") -> str:
    return _pick(EMPTY_REASONS.get(reason, (reason, reason)), language)


def kind_label(kind: str, language: str = "en") -> str:
    return _pick(KIND_LABELS.get(kind, (kind, kind)), language)


def status_label(status: str, language: str = "en") -> str:
    return _pick(STATUS_LABELS.get(status, (status, status)), language)


#: Placeholder → (English, Chinese) help for the composer's template menu.
PLACEHOLDER_HELP: Mapping[str, tuple[str, str]] = {
    "name": ("product name (several: joined with 、)", "商品名称（多件用“、”连接）"),
    "price": ("price, e.g. ¥129", "价格，例如 ¥129"),
    "selling_points": ("selling points of the first product", "第一件商品的卖点"),
    "code": ("product code", "商品编码"),
    "category": ("category", "类目"),
    "link": ("Taobao link", "淘宝链接"),
    "tags": ("product tags as #tag", "商品标签（#标签）"),
    "stock": ("pieces in stock", "库存件数"),
    "shop": ("the account's nickname", "微信号昵称"),
    "weekday": ("weekday 一…日, for 周{weekday}", "星期几（一…日），写成 周{weekday}"),
    "date": ("date, e.g. 11月24日", "日期，例如 11月24日"),
}


def placeholder_help(language: str = "en") -> list[tuple[str, str]]:
    """("{name}", help text) for every placeholder, in the template menu's order."""
    return [("{" + name + "}", _pick(pair, language)) for name, pair in PLACEHOLDER_HELP.items()]
