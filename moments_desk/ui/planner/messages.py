"""Rule violations and planning errors as sentences in the UI language."""

from __future__ import annotations

from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.messages import error_message, violation_message
from moments_desk.core.planning.rules import RuleViolation
from moments_desk.ui.i18n import tr_msg

# ``language`` stays in the signatures for the callers; the installed Qt translator (chosen
# from the same language at start-up) decides what the seller reads.


def violation_line(violation: RuleViolation, language: str = "") -> str:
    """Which rule, which posts, what to do: one line for lists and tooltips."""
    message, advice = violation_message(violation)
    return f"{tr_msg(message)} {tr_msg(advice)}".strip()


def planning_error(error: PlanningError, language: str = "") -> str:
    message = error_message(error.code, error.params)
    # A code without a sentence: the error's own English text says more than the code.
    return str(error) if message is None else tr_msg(message)
