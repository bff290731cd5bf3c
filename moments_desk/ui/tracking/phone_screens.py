"""读取手机发来的截图: the screenshots the phone relay attached to the chosen post.

The button shows how many there are; it counts again when the post changes, when the relay
reports an upload and when another machine on a team database wrote. Pressing it reads the
paths afresh on the database thread, then hands the files still on disk to the same reader
as files chosen by hand; one that is gone from the media folder gets a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton

from moments_desk.core.relay.content import screenshot_paths
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import Kind
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.tracking.screenshot_entry import ReviewTarget, ScreenshotIntake


@dataclass(frozen=True)
class Attached:
    """A post's screenshots from the phone, in upload order, split by whether the file is
    still there; ``missing`` holds 1-based positions in that order."""

    present: list[Path]
    missing: list[int]

    @property
    def total(self) -> int:
        return len(self.present) + len(self.missing)


def missing_sentence(attached: Attached) -> str:
    numbers = "、".join(str(n) for n in attached.missing)
    count = len(attached.missing)  # a variable: lupdate skips a call in this place
    return QCoreApplication.translate(
        "PhoneScreenshots",
        "%n screenshot(s) sent from the phone (no. {numbers} of {total}) are no longer on "
        "this computer; send them again from the phone (Send to phone → upload screenshots).",
        "",
        count,
    ).format(numbers=numbers, total=attached.total)


class PhoneScreenshots(QPushButton):
    """The quick entry's button for the post's screenshots sent from the phone."""

    def __init__(self, ctx: AppContext, entry: ReviewTarget, intake: ScreenshotIntake) -> None:
        super().__init__(entry)
        self._ctx = ctx
        self._entry = entry
        self._intake = intake
        self._post_id: int | None = None
        self.count = 0
        self._show(0)
        self.clicked.connect(self.read)
        ctx.changes.screenshots_arrived.connect(self._arrived)
        follow(ctx.changes, self, (Kind.POSTS,), lambda _changes: self.refresh())

    def set_post(self, post_id: int | None) -> None:
        self._post_id = post_id
        self._show(0)
        self.refresh()

    def _show(self, count: int) -> None:
        self.count = count
        self.setText(
            QCoreApplication.translate(
                "PhoneScreenshots", "Read %n screenshot(s) sent from the phone", "", count
            )
        )
        self.setEnabled(count > 0)
        self.setToolTip(
            QCoreApplication.translate(
                "PhoneScreenshots",
                "Screenshots of this post uploaded from the phone, read on this computer "
                "like files you choose.",
            )
            if count
            else QCoreApplication.translate(
                "PhoneScreenshots",
                "None for this post yet: send the post to the phone (Send to phone), then "
                "upload screenshots of its likes and comments there.",
            )
        )

    def _arrived(self, post_id: int) -> None:
        if post_id == self._post_id:
            self.refresh()

    def _load(self, post_id: int) -> Attached:
        """Database thread: the paths, then which files are still there."""
        media = self._ctx.shop.paths.media
        paths = uow.read(self._ctx.shop.sessions, lambda s: screenshot_paths(s, media, post_id))
        present = [p for p in paths if p.is_file()]
        missing = [n for n, p in enumerate(paths, 1) if not p.is_file()]
        return Attached(present, missing)

    def refresh(self) -> None:
        post_id = self._post_id
        if post_id is None:
            return

        def done(attached: Attached) -> None:
            if post_id == self._post_id:
                self._show(attached.total)

        # A failed count leaves the button off; the log has why, and the same failure
        # is shown when the seller asks for anything else of the post.
        self._ctx.executor.submit(lambda: self._load(post_id), done)

    def read(self) -> None:
        post_id = self._post_id
        if post_id is None:
            return

        def done(attached: Attached) -> None:
            if post_id != self._post_id:
                return
            self._show(attached.total)
            if attached.present:
                self._intake.read_screenshots(attached.present)
            if attached.missing:
                self._entry.show_error(missing_sentence(attached))

        self._ctx.executor.submit(
            lambda: self._load(post_id), done, lambda error: show_failure(self._entry, error)
        )
