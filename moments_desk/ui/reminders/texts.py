"""Translated wording for notices, reminder kinds, audit actions and times."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication

from moments_desk.core.planning.reminders import Notice
from moments_desk.db.models import ReminderKind
from moments_desk.scheduling.reconcile import ActionKind


def local_time(moment: datetime | None, zone: tzinfo, with_date: bool = True) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    return local.strftime("%m-%d %H:%M" if with_date else "%H:%M")


def reminder_kind(kind: ReminderKind) -> str:
    names = {
        ReminderKind.POST_DUE: QCoreApplication.translate("Reminders", "Post due"),
        ReminderKind.POST_SOON: QCoreApplication.translate("Reminders", "Post soon"),
        ReminderKind.BIRTHDAY: QCoreApplication.translate("Reminders", "Birthday"),
        ReminderKind.UNPAID_ORDER: QCoreApplication.translate("Reminders", "Unpaid order"),
        ReminderKind.DORMANT_CUSTOMER: QCoreApplication.translate("Reminders", "Quiet customer"),
        ReminderKind.SHIPPED_UNCONFIRMED: QCoreApplication.translate(
            "Reminders", "Shipped, not confirmed"
        ),
    }
    return names[kind]


def notice_title(notice: Notice) -> str:
    if notice.kind == ActionKind.POST_SOON:
        return QCoreApplication.translate("Reminders", "A Moments post is coming up")
    if notice.kind == ActionKind.POST_DUE:
        if notice.missed:
            return QCoreApplication.translate("Reminders", "A Moments post was missed")
        return QCoreApplication.translate("Reminders", "Time to post in Moments")
    assert notice.reminder_kind is not None
    return reminder_kind(notice.reminder_kind)


def notice_body(notice: Notice, zone: tzinfo) -> str:
    when = local_time(notice.when, zone)
    if notice.kind == ActionKind.POST_SOON:
        return QCoreApplication.translate("Reminders", "At {time}: {text}").format(
            time=when, text=notice.text
        )
    if notice.kind == ActionKind.POST_DUE:
        if notice.missed:
            return QCoreApplication.translate(
                "Reminders", "Was due at {time}: {text} — post now, reschedule or skip it."
            ).format(time=when, text=notice.text)
        return QCoreApplication.translate(
            "Reminders", "Due at {time}: {text} — open the publish helper to post it."
        ).format(time=when, text=notice.text)
    return notice.text


def summary(notices: list[Notice], zone: tzinfo) -> tuple[str, str]:
    """One tray message for a batch: the first notice, and how many more."""
    first = notices[0]
    body = notice_body(first, zone)
    if len(notices) > 1:
        more = len(notices) - 1
        body += "\n" + QCoreApplication.translate("Reminders", "…and %n more", "", more)
    return notice_title(first), body


def audit_action(action: str) -> str:
    names = {
        "create": QCoreApplication.translate("Audit", "Created"),
        "change": QCoreApplication.translate("Audit", "Changed"),
        "delete": QCoreApplication.translate("Audit", "Deleted"),
        "schedule": QCoreApplication.translate("Audit", "Scheduled"),
        "submit": QCoreApplication.translate("Audit", "Sent for approval"),
        "resubmit": QCoreApplication.translate("Audit", "Changed after approval: approval again"),
        "approve": QCoreApplication.translate("Audit", "Approved"),
        "return": QCoreApplication.translate("Audit", "Returned"),
        "post": QCoreApplication.translate("Audit", "Posted"),
        "skip": QCoreApplication.translate("Audit", "Skipped"),
        "reschedule": QCoreApplication.translate("Audit", "Rescheduled"),
        "dismiss": QCoreApplication.translate("Audit", "Reminder done"),
        "sign_in": QCoreApplication.translate("Audit", "Signed in"),
        "sign_in_failed": QCoreApplication.translate("Audit", "Wrong PIN"),
        "locked": QCoreApplication.translate("Audit", "Locked"),
        "restore": QCoreApplication.translate("Audit", "Restored from a backup"),
    }
    return names.get(action, action)


def entity_name(entity: str) -> str:
    names = {
        "post": QCoreApplication.translate("Audit", "Post"),
        "user": QCoreApplication.translate("Audit", "Profile"),
        "reminder": QCoreApplication.translate("Audit", "Reminder"),
        "setting": QCoreApplication.translate("Audit", "Setting"),
        "product": QCoreApplication.translate("Audit", "Product"),
        "customer": QCoreApplication.translate("Audit", "Customer"),
        "order": QCoreApplication.translate("Audit", "Order"),
        "shop": QCoreApplication.translate("Audit", "Shop"),
    }
    return names.get(entity, entity)
