"""The one error type of planning: a stable code, parameters and an English sentence."""

from __future__ import annotations

from typing import Any


class PlanningError(ValueError):
    """A change the planner refuses. ``str()`` is English; ``messages.error_message`` words
    ``code`` + ``params`` in the UI language. ``field`` names the offending input, if any."""

    def __init__(self, code: str, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.params = params
