"""Rule violations and planning errors as sentences in the UI language."""

from __future__ import annotations

from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.messages import error_text, violation_text
from moments_desk.core.planning.rules import RuleViolation


def violation_line(violation: RuleViolation, language: str) -> str:
    """Which rule, which posts, what to do: one line for lists and tooltips."""
    message, advice = violation_text(violation, language)
    return f"{message} {advice}".strip()


def planning_error(error: PlanningError, language: str) -> str:
    text = error_text(error.code, error.params, language)
    # A code without a translation comes back as itself; the English sentence says more.
    return str(error) if text == error.code else text
