"""A signal pages emit after they wrote posts or reminders, so timers reconcile at once."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataChanges(QObject):
    #: Emit after any write that touches posts, their times or reminders.
    posts_changed = Signal()
    #: Emitted when another machine on a team database wrote (the change marker moved).
    remote_changed = Signal()
