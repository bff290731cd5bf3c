"""Forbidden wording lives in ``core.shared.wording`` (the library checks it too)."""

from moments_desk.core.shared.wording import (
    HARD_REASONS,
    ForbiddenReason,
    TextWarning,
    forbidden_text,
)

__all__ = ["HARD_REASONS", "ForbiddenReason", "TextWarning", "forbidden_text"]
