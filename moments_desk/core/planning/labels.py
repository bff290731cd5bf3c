"""Labels the planning messages and the command line share: days, post kinds and statuses,
why a slot stayed empty, what each template placeholder means. Marked for Qt Linguist like
``messages``; translated by whoever shows them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg

_WEEKDAYS: tuple[Msg, ...] = (
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Mon",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Tue",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Wed",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Thu",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Fri",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Sat",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Sun",
    ),
)
_MONTHS: tuple[Msg, ...] = (
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Jan",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Feb",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Mar",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Apr",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "May",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Jun",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Jul",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Aug",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Sep",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Oct",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Nov",
    ),
    QT_TRANSLATE_NOOP(
        "PlanningDates",
        "Dec",
    ),
)

#: Why auto-drafting left an occurrence empty
EMPTY_REASONS: Mapping[str, Msg] = {
    "no_product": QT_TRANSLATE_NOOP(
        "EmptySlotReasons",
        "no product on sale, in stock and outside the cooldown fits this slot",
    ),
    "template": QT_TRANSLATE_NOOP(
        "EmptySlotReasons",
        "the slot's template is broken",
    ),
    "quiet_hours": QT_TRANSLATE_NOOP(
        "EmptySlotReasons",
        "inside the quiet hours",
    ),
    "max_per_day": QT_TRANSLATE_NOOP(
        "EmptySlotReasons",
        "the day already has its maximum of posts",
    ),
    "min_gap": QT_TRANSLATE_NOOP(
        "EmptySlotReasons",
        "too close to another post",
    ),
    "sales_per_week": QT_TRANSLATE_NOOP(
        "EmptySlotReasons",
        "the week already has its maximum of sales posts",
    ),
    "repeat": QT_TRANSLATE_NOOP(
        "EmptySlotReasons",
        "every caption would repeat one from the last 14 days",
    ),
}

#: PostKind value → label
KIND_LABELS: Mapping[str, Msg] = {
    "new_arrival": QT_TRANSLATE_NOOP(
        "PostKindLabels",
        "New arrival",
    ),
    "promotion": QT_TRANSLATE_NOOP(
        "PostKindLabels",
        "Promotion",
    ),
    "activity": QT_TRANSLATE_NOOP(
        "PostKindLabels",
        "Activity",
    ),
    "lifestyle": QT_TRANSLATE_NOOP(
        "PostKindLabels",
        "Lifestyle",
    ),
    "feedback": QT_TRANSLATE_NOOP(
        "PostKindLabels",
        "Buyer feedback",
    ),
}

#: PostStatus value → label
STATUS_LABELS: Mapping[str, Msg] = {
    "draft": QT_TRANSLATE_NOOP(
        "PostStatusLabels",
        "Draft",
    ),
    "awaiting_approval": QT_TRANSLATE_NOOP(
        "PostStatusLabels",
        "Awaiting approval",
    ),
    "scheduled": QT_TRANSLATE_NOOP(
        "PostStatusLabels",
        "Scheduled",
    ),
    "due": QT_TRANSLATE_NOOP(
        "PostStatusLabels",
        "Due",
    ),
    "posted": QT_TRANSLATE_NOOP(
        "PostStatusLabels",
        "Posted",
    ),
    "skipped": QT_TRANSLATE_NOOP(
        "PostStatusLabels",
        "Skipped",
    ),
}

#: Placeholder → help for the composer's template menu
PLACEHOLDER_HELP: Mapping[str, Msg] = {
    "name": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "product name (several: joined with 、)",
    ),
    "price": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "price, e.g. ¥129",
    ),
    "selling_points": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "selling points of the first product",
    ),
    "code": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "product code",
    ),
    "category": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "category",
    ),
    "link": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "Taobao link",
    ),
    "tags": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "product tags as #tag",
    ),
    "stock": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "pieces in stock",
    ),
    "shop": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "the account's nickname",
    ),
    "weekday": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "weekday 一…日, for 周{weekday}",
    ),
    "date": QT_TRANSLATE_NOOP(
        "TemplatePlaceholders",
        "date, e.g. 11月24日",
    ),
}


def day_message(iso: str) -> Msg | str:
    """A day of a rule message, "Tue 24 Nov" / "11月24日（周二）"; not a date: as it is."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return QT_TRANSLATE_NOOP("PlanningDates", "{weekday} {day} {month}").format(
        weekday=_WEEKDAYS[day.weekday()], day=day.day, month=_MONTHS[day.month - 1]
    )


def labelled(table: Mapping[str, Msg], key: str) -> Msg | str:
    """The label for ``key``, or the key itself when the table does not know it."""
    return table.get(key, key)


def empty_reason(reason: str) -> Msg | str:
    return labelled(EMPTY_REASONS, reason)


def kind_label(kind: str) -> Msg | str:
    return labelled(KIND_LABELS, kind)


def status_label(status: str) -> Msg | str:
    return labelled(STATUS_LABELS, status)


def placeholder_help() -> list[tuple[str, Msg]]:
    """("{name}", help) for every placeholder, in the template menu's order."""
    return [("{" + name + "}", text) for name, text in PLACEHOLDER_HELP.items()]
