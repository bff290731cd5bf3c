"""Saving again after a clash: the person's text wins where both changed, and what the other
laptop changed where she did not is kept — not reverted to what her form still shows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from moments_desk.core.shared.edits import EditConflictError, merge_edit


@dataclass(frozen=True)
class Form:
    address: str = "杭州"
    courier: str = ""
    notes: str = ""


def test_saving_again_after_a_clash_keeps_hers_and_the_other_laptops_other_fields() -> None:
    opened = Form()
    theirs = Form(address="滨江", courier="顺丰")
    mine = Form(address="上海", notes="周末送")
    with pytest.raises(EditConflictError) as refused:
        merge_edit(opened, mine, theirs)
    conflict = refused.value.conflict
    assert conflict.fields == ("address",)
    again = merge_edit(conflict.rebased(opened), mine, theirs)
    assert again == Form(address="上海", courier="顺丰", notes="周末送")
    # Against all of theirs, her form's empty courier would have looked like her change.
    assert merge_edit(conflict.theirs, mine, theirs).courier == ""
    assert conflict.rebased(None) == theirs
