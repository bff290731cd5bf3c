"""Translated names for the domain's vocabularies."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from moments_desk.db.models import PostKind, PostStatus


def post_kind(kind: PostKind) -> str:
    names = {
        PostKind.NEW_ARRIVAL: QCoreApplication.translate("Labels", "New arrivals"),
        PostKind.PROMOTION: QCoreApplication.translate("Labels", "Promotion"),
        PostKind.ACTIVITY: QCoreApplication.translate("Labels", "Activity"),
        PostKind.LIFESTYLE: QCoreApplication.translate("Labels", "Lifestyle"),
        PostKind.FEEDBACK: QCoreApplication.translate("Labels", "Buyer feedback"),
    }
    return names[kind]


def post_status(status: PostStatus) -> str:
    names = {
        PostStatus.DRAFT: QCoreApplication.translate("Labels", "Draft"),
        PostStatus.AWAITING_APPROVAL: QCoreApplication.translate("Labels", "Awaiting approval"),
        PostStatus.SCHEDULED: QCoreApplication.translate("Labels", "Scheduled"),
        PostStatus.DUE: QCoreApplication.translate("Labels", "Due"),
        PostStatus.POSTED: QCoreApplication.translate("Labels", "Posted"),
        PostStatus.SKIPPED: QCoreApplication.translate("Labels", "Skipped"),
    }
    return names[status]
