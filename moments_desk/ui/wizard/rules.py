"""The anti-spam defaults in words: one sentence each, and a tooltip with the detail."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from moments_desk.core.planning.cadence_presets import RuleDefaults


@dataclass(frozen=True)
class RuleText:
    key: str
    headline: str
    sentence: str
    tooltip: str


def rule_texts(rules: RuleDefaults) -> list[RuleText]:
    gap_hours = rules.min_gap_minutes // 60
    return [
        RuleText(
            "max_posts_per_day",
            QCoreApplication.translate("Rules", "At most {n} posts a day").format(
                n=rules.max_posts_per_day
            ),
            QCoreApplication.translate(
                "Rules", "More posts than that read as 刷屏, and friends start to mute or fold you."
            ),
            QCoreApplication.translate(
                "Rules",
                "Counts every post of one WeChat account in one day, selling or not. The "
                "planner warns before you plan one more.",
            ),
        ),
        RuleText(
            "min_gap",
            QCoreApplication.translate("Rules", "At least {n} hours between posts").format(
                n=gap_hours
            ),
            QCoreApplication.translate(
                "Rules", "Spacing posts out keeps you from filling a friend's feed in one scroll."
            ),
            QCoreApplication.translate(
                "Rules", "Measured between the planned times of two posts on the same account."
            ),
        ),
        RuleText(
            "quiet_hours",
            QCoreApplication.translate("Rules", "Quiet hours {start}–{end}").format(
                start=rules.quiet_start.strftime("%H:%M"), end=rules.quiet_end.strftime("%H:%M")
            ),
            QCoreApplication.translate(
                "Rules", "No posts or reminders at night, when a post wakes people or sinks unseen."
            ),
            QCoreApplication.translate(
                "Rules",
                "Posts planned inside the quiet hours are flagged; reminders wait until morning.",
            ),
        ),
        RuleText(
            "max_sales_per_week",
            QCoreApplication.translate("Rules", "At most {n} sales posts a week").format(
                n=rules.max_sales_posts_per_week
            ),
            QCoreApplication.translate(
                "Rules",
                "New arrivals, promotions and activities are capped so friends keep looking.",
            ),
            QCoreApplication.translate(
                "Rules",
                "Sales posts are new arrivals, promotions and activities; life posts and buyer "
                "feedback do not count.",
            ),
        ),
        RuleText(
            "sales_mix",
            QCoreApplication.translate("Rules", "{sales}% selling, {life}% life").format(
                sales=rules.sales_share_pct, life=100 - rules.sales_share_pct
            ),
            QCoreApplication.translate(
                "Rules",
                "About four posts in ten sell; the rest share tips, daily life and buyer photos.",
            ),
            QCoreApplication.translate(
                "Rules",
                "The 40:60 mix from experienced Moments sellers, checked over the last two "
                "weeks of posts.",
            ),
        ),
        RuleText(
            "product_cooldown",
            QCoreApplication.translate("Rules", "The same product again after {n} days").format(
                n=rules.product_cooldown_days
            ),
            QCoreApplication.translate(
                "Rules",
                "Showing one product again within a week feels pushy, so the planner waits.",
            ),
            QCoreApplication.translate(
                "Rules", "Counted from the last post that showed the product on the same account."
            ),
        ),
        RuleText(
            "max_images",
            QCoreApplication.translate("Rules", "At most {n} pictures per post").format(
                n=rules.max_images
            ),
            QCoreApplication.translate(
                "Rules", "WeChat shows up to nine pictures (九宫格); put the best one first."
            ),
            QCoreApplication.translate(
                "Rules",
                "A tenth picture would be dropped by WeChat, so the app never exports more.",
            ),
        ),
    ]
