"""Signals pages emit after they wrote posts or reminders, so timers reconcile at once, and
that tell pages what arrived from elsewhere (another machine, the phone relay)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataChanges(QObject):
    #: Emit after any write that touches posts, their times or reminders.
    posts_changed = Signal()
    #: Emitted when another machine on a team database wrote (the change marker moved).
    remote_changed = Signal()
    #: Emitted when the phone relay attached screenshots to a post (its id).
    screenshots_arrived = Signal(int)
