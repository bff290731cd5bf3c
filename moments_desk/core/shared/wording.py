"""Wording WeChat forbids in Moments, and wording it frowns on. No Qt, no database.

WeChat's rules on 诱导分享 (inducing shares) restrict posts that reward likes, forwards or
"help": 集赞, 转发抽奖/转发有奖, 助力/砍一刀, red packets for forwarding, and 淘口令 codes
(blocked outright). Those are ``HARD_REASONS``: scheduling refuses them unless the seller
overrides with a reason. Inviting likes for a favour ("点赞的宝贝优先发货") is not a reward
in cash but still an invitation to like; the planner warns about it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class ForbiddenReason(enum.StrEnum):
    """Why a phrase is a problem (the ``reason`` param of ``forbidden_text``)."""

    COLLECT_LIKES = "collect_likes"  # 集赞, 点赞送
    REWARD_SHARING = "reward_sharing"  # 转发抽奖, 转发有奖, 分享有礼
    HELP_FOR_REWARD = "help_for_reward"  # 助力, 砍一刀
    RED_PACKET_SHARING = "red_packet_sharing"  # 红包 for forwards
    TAOBAO_CODE = "taobao_code"  # 淘口令: ￥AbCd1234￥, 复制这段描述…
    LIKES_FOR_PRIORITY = "likes_for_priority"  # 点赞的宝贝优先发货 (a warning only)


#: Reasons that refuse scheduling (WeChat restricts or blocks such posts).
HARD_REASONS = frozenset(
    {
        ForbiddenReason.COLLECT_LIKES,
        ForbiddenReason.REWARD_SHARING,
        ForbiddenReason.HELP_FOR_REWARD,
        ForbiddenReason.RED_PACKET_SHARING,
        ForbiddenReason.TAOBAO_CODE,
    }
)


@dataclass(frozen=True)
class TextWarning:
    reason: ForbiddenReason
    phrase: str
    start: int
    end: int

    @property
    def hard(self) -> bool:
        return self.reason in HARD_REASONS


_PATTERNS: tuple[tuple[ForbiddenReason, re.Pattern[str]], ...] = (
    (
        ForbiddenReason.COLLECT_LIKES,
        re.compile(r"集赞|集满\d*个?赞|点赞(?:就|即|即可)?(?:送|领|返|抽|有礼|有奖)"),
    ),
    (
        ForbiddenReason.REWARD_SHARING,
        re.compile(
            r"(?:转发|分享)(?:朋友圈|此条|本条|这条)?(?:就|即|即可|后|有礼)?"
            r"(?:抽奖|送|领|返|有礼|有奖|免单)"
        ),
    ),
    (ForbiddenReason.HELP_FOR_REWARD, re.compile(r"助力|砍一刀|帮砍")),
    (
        ForbiddenReason.RED_PACKET_SHARING,
        re.compile(r"(?:转发|分享)[^。！!\n]{0,12}红包|红包[^。！!\n]{0,12}(?:转发|分享)"),
    ),
    (
        ForbiddenReason.TAOBAO_CODE,
        re.compile(
            r"([￥$€¢£₤₳₴¥@%])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{8,14}\1"
            r"|复制(?:这段|这条|本条|整段)?(?:描述|信息|内容|文字|口令)"
            r"|(?:打开|去)(?:手机)?(?:淘宝|tb|TB)(?:App|APP|app)?(?:即可)?(?:查看|购买|领取)?"
            r"|淘口令"
        ),
    ),
    (
        ForbiddenReason.LIKES_FOR_PRIORITY,
        re.compile(
            r"点赞[^。！!？?\n]{0,8}?(?:优先|先发|插队)(?:发货|安排)?"
            r"|(?:优先|先)(?:发货|安排|回复)[^。！!？?\n]{0,6}点赞"
            r"|(?:求|给我|帮忙)点(?:个)?赞|点赞走一波"
        ),
    ),
)


def forbidden_text(text: str) -> list[TextWarning]:
    """Phrases WeChat forbids or frowns on, in order of appearance (each span once)."""
    found: list[TextWarning] = []
    taken: list[tuple[int, int]] = []
    for reason, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append(TextWarning(reason, match.group(0), *span))
    return sorted(found, key=lambda w: (w.start, w.end))
