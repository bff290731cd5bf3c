"""Before a customer import fills a WeChat account past its friend limit: say so with the
numbers, and offer to split the new friends over the accounts that have room."""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from moments_desk.core.friends.capacity import Room


class CapChoice(enum.Enum):
    SPLIT = "split"
    ANYWAY = "anyway"
    CANCEL = "cancel"


def cap_text(
    room: Room, adding: int, shares: list[tuple[int, int]] | None, found: list[Room]
) -> str:
    number = QLocale().toString
    text = QCoreApplication.translate(
        "FriendCap",
        "{account} has {friends} friends. Importing {adding} new ones makes {total}, over "
        "WeChat's limit of {limit} friends per account.",
    ).format(
        account=room.label,
        friends=number(room.friends),
        adding=number(adding),
        total=number(room.friends + adding),
        limit=number(room.limit),
    )
    if shares is None:
        free = sum(r.free for r in found)
        return (
            text
            + "\n\n"
            + QCoreApplication.translate(
                "FriendCap",
                "All your accounts together have room for {free} more: add another WeChat "
                "account in Settings to split the import.",
            ).format(free=number(free))
        )
    names = {r.account_id: r.label for r in found}
    split = "、".join(f"{names[a]} {number(n)}" for a, n in shares if n)
    return (
        text
        + "\n\n"
        + QCoreApplication.translate("FriendCap", "Split across accounts: {split}.").format(
            split=split
        )
    )


def ask_about_cap(
    parent: QWidget,
    room: Room,
    adding: int,
    shares: list[tuple[int, int]] | None,
    found: list[Room],
) -> CapChoice:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("FriendCap", "Over the friend limit"))
    box.setText(cap_text(room, adding, shares, found))
    split = None
    if shares is not None:
        split = box.addButton(
            QCoreApplication.translate("FriendCap", "Split across accounts"),
            QMessageBox.ButtonRole.AcceptRole,
        )
    anyway = box.addButton(
        QCoreApplication.translate("FriendCap", "Import into {account} anyway").format(
            account=room.label
        ),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(split if split is not None else cancel)
    box.exec()
    clicked = box.clickedButton()
    if split is not None and clicked is split:
        return CapChoice.SPLIT
    if clicked is anyway:
        return CapChoice.ANYWAY
    return CapChoice.CANCEL
