"""Seller-facing sentences for rule codes, slot problems and planning errors.

Core has no translator: every sentence is marked with ``QT_TRANSLATE_NOOP`` so that
pyside6-lupdate puts it in the Qt Linguist catalogue, and the functions here return
:class:`~moments_desk.core.shared.messages.Msg` values (English strings that remember what to
look up). The window shows them with ``ui.i18n.tr_msg``, the command line with
``cli.text.render``; both translate the values that are themselves messages (a day, a post
kind, a reason) along with the sentence. The Simplified Chinese texts live in
``resources/translations/moments_desk_zh_CN.ts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter
from typing import Any

from moments_desk.core.planning.labels import day_message, kind_label, labelled
from moments_desk.core.planning.rules import RuleCode, RuleViolation
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg

#: code → (message, advice)
RULE_TEXTS: Mapping[RuleCode, tuple[Msg, Msg]] = {
    RuleCode.MAX_PER_DAY: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "{count} posts on {day}; this account allows {limit} a day.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Move one to another day or skip it: friends mute accounts that flood their feed.",
        ),
    ),
    RuleCode.MIN_GAP: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Only {gap_minutes} minutes between the post at {first_time} ({first_hook}) and "
            "the one at {second_time} ({second_hook}); keep at least {limit_minutes}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Drag one of them further away.",
        ),
    ),
    RuleCode.QUIET_HOURS: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "{time} is inside the quiet hours {start}–{end}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Friends are asleep: pick a time outside the quiet hours.",
        ),
    ),
    RuleCode.SALES_PER_WEEK: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "{count} sales posts in the week of {week_start}; this account allows {limit}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Turn one into a lifestyle post or move it to the next week.",
        ),
    ),
    RuleCode.SALES_MIX: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Sales posts are {share_pct}% of the last {window_days} days ({sales} of "
            "{total}); the target is {target_pct}%.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Add a lifestyle post (outfit, daily life, buyer feedback) or move a sales post.",
        ),
    ),
    RuleCode.PRODUCT_COOLDOWN: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "The same product again after {days} days; wait at least {limit_days}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Show another product, or post this one later.",
        ),
    ),
    RuleCode.TOO_MANY_IMAGES: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "{count} pictures; a Moments post holds at most {limit}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Remove pictures until {limit} are left (or make a 九宫格 of one).",
        ),
    ),
    RuleCode.TEXT_FOLDED: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "The text runs to about {lines} lines; WeChat folds it behind 全文 after {fold_lines}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Put the hook in the first line and shorten the rest.",
        ),
    ),
    RuleCode.MISSING_IMAGE: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "{count} picture file(s) are missing from disk: {files}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Add the pictures again or remove them from the post.",
        ),
    ),
    RuleCode.FORBIDDEN_TEXT: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "“{phrase}”: {reason_text}.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "WeChat may fold or restrict such posts: rewrite that part.",
        ),
    ),
    RuleCode.INVITED_LIKES: (
        QT_TRANSLATE_NOOP("RuleMessages", "“{phrase}”: {reason_text}."),
        QT_TRANSLATE_NOOP("RuleMessages", "Ask for a comment or a message instead of likes."),
    ),
    RuleCode.NEAR_DUPLICATE: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "{similarity_pct}% alike a caption posted {days} day(s) before ({other_hook}); "
            "WeChat folds repeated content.",
        ),
        QT_TRANSLATE_NOOP("RuleMessages", "Rewrite the caption or pick another template."),
    ),
    RuleCode.NO_ACCOUNT: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "No WeChat account chosen.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Pick the account(s) this post goes out on.",
        ),
    ),
    RuleCode.NO_TIME: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "No time set.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Give the post a date and time, or drop it on a slot in the planner.",
        ),
    ),
    RuleCode.EMPTY_POST: (
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "The post has neither text nor pictures.",
        ),
        QT_TRANSLATE_NOOP(
            "RuleMessages",
            "Write a few lines or add pictures.",
        ),
    ),
}

#: ForbiddenReason value → why WeChat objects
FORBIDDEN_REASONS: Mapping[str, Msg] = {
    "collect_likes": QT_TRANSLATE_NOOP(
        "ForbiddenReasons",
        "rewarding likes (集赞) is against WeChat's rules",
    ),
    "reward_sharing": QT_TRANSLATE_NOOP(
        "ForbiddenReasons",
        "rewarding shares (转发抽奖, 转发送) is against WeChat's rules",
    ),
    "help_for_reward": QT_TRANSLATE_NOOP(
        "ForbiddenReasons",
        "asking friends to help (助力, 砍一刀) for a reward is against WeChat's rules",
    ),
    "red_packet_sharing": QT_TRANSLATE_NOOP(
        "ForbiddenReasons",
        "red packets for forwarding are against WeChat's rules",
    ),
    "taobao_code": QT_TRANSLATE_NOOP(
        "ForbiddenReasons",
        "淘口令-style codes are blocked in Moments",
    ),
    "likes_for_priority": QT_TRANSLATE_NOOP(
        "ForbiddenReasons",
        "inviting likes for a favour (e.g. shipping first) counts as 诱导点赞 in WeChat's rules",
    ),
}

#: Errors (``PlanningError.code``) and slot problems (``SlotProblem.code``)
ERROR_TEXTS: Mapping[str, Msg] = {
    "unknown_placeholder": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "The template uses {placeholder}, which is not a placeholder. Known: {known}.",
    ),
    "bad_braces": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "The template has an unmatched brace. Write {{ or }} for a brace.",
    ),
    "slot_same_time": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "{first} and {second} are at the same time on the same account. Delete one or move it.",
    ),
    "slot_too_close": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "{first} and {second} are only {gap_minutes} minutes apart; this account keeps at "
        "least {limit_minutes} minutes between posts.",
    ),
    "slot_quiet_hours": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "{time} is inside the quiet hours {start}–{end}: friends are asleep.",
    ),
    "slot_bad_weekday": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "Weekday {weekday} does not exist.",
    ),
    "setting_out_of_range": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "{setting} must be between {low} and {high} (got {value}).",
    ),
    "unknown_zone": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "{zone} is not a time zone, e.g. Asia/Shanghai.",
    ),
    "account_gone": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "This account was removed meanwhile.",
    ),
    "slot_gone": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "This slot was removed meanwhile.",
    ),
    "post_gone": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "This post was removed meanwhile.",
    ),
    "image_gone": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "A picture was removed meanwhile.",
    ),
    "product_gone": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "A product was removed meanwhile.",
    ),
    "tag_gone": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "A tag was removed meanwhile.",
    ),
    "audience_without_tags": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "部分可见 / 不给谁看 needs at least one customer tag.",
    ),
    "naive_time": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "A post time must carry its time zone.",
    ),
    "not_editable": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "A post that was posted or skipped can no longer be changed.",
    ),
    "edited_by_person": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "A person edited this post; auto-drafting leaves it alone.",
    ),
    "edit_conflict": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "{field} was changed on another computer while you were editing: saved there "
        "“{theirs}”, yours “{mine}”{more}. Your changes are still in the composer: save again "
        "to keep yours, or reopen the post to take theirs.",
    ),
    "saved_meanwhile": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "Another computer saved this post at the same moment. Your changes are still in the "
        "composer: save again.",
    ),
    "posted_is_history": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "This post went out; its likes and orders refer to it. Keep it.",
    ),
    "bad_transition": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "A {status} post cannot become {target}.",
    ),
    "bad_weeks": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "Plan between 1 and 53 weeks ahead.",
    ),
    "to_write": QT_TRANSLATE_NOOP(
        "PlanningErrors",
        "This draft is still to be written (待写): write the post, then schedule it.",
    ),
}


def violation_message(violation: RuleViolation) -> tuple[Msg, Msg]:
    """(message, advice) for a violation, its values filled in."""
    message, advice = RULE_TEXTS[violation.rule]
    params: dict[str, Any] = dict(violation.params)
    for key in ("day", "week_start"):
        if key in params:
            params[key] = day_message(str(params[key]))
    for side in ("first", "second"):
        # A post without text is named by its kind.
        if f"{side}_kind" in params and not params.get(f"{side}_hook"):
            params[f"{side}_hook"] = kind_label(str(params[f"{side}_kind"]))
    if "reason" in params:
        params["reason_text"] = labelled(FORBIDDEN_REASONS, str(params["reason"]))
    if params.get("override"):
        # The seller chose to post it anyway; the message says so instead of advising.
        return _fill(message, params), _fill(
            QT_TRANSLATE_NOOP("RuleMessages", "Scheduled anyway by the seller: {override}"),
            params,
        )
    return _fill(message, params), _fill(advice, params)


def _fill(message: Msg, params: Mapping[str, Any]) -> Msg:
    """``message`` with the params its sentence names (a violation carries more)."""
    named = {key: value for key, value in params.items() if "{" + key + "}" in message.source}
    if not named:
        return message
    # A value the sentence names but the caller left out shows as its placeholder.
    for key in _placeholders(message.source) - named.keys():
        named[key] = "{" + key + "}"
    return message.format(**named)


def _placeholders(source: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(source) if name}


def error_message(code: str, params: Mapping[str, Any]) -> Msg | None:
    """A ``PlanningError``/``SlotProblem`` code with its params; None for an unknown code."""
    message = ERROR_TEXTS.get(code)
    if message is None:
        return None
    values = dict(params)
    if code == "edit_conflict":
        what = str(values.get("what"))
        values["field"] = POST_FIELD_LABELS.get(what, what)
        extra = int(values.get("others", 0) or 0)
        values["more"] = (
            QT_TRANSLATE_NOOP("PlanningErrors", " (and {count} more fields)").format(count=extra)
            if extra
            else ""
        )
    if code == "unknown_placeholder":
        from moments_desk.core.planning.templates import PLACEHOLDERS

        values.setdefault("known", " ".join("{" + p + "}" for p in PLACEHOLDERS))
    return _fill(message, values)


#: Composer fields as an edit conflict names them.
POST_FIELD_LABELS: Mapping[str, Msg] = {
    "kind": QT_TRANSLATE_NOOP("PostFields", "Kind"),
    "text": QT_TRANSLATE_NOOP("PostFields", "The text"),
    "account_ids": QT_TRANSLATE_NOOP("PostFields", "WeChat accounts"),
    "image_media_ids": QT_TRANSLATE_NOOP("PostFields", "Pictures"),
    "product_ids": QT_TRANSLATE_NOOP("PostFields", "Products"),
    "audience_mode": QT_TRANSLATE_NOOP("PostFields", "Audience"),
    "audience_tag_ids": QT_TRANSLATE_NOOP("PostFields", "Audience tags"),
    "scheduled_at": QT_TRANSLATE_NOOP("PostFields", "The time"),
    "author_id": QT_TRANSLATE_NOOP("PostFields", "Author"),
    "slot_id": QT_TRANSLATE_NOOP("PostFields", "Slot"),
}
