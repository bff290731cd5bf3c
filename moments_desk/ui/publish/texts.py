"""Sentences about publishing, shared by the publish helper, missed posts and the phone relay."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from moments_desk.core.planning.publishing import PublishError
from moments_desk.ui.i18n import tr_msg


def publish_error_text(error: PublishError) -> str:
    texts = {
        "gone": QCoreApplication.translate("Publish", "This post was deleted."),
        "closed": QCoreApplication.translate(
            "Publish", "This post (or this account) was already recorded as posted or skipped."
        ),
        "reason_missing": QCoreApplication.translate("Publish", "Please give a reason."),
        "in_past": QCoreApplication.translate("Publish", "Choose a time in the future."),
        "image_missing": QCoreApplication.translate(
            "Publish", "A picture of this post is missing from the data folder: {file}"
        ).format(file=error.detail),
    }
    return texts.get(error.code, tr_msg(error))
