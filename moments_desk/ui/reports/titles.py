"""Translated names for report columns, RFM segments and weekdays."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from moments_desk.core.reports.customers import Segment


def column_title(key: str, fallback: str) -> str:
    titles = {
        "posted_at": QCoreApplication.translate("ReportTitles", "Posted"),
        "kind": QCoreApplication.translate("ReportTitles", "Kind"),
        "text": QCoreApplication.translate("ReportTitles", "Text"),
        "likes": QCoreApplication.translate("ReportTitles", "Likes"),
        "comments": QCoreApplication.translate("ReportTitles", "Comments"),
        "inquiries": QCoreApplication.translate("ReportTitles", "Inquiries"),
        "orders": QCoreApplication.translate("ReportTitles", "Orders"),
        "revenue": QCoreApplication.translate("ReportTitles", "Revenue"),
        "reach": QCoreApplication.translate("ReportTitles", "Friends who could see it"),
        "conversion_reach": QCoreApplication.translate("ReportTitles", "Orders ÷ friends"),
        "conversion_interactions": QCoreApplication.translate(
            "ReportTitles", "Orders ÷ interactions"
        ),
        "key": QCoreApplication.translate("ReportTitles", "Group"),
        "posts": QCoreApplication.translate("ReportTitles", "Posts"),
        "orders_per_post": QCoreApplication.translate("ReportTitles", "Orders per post"),
        "weekday": QCoreApplication.translate("ReportTitles", "Weekday"),
        "hour": QCoreApplication.translate("ReportTitles", "Hour"),
        "interactions": QCoreApplication.translate("ReportTitles", "Interactions"),
        "slot": QCoreApplication.translate("ReportTitles", "Slot"),
        "time": QCoreApplication.translate("ReportTitles", "Time"),
        "planned": QCoreApplication.translate("ReportTitles", "Planned"),
        "kept": QCoreApplication.translate("ReportTitles", "Kept"),
        "missed": QCoreApplication.translate("ReportTitles", "Missed"),
        "segment": QCoreApplication.translate("ReportTitles", "Segment"),
        "customers": QCoreApplication.translate("ReportTitles", "Customers"),
        "stage": QCoreApplication.translate("ReportTitles", "Stage"),
        "at_stage": QCoreApplication.translate("ReportTitles", "At this stage"),
        "reached": QCoreApplication.translate("ReportTitles", "Reached it or beyond"),
        "month": QCoreApplication.translate("ReportTitles", "Month"),
        "new_friends": QCoreApplication.translate("ReportTitles", "New friends"),
        "first_orders": QCoreApplication.translate("ReportTitles", "First orders"),
        "second_orders": QCoreApplication.translate("ReportTitles", "Second orders"),
        "fifth_orders": QCoreApplication.translate("ReportTitles", "Fifth orders"),
        "name": QCoreApplication.translate("ReportTitles", "Customer"),
        "referred": QCoreApplication.translate("ReportTitles", "Friends referred"),
        "buyers": QCoreApplication.translate("ReportTitles", "Of whom bought"),
        "referred_revenue": QCoreApplication.translate("ReportTitles", "Revenue from them"),
        "size": QCoreApplication.translate("ReportTitles", "Customers"),
        "account": QCoreApplication.translate("ReportTitles", "Account"),
        "last_order": QCoreApplication.translate("ReportTitles", "Last order"),
        "rfm": QCoreApplication.translate("ReportTitles", "R F M"),
        "category": QCoreApplication.translate("ReportTitles", "Category"),
        "variant_size": QCoreApplication.translate("ReportTitles", "Size"),
        "variant_color": QCoreApplication.translate("ReportTitles", "Colour"),
        "pieces_sold": QCoreApplication.translate("ReportTitles", "Pieces sold"),
        "size_share": QCoreApplication.translate("ReportTitles", "Share of the category"),
        "in_stock": QCoreApplication.translate("ReportTitles", "In stock"),
    }
    if key in titles:
        return titles[key]
    if key.startswith("m") and key[1:].isdigit():
        return QCoreApplication.translate("ReportTitles", "Month +{n}").format(n=key[1:])
    return fallback


def segment_name(segment: Segment) -> str:
    names = {
        Segment.CHAMPIONS: QCoreApplication.translate("ReportTitles", "Champions"),
        Segment.LOYAL: QCoreApplication.translate("ReportTitles", "Loyal"),
        Segment.NEW: QCoreApplication.translate("ReportTitles", "New buyers"),
        Segment.NEEDS_ATTENTION: QCoreApplication.translate("ReportTitles", "Needs attention"),
        Segment.AT_RISK: QCoreApplication.translate("ReportTitles", "At risk"),
        Segment.LOST: QCoreApplication.translate("ReportTitles", "Lost"),
    }
    return names[segment]


def segment_hint(segment: Segment) -> str:
    hints = {
        Segment.CHAMPIONS: QCoreApplication.translate(
            "ReportTitles", "Bought in the last 30 days and 5+ times"
        ),
        Segment.LOYAL: QCoreApplication.translate(
            "ReportTitles", "Bought within 90 days and more than once"
        ),
        Segment.NEW: QCoreApplication.translate("ReportTitles", "First order in the last 30 days"),
        Segment.NEEDS_ATTENTION: QCoreApplication.translate(
            "ReportTitles", "One order, 31–90 days ago"
        ),
        Segment.AT_RISK: QCoreApplication.translate(
            "ReportTitles", "Bought often or much, but not for 90 days"
        ),
        Segment.LOST: QCoreApplication.translate(
            "ReportTitles", "One small order, over 90 days ago"
        ),
    }
    return hints[segment]


def weekday_short(day: int) -> str:
    names = (
        QCoreApplication.translate("ReportTitles", "Mon"),
        QCoreApplication.translate("ReportTitles", "Tue"),
        QCoreApplication.translate("ReportTitles", "Wed"),
        QCoreApplication.translate("ReportTitles", "Thu"),
        QCoreApplication.translate("ReportTitles", "Fri"),
        QCoreApplication.translate("ReportTitles", "Sat"),
        QCoreApplication.translate("ReportTitles", "Sun"),
    )
    return names[day]
