"""Translated names for roles and profile errors."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from moments_desk.core.team.users import MIN_PIN, UserError
from moments_desk.db.models import UserRole
from moments_desk.ui.i18n import tr_msg


def role_name(role: UserRole) -> str:
    if role == UserRole.OWNER:
        return QCoreApplication.translate("Users", "Owner")
    return QCoreApplication.translate("Users", "Assistant")


def user_error_text(error: UserError) -> str:
    texts = {
        "name_missing": QCoreApplication.translate("Users", "Please enter a name."),
        "name_too_long": QCoreApplication.translate("Users", "The name is too long."),
        "name_taken": QCoreApplication.translate(
            "Users", "There is already a profile called “{name}”."
        ).format(name=error.subject),
        "pin_too_short": QCoreApplication.translate(
            "Users", "A PIN needs at least {n} characters."
        ).format(n=MIN_PIN),
        "pin_required": QCoreApplication.translate(
            "Users", "An assistant needs a PIN, so nobody else can sign in as “{name}”."
        ).format(name=error.subject),
        "last_owner": QCoreApplication.translate(
            "Users", "“{name}” is the only owner; the shop needs at least one."
        ).format(name=error.subject),
        "self": QCoreApplication.translate(
            "Users", "You cannot remove the profile you are signed in with."
        ),
        "gone": QCoreApplication.translate("Users", "This profile no longer exists."),
    }
    return texts.get(error.code, tr_msg(error))
